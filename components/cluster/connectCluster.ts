/**
 * ConnectCluster: Kafka Connect in distributed mode on Kubernetes. Wires the pure renderers to
 * Pulumi resources: three storage topics, a Secret, a Deployment, a Service, a PodDisruptionBudget,
 * and one dynamic-provider Connector per connector. The constructor is the table of contents; each
 * group of children is declared by a plain function in its own file.
 */
import * as kafka from "@pulumi/kafka";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ConnectClusterArgs } from "./args";
import { Connector } from "../provider/connector";
import { ExactlyOnceGuard } from "../provider/exactlyOnceGuard";
import { ConnectorConfig } from "../provider/connectorConfig";
import type { ConnectorOffset } from "../provider/connectorTypes";
import { ConnectorStatusOutput, connectorStatuses, declareConnectors } from "./connectors";
import { resolveInputs, validatePlainInputs } from "./inputs";
import { declareExactlyOnceGuard } from "./exactlyOnce";
import { declareSecrets } from "./secrets";
import { StorageTopicRole } from "../render/storageTopics";
import * as workload from "../render/workload";
import { declareStorageTopics, declareWorkload } from "./workload";
import { restAccessFor } from "./restAccess";
import { RestAccess } from "../provider/connectorProvider";

export const CONNECT_CLUSTER_TYPE = "connectcluster:index:ConnectCluster";

export interface StorageTopicNames {
    readonly config: string;
    readonly offset: string;
    readonly status: string;
}

export class ConnectCluster extends pulumi.ComponentResource {
    /** The Connect cluster's `group.id`. */
    public readonly groupId: pulumi.Output<string>;
    /** Names of the config, offset and status topics. */
    public readonly storageTopicNames: pulumi.Output<StorageTopicNames>;
    /** Name of the Secret holding `distributed.properties`. */
    public readonly secretName: pulumi.Output<string>;
    public readonly deploymentName: pulumi.Output<string>;
    public readonly serviceName: pulumi.Output<string>;
    /** In-cluster URL of the REST API, e.g. `http://<svc>.<ns>.svc:8083`. */
    public readonly serviceUrl: pulumi.Output<string>;
    public readonly connectorNames: pulumi.Output<string[]>;
    /** Each connector's state (RUNNING, ...) as of the last `up` or `refresh`. */
    public readonly connectorStates: pulumi.Output<Record<string, string>>;
    /** The committed offsets of each connector declared with `readOffsets`, as of the last `up` or `refresh`. */
    public readonly connectorOffsets: pulumi.Output<Record<string, ConnectorOffset[]>>;
    /**
     * Connectors in the Connect cluster that `connectors` does not declare nor `ignoreUnmanagedConnectors`
     * name, as of the last preview, `up` or `refresh`: reported, never touched.
     */
    public readonly unmanagedConnectors: pulumi.Output<string[]>;
    /**
     * Each connector's and task's state, worker and last failure (first lines of the trace, secret values
     * redacted) as of the last `up` or `refresh`, e.g. for `pulumi stack output connectorStatuses`.
     */
    public readonly connectorStatuses: pulumi.Output<Record<string, ConnectorStatusOutput>>;
    /** The rendered `distributed.properties` (a secret: it may hold Kafka credentials). */
    public readonly workerProperties: pulumi.Output<string>;
    /**
     * How this program reaches the REST API (`restAccess`, with credentials), a secret: export it for other stacks'
     * ConnectorSets (`ref.requireOutput(...)`).
     */
    public readonly restAccess: pulumi.Output<RestAccess>;

    public readonly topics: Record<StorageTopicRole, kafka.Topic>;
    public readonly secret: k8s.core.v1.Secret;
    /** The connectors' JSON files (`<connector>.json`), a copy the workers do not read; only with connectors. */
    public readonly connectorsSecret?: k8s.core.v1.Secret;
    /** The Secret with connectors' `secretConfig` values; only when a connector has some. */
    public readonly connectorSecrets?: k8s.core.v1.Secret;
    /** The Secret with the REST users and JAAS file; only with `restAuth`. */
    public readonly restAuthSecret?: k8s.core.v1.Secret;
    /** The Secret with the REST listener's keystore; only with `restTls`. */
    public readonly restTlsSecret?: k8s.core.v1.Secret;
    public readonly deployment: k8s.apps.v1.Deployment;
    public readonly service: k8s.core.v1.Service;
    public readonly podDisruptionBudget: k8s.policy.v1.PodDisruptionBudget;
    /** Limits who may reach the REST port; absent when `networkPolicy` is false. */
    public readonly networkPolicy?: k8s.networking.v1.NetworkPolicy;
    public readonly connectors: Record<string, Connector>;
    /** Keeps the last applied `exactlyOnceSourceSupport`, to refuse "disabled" → "enabled" on a running cluster. */
    public readonly exactlyOnceGuard: ExactlyOnceGuard;

    constructor(name: string, args: ConnectClusterArgs, opts: pulumi.ComponentResourceOptions = {}) {
        super(CONNECT_CLUSTER_TYPE, name, {}, opts);
        // Plain inputs are checked now, so a bad one fails before any child is declared; the others when they
        // resolve, before any child is registered.
        const plain = validatePlainInputs(name, args);
        const inputs = resolveInputs(name, args, plain);
        this.workerProperties = inputs.workerProperties;

        // First: it refuses an unsafe exactly-once move at preview, and the workers' Secret and Deployment wait for it.
        this.exactlyOnceGuard = declareExactlyOnceGuard(name, this, inputs);
        this.topics = declareStorageTopics(name, this, plain, inputs);
        const secrets = declareSecrets(name, this, args, plain, inputs, this.exactlyOnceGuard);
        this.secret = secrets.worker;
        this.connectorsSecret = secrets.connectorsReference;
        this.connectorSecrets = secrets.connectorSecrets;
        this.restAuthSecret = secrets.restAuth;
        this.restTlsSecret = secrets.restTls;
        const workers = declareWorkload(name, this, plain, inputs, this.topics, secrets, this.exactlyOnceGuard);
        this.deployment = workers.deployment;
        this.service = workers.service;
        this.podDisruptionBudget = workers.podDisruptionBudget;
        this.networkPolicy = workers.networkPolicy;
        const declared = declareConnectors(name, this, args, plain, inputs, workers, secrets.checksumSalt.value);
        this.connectors = declared.connectors;
        this.unmanagedConnectors = declared.unmanaged.unmanaged;
        this.restAccess = restAccessFor(args.restAccess, args.restAuth, inputs.config, this.service.metadata.name);

        const config = inputs.config;
        this.groupId = config.groupId;
        this.storageTopicNames = config.apply((c) => ({
            config: c.storageTopics.config.name,
            offset: c.storageTopics.offset.name,
            status: c.storageTopics.status.name,
        }));
        this.secretName = this.secret.metadata.name;
        this.deploymentName = this.deployment.metadata.name;
        this.serviceName = this.service.metadata.name;
        this.serviceUrl = pulumi
            .all([this.service.metadata.name, config])
            .apply(([svc, c]) => workload.serviceUrl(svc, c.namespace, c.restPort, c.restTlsDir !== undefined));
        this.connectorNames = pulumi.output(plain.connectors.map((c) => c.name));
        this.connectorStates = pulumi
            .all(Object.values(this.connectors).map((c) => pulumi.all([c.name, c.connectorState])))
            .apply((pairs) => Object.fromEntries(pairs) as Record<string, string>);
        this.connectorOffsets = pulumi
            .all(
                plain.connectors
                    .filter((c) => c.readOffsets)
                    .map((c) => pulumi.all([c.name, this.connectors[c.name].currentOffsets])),
            )
            .apply((pairs) => Object.fromEntries(pairs.map(([name, offsets]) => [name, offsets ?? []])));
        this.connectorStatuses = connectorStatuses(Object.values(this.connectors));
        this.registerOutputs({
            groupId: this.groupId,
            storageTopicNames: this.storageTopicNames,
            secretName: this.secretName,
            deploymentName: this.deploymentName,
            serviceName: this.serviceName,
            serviceUrl: this.serviceUrl,
            connectorNames: this.connectorNames,
            connectorStates: this.connectorStates,
            connectorOffsets: this.connectorOffsets,
            unmanagedConnectors: this.unmanagedConnectors,
            connectorStatuses: this.connectorStatuses,
            workerProperties: this.workerProperties,
            restAccess: this.restAccess,
        });
    }
}

export type { ConnectorConfig, ConnectorStatusOutput };

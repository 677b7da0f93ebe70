/**
 * ConnectCluster: Kafka Connect in distributed mode on Kubernetes. Wires the pure renderers to
 * Pulumi resources: three storage topics, a Secret, a Deployment, a Service, a PodDisruptionBudget,
 * and one dynamic-provider Connector per connector.
 */
import * as kafka from "@pulumi/kafka";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ConnectClusterArgs } from "./args";
import { DEFAULTS } from "../config/defaults";
import {
    PlainClusterArgs,
    REST_TLS_FILES,
    resolveClusterConfig,
    resolveRestCredentials,
    validateKafkaSecurity,
    validateRestAccess,
} from "../config/clusterConfig";
import { Connector } from "../provider/connector";
import { ConnectorConfig } from "../provider/connectorConfig";
import { plainValue, prepareConnectors } from "./connectorInputs";
import { ConnectClusterError } from "../errors";
import { restAccessFor, restAccessShape } from "./restAccess";
import { renderRestAuthSecretData, validateRestAuthUsers } from "../render/restAuth";
import { defaultStorageTopicName, STORAGE_TOPIC_ROLES, StorageTopicRole } from "../render/storageTopics";
import { KafkaClientSecurity, renderWorkerProperties } from "../render/workerProperties";
import * as workload from "../render/workload";
import { escapePropertyValue } from "../render/properties";

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
    /** Name of the Secret holding `distributed.properties` and the connector JSON files. */
    public readonly secretName: pulumi.Output<string>;
    public readonly deploymentName: pulumi.Output<string>;
    public readonly serviceName: pulumi.Output<string>;
    /** In-cluster URL of the REST API, e.g. `http://<svc>.<ns>.svc:8083`. */
    public readonly serviceUrl: pulumi.Output<string>;
    public readonly connectorNames: pulumi.Output<string[]>;
    /** Each connector's state (RUNNING, ...) as of the last `up` or `refresh`. */
    public readonly connectorStates: pulumi.Output<Record<string, string>>;
    /** The rendered `distributed.properties` (a secret: it may hold Kafka credentials). */
    public readonly workerProperties: pulumi.Output<string>;

    public readonly topics: Record<StorageTopicRole, kafka.Topic>;
    public readonly secret: k8s.core.v1.Secret;
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

    constructor(name: string, args: ConnectClusterArgs, opts: pulumi.ComponentResourceOptions = {}) {
        super(CONNECT_CLUSTER_TYPE, name, {}, opts);
        // Checks that need no resolved values run before any child exists; plain inputs are checked
        // now, so a bad one fails before any child is declared.
        validateComponentName(name);
        validateRestAccess(restAccessShape(args.restAccess), args.restAuth !== undefined, args.restTls !== undefined);
        const plainStructural = plainValue(structuralArgs(args));
        if (plainStructural !== undefined) {
            resolveClusterConfig(name, plainStructural as PlainClusterArgs);
        }
        const adoptedTopicNames =
            (args.adoptStorageTopics ?? DEFAULTS.adoptStorageTopics) ? plainStorageTopicNames(name, args) : undefined;
        const plainSecurity = plainValue(args.kafkaSecurity);
        if (plainSecurity !== undefined) {
            validateKafkaSecurity(plainSecurity as KafkaClientSecurity | undefined);
        }
        const plainUsers = plainValue(args.restAuth?.users) as Record<string, string> | undefined;
        if (plainUsers !== undefined) {
            validateRestAuthUsers(plainUsers);
            const plainAccess = plainValue({
                username: args.restAccess?.username,
                password: args.restAccess?.password,
            });
            if (plainAccess !== undefined) {
                resolveRestCredentials(plainAccess as { username?: string; password?: string }, plainUsers);
            }
        }
        const connectors = prepareConnectors(args.connectors ?? [], DEFAULTS.connectorSecretsDir);

        const security = pulumi
            .output(args.kafkaSecurity)
            .apply((value) => validateKafkaSecurity(value as KafkaClientSecurity | undefined));
        const connectorConfigs = connectors.map((connector) => connector.config);
        // Inputs only known later (outputs of other resources) are checked when they resolve. Every child's
        // inputs derive from `resolved`, which waits for all checks: if one fails, no child is registered.
        // Only a boolean leaves the (possibly secret) checks, so `resolved` stays readable in diffs.
        const restUsers =
            args.restAuth === undefined
                ? undefined
                : pulumi
                      .output(args.restAuth.users)
                      .apply((users) => validateRestAuthUsers(users as Record<string, string>));
        const allInputsValid = pulumi.unsecret(
            pulumi.all([security, pulumi.all(connectorConfigs), restUsers]).apply(() => true),
        );
        const resolved = pulumi
            .all([pulumi.output(structuralArgs(args)), allInputsValid])
            .apply(([plain]) => resolveClusterConfig(name, plain as PlainClusterArgs));
        this.workerProperties = pulumi.secret(
            pulumi
                .all([resolved, security])
                .apply(([config, sec]) => renderWorkerProperties({ ...config.worker, security: sec })),
        );

        const withSecrets = connectors.filter((connector) => connector.secretConfig !== undefined);
        const names: workload.WorkloadNames = {
            deployment: name,
            service: name,
            secret: `${name}-worker-config`,
            connectorSecrets: withSecrets.length > 0 ? `${name}-connector-secrets` : undefined,
            restAuth: args.restAuth === undefined ? undefined : `${name}-rest-auth`,
            restTls: args.restTls === undefined ? undefined : `${name}-rest-tls`,
        };
        const namespace = resolved.namespace;
        const annotations =
            (args.skipAwait ?? DEFAULTS.skipAwait) ? { [workload.SKIP_AWAIT_ANNOTATION]: "true" } : undefined;
        const metadata = (objectName: string) => ({
            name: objectName,
            namespace,
            labels: resolved.apply((c) => workload.workloadLabels(name, c).all),
            annotations,
        });

        this.topics = {} as Record<StorageTopicRole, kafka.Topic>;
        for (const role of STORAGE_TOPIC_ROLES) {
            const spec = resolved.storageTopics[role];
            this.topics[role] = new kafka.Topic(
                `${name}-${role}-topic`,
                {
                    name: spec.name,
                    partitions: spec.partitions,
                    replicationFactor: spec.replicationFactor,
                    config: spec.config,
                },
                {
                    parent: this,
                    retainOnDelete: args.retainStorageTopicsOnDelete ?? DEFAULTS.retainStorageTopicsOnDelete,
                    import: adoptedTopicNames?.[role],
                },
            );
        }

        const secretData = pulumi
            .all([this.workerProperties, pulumi.all(connectorConfigs)])
            .apply(([properties, configs]) =>
                workload.renderSecretData(
                    properties,
                    connectors.map((c, i) => ({ name: c.name, config: configs[i] })),
                ),
            );
        this.secret = new k8s.core.v1.Secret(
            `${name}-worker-config`,
            { metadata: metadata(names.secret), type: "Opaque", stringData: secretData },
            { parent: this },
        );
        const connectorSecretsData = pulumi.secret(
            pulumi
                .all(withSecrets.map((c) => c.secretConfig!))
                .apply((values) =>
                    workload.renderConnectorSecretsData(
                        withSecrets.map((c, i) => ({ name: c.name, secretConfig: values[i] })),
                    ),
                ),
        );
        this.connectorSecrets =
            names.connectorSecrets === undefined
                ? undefined
                : new k8s.core.v1.Secret(
                      `${name}-connector-secrets`,
                      { metadata: metadata(names.connectorSecrets), type: "Opaque", stringData: connectorSecretsData },
                      { parent: this },
                  );

        // Stored only in Secrets mounted into the pods: nothing secret reaches the pod spec or the properties.
        const restAuthData = pulumi.secret(
            pulumi
                .all([restUsers ?? {}, resolved])
                .apply(([users, c]) =>
                    c.restAuthDir === undefined ? {} : renderRestAuthSecretData(users, c.restAuthDir),
                ),
        );
        this.restAuthSecret =
            names.restAuth === undefined
                ? undefined
                : new k8s.core.v1.Secret(
                      `${name}-rest-auth`,
                      { metadata: metadata(names.restAuth), type: "Opaque", stringData: restAuthData },
                      { parent: this },
                  );
        const restTlsData = pulumi.secret(
            pulumi
                .all([args.restTls?.keystorePkcs12Base64, args.restTls?.keystorePassword])
                .apply(([keystore, password]): Record<string, string> =>
                    keystore === undefined
                        ? {}
                        : {
                              [REST_TLS_FILES.keystore]: keystore,
                              [REST_TLS_FILES.password]: `password=${escapePropertyValue(password ?? "")}\n`,
                          },
                ),
        );
        this.restTlsSecret =
            names.restTls === undefined
                ? undefined
                : new k8s.core.v1.Secret(
                      `${name}-rest-tls`,
                      {
                          metadata: metadata(names.restTls),
                          type: "Opaque",
                          // The keystore is binary: `data` takes it base64-encoded as given; the password file is text.
                          data: restTlsData.apply((d) => ({ [REST_TLS_FILES.keystore]: d[REST_TLS_FILES.keystore] })),
                          stringData: restTlsData.apply((d) => ({
                              [REST_TLS_FILES.password]: d[REST_TLS_FILES.password],
                          })),
                      },
                      { parent: this },
                  );

        // A digest of what the workers read at start, not the contents: it can be shown in diffs. The REST users
        // and the keystore are read only at start too, so a change must roll them.
        const checksum = pulumi.unsecret(
            pulumi
                .all([secretData, connectorSecretsData, restAuthData, restTlsData])
                .apply(([worker, secrets, auth, tls]) =>
                    workload.configChecksum(
                        workload.workerInputs(worker, { secret: secrets, "rest-auth": auth, "rest-tls": tls }),
                    ),
                ),
        );
        const connectorNames = connectors.map((c) => c.name);
        this.deployment = new k8s.apps.v1.Deployment(
            `${name}-workers`,
            {
                metadata: metadata(names.deployment),
                spec: pulumi.all([resolved, checksum]).apply(([c, sum]) =>
                    workload.renderDeploymentSpec(
                        name,
                        c,
                        names,
                        connectorNames,
                        sum,
                        withSecrets.map((w) => w.name),
                    ),
                ),
            },
            {
                parent: this,
                dependsOn: [
                    ...Object.values(this.topics),
                    this.secret,
                    ...[this.connectorSecrets, this.restAuthSecret, this.restTlsSecret].filter(
                        (s): s is k8s.core.v1.Secret => s !== undefined,
                    ),
                ],
            },
        );
        this.service = new k8s.core.v1.Service(
            `${name}-rest`,
            { metadata: metadata(names.service), spec: resolved.apply((c) => workload.renderServiceSpec(name, c)) },
            { parent: this },
        );
        this.podDisruptionBudget = new k8s.policy.v1.PodDisruptionBudget(
            `${name}-pdb`,
            { metadata: metadata(name), spec: resolved.apply((c) => workload.renderPodDisruptionBudgetSpec(name, c)) },
            { parent: this },
        );

        this.networkPolicy =
            (args.networkPolicy ?? DEFAULTS.networkPolicy) === false
                ? undefined
                : new k8s.networking.v1.NetworkPolicy(
                      `${name}-rest-policy`,
                      {
                          metadata: metadata(`${name}-rest`),
                          spec: resolved.apply((c) =>
                              workload.renderNetworkPolicySpec(name, c, c.restAllowedFrom ?? []),
                          ),
                      },
                      { parent: this },
                  );

        const access = restAccessFor(args.restAccess, args.restAuth, resolved, this.service.metadata.name);
        this.connectors = {};
        connectors.forEach((connector) => {
            this.connectors[connector.name] = new Connector(
                `${name}-${connector.name}`,
                {
                    name: connector.name,
                    config: connector.config,
                    secretsDigest: connector.secretsDigest,
                    rename: connector.rename,
                    deleteOffsetsOnDelete: connector.deleteOffsetsOnDelete,
                    access,
                    readyTimeoutMs: resolved.apply((c) => c.connectorReadyTimeoutSeconds * 1000),
                },
                {
                    parent: this,
                    dependsOn: [this.deployment, this.service],
                    // A rename keeps the resource (and so becomes a replacement the provider can carry offsets over).
                    aliases: connector.rename ? [{ name: `${name}-${connector.rename.from}` }] : undefined,
                },
            );
        });

        this.groupId = resolved.groupId;
        this.storageTopicNames = resolved.apply((c) => ({
            config: c.storageTopics.config.name,
            offset: c.storageTopics.offset.name,
            status: c.storageTopics.status.name,
        }));
        this.secretName = this.secret.metadata.name;
        this.deploymentName = this.deployment.metadata.name;
        this.serviceName = this.service.metadata.name;
        this.serviceUrl = pulumi
            .all([this.service.metadata.name, resolved])
            .apply(([svc, c]) => workload.serviceUrl(svc, c.namespace, c.restPort, c.restTlsDir !== undefined));
        this.connectorNames = pulumi.output(connectorNames);
        this.connectorStates = pulumi
            .all(Object.values(this.connectors).map((c) => pulumi.all([c.name, c.connectorState])))
            .apply((pairs) => Object.fromEntries(pairs) as Record<string, string>);
        this.registerOutputs({
            groupId: this.groupId,
            storageTopicNames: this.storageTopicNames,
            secretName: this.secretName,
            deploymentName: this.deploymentName,
            serviceName: this.serviceName,
            serviceUrl: this.serviceUrl,
            connectorNames: this.connectorNames,
            connectorStates: this.connectorStates,
            workerProperties: this.workerProperties,
        });
    }
}

/** Kubernetes object names derive from the component name: it must be a DNS label with room for suffixes. */
function validateComponentName(name: string): void {
    if (!/^[a-z]([-a-z0-9]{0,47}[a-z0-9])?$/.test(name)) {
        throw new ConnectClusterError(
            `ConnectCluster name "${name}" must be 1-49 characters of lowercase letters, digits and "-", starting ` +
                `with a letter: it names the Kubernetes Deployment, Service and Secret.`,
        );
    }
}

/** The storage topic names for `adoptStorageTopics`: `import` takes plain IDs, so they must be known now. */
function plainStorageTopicNames(name: string, args: ConnectClusterArgs): Record<StorageTopicRole, string> {
    const topics = args.storageTopics ?? {};
    const plain = plainValue({
        groupId: args.groupId ?? name,
        topics: Object.fromEntries(STORAGE_TOPIC_ROLES.map((role) => [role, { name: topics[role]?.name }])),
    }) as { groupId: string; topics: Partial<Record<StorageTopicRole, { name?: string }>> } | undefined;
    if (plain === undefined) {
        throw new ConnectClusterError(
            `adoptStorageTopics: the storage topic names must be known when the program runs (Pulumi imports them by ` +
                `name); give groupId and storageTopics.*.name as plain strings, not Outputs.`,
        );
    }
    return Object.fromEntries(
        STORAGE_TOPIC_ROLES.map((role) => [
            role,
            plain.topics[role]?.name ?? defaultStorageTopicName(plain.groupId, role),
        ]),
    ) as Record<StorageTopicRole, string>;
}

/** The inputs that shape the cluster; secrets (Kafka credentials, REST access) are kept apart. */
function structuralArgs(args: ConnectClusterArgs) {
    const {
        kafkaSecurity: _security,
        connectors: _connectors,
        restAccess: _access,
        retainStorageTopicsOnDelete: _retain,
        adoptStorageTopics: _adopt,
        skipAwait: _skip,
        restAuth,
        restTls,
        ...structural
    } = args;
    return { ...structural, restAuthEnabled: restAuth !== undefined, restTlsEnabled: restTls !== undefined };
}

export type { ConnectorConfig };

/**
 * ConnectCluster's inputs before any child is declared: the checks that need no resolved value (run when
 * the program runs, so a bad plain input fails before anything exists), and the resolved config every
 * child's inputs derive from (Outputs that fail, and so register no child, when a late input is bad).
 */
import { DEFAULTS } from "../config/defaults";
import { resolveMetrics } from "../config/metrics";
import { resolvePlugins } from "../config/plugins";
import * as pulumi from "@pulumi/pulumi";
import { ConnectClusterArgs } from "./args";
import {
    ChildOptions,
    PlainClusterArgs,
    ResolvedClusterConfig,
    resolveChildOptions,
    resolveClusterConfig,
} from "../config/clusterConfig";
import { resolveRestCredentials, validateRestAccess } from "../config/restAccess";
import { validateKafkaSecurity } from "../config/kafkaSecurity";
import { resolveExactlyOnceSourceSupport, validateConnectorsExactlyOnce } from "../config/exactlyOnce";
import { plainValue, PreparedConnector, prepareConnectors } from "./connectorInputs";
import { validateIgnorePatterns } from "./unmanaged";
import type { ConnectorConfig } from "../provider/connectorConfig";
import { connectClusterError } from "../errors";
import { restAccessShape } from "./restAccess";
import { validateRestAuthUsers } from "../render/restAuth";
import { defaultStorageTopicName, STORAGE_TOPIC_ROLES, StorageTopicRole } from "../render/storageTopics";
import { KafkaClientSecurity, renderWorkerProperties } from "../render/workerProperties";
import * as workload from "../render/workload";

/** What the plain checks established: values known when the program runs. */
export interface PlainInputs {
    /** The switches deciding which children exist and their options, defaults applied. */
    readonly options: ChildOptions;
    /** Declare a PodMonitor: `metrics` enabled with `podMonitor`. */
    readonly podMonitor: boolean;
    /** The storage topics' names to import, with `adoptStorageTopics`. */
    readonly adoptedTopicNames?: Record<StorageTopicRole, string>;
    readonly connectors: readonly PreparedConnector[];
    /** Names of the Kubernetes objects; the optional Secrets' names only when they are declared. */
    readonly names: workload.WorkloadNames;
}

/** What every child's inputs derive from. */
export interface ResolvedInputs {
    /** Waits for every check of a late input: if one fails, no child is registered. Readable in diffs. */
    readonly config: pulumi.Output<ResolvedClusterConfig>;
    /** Kafka security, checked (a secret when the caller made it one). */
    readonly security: pulumi.Output<KafkaClientSecurity | undefined>;
    /** `restAuth.users`, checked; undefined without `restAuth`. */
    readonly restUsers?: pulumi.Output<Record<string, string>>;
    /** The rendered `distributed.properties` (a secret: it may hold Kafka credentials). */
    readonly workerProperties: pulumi.Output<string>;
    /** Metadata of a Kubernetes object of the component: namespace, labels, annotations. */
    readonly metadata: (objectName: string) => KubernetesMetadata;
}

export interface KubernetesMetadata {
    readonly name: string;
    readonly namespace: pulumi.Output<string>;
    readonly labels: pulumi.Output<Record<string, string>>;
    readonly annotations?: Record<string, string>;
}

/** Checks every input that is plain now, in the order a reader meets them; throws before any child exists. */
export function validatePlainInputs(name: string, args: ConnectClusterArgs): PlainInputs {
    validateComponentName(name);
    const pluginNames = resolvePlugins(args.plugins).map((p) => p.name);
    // The REST port may be known only later: the clash with it is checked when it resolves.
    const metrics = resolveMetrics(args.metrics, typeof args.restPort === "number" ? args.restPort : -1, pluginNames);
    validateRestAccess(restAccessShape(args.restAccess), args.restAuth !== undefined, args.restTls !== undefined);
    const plainStructural = plainValue(structuralArgs(args));
    if (plainStructural !== undefined) {
        resolveClusterConfig(name, plainStructural as PlainClusterArgs);
    }
    const options = resolveChildOptions(args);
    const adoptedTopicNames = options.adoptStorageTopics ? plainStorageTopicNames(name, args) : undefined;
    const plainSecurity = plainValue(args.kafkaSecurity);
    if (plainSecurity !== undefined) {
        validateKafkaSecurity(plainSecurity as KafkaClientSecurity | undefined);
    }
    const plainUsers = plainValue(args.restAuth?.users) as Record<string, string> | undefined;
    if (plainUsers !== undefined) {
        validateRestAuthUsers(plainUsers);
        const plainAccess = plainValue({ username: args.restAccess?.username, password: args.restAccess?.password });
        if (plainAccess !== undefined) {
            resolveRestCredentials(plainAccess as { username?: string; password?: string }, plainUsers);
        }
    }
    validateIgnorePatterns(args.ignoreUnmanagedConnectors ?? []);
    const connectorArgs = args.connectors ?? [...DEFAULTS.connectors];
    const connectors = prepareConnectors(connectorArgs, DEFAULTS.connectorSecretsDir);
    const plainConfigs = plainValue(connectorArgs.map((connector) => connector.config));
    const plainMode = plainValue(args.exactlyOnceSourceSupport);
    if (plainConfigs !== undefined && (plainMode !== undefined || args.exactlyOnceSourceSupport === undefined)) {
        checkConnectorsExactlyOnce(plainMode as string | undefined, connectors, plainConfigs as ConnectorConfig[]);
    }
    const withSecrets = connectors.some((connector) => connector.secretConfig !== undefined);
    const names: workload.WorkloadNames = {
        deployment: name,
        service: name,
        secret: `${name}-worker-config`,
        connectors: connectors.length > 0 ? `${name}-connectors` : undefined,
        connectorSecrets: withSecrets ? `${name}-connector-secrets` : undefined,
        restAuth: args.restAuth === undefined ? undefined : `${name}-rest-auth`,
        restTls: args.restTls === undefined ? undefined : `${name}-rest-tls`,
    };
    return { options, podMonitor: metrics?.podMonitor !== undefined, adoptedTopicNames, connectors, names };
}

/**
 * Inputs only known later (outputs of other resources) are checked when they resolve. Every child's inputs
 * derive from `config`, which waits for all checks. Only a boolean leaves the (possibly secret) checks, so
 * `config` stays readable in diffs.
 */
export function resolveInputs(name: string, args: ConnectClusterArgs, plain: PlainInputs): ResolvedInputs {
    const security = pulumi
        .output(args.kafkaSecurity)
        .apply((value) => validateKafkaSecurity(value as KafkaClientSecurity | undefined));
    const restUsers =
        args.restAuth === undefined
            ? undefined
            : pulumi
                  .output(args.restAuth.users)
                  .apply((users) => validateRestAuthUsers(users as Record<string, string>));
    const allInputsValid = pulumi.unsecret(
        pulumi
            .all([
                security,
                pulumi.all(plain.connectors.map((connector) => connector.config)),
                restUsers,
                args.exactlyOnceSourceSupport,
            ])
            .apply(([, configs, , mode]) => {
                checkConnectorsExactlyOnce(mode, plain.connectors, configs);
                return true;
            }),
    );
    const config = pulumi
        .all([pulumi.output(structuralArgs(args)), allInputsValid])
        .apply(([structural]) => resolveClusterConfig(name, structural as PlainClusterArgs));
    const workerProperties = pulumi.secret(
        pulumi.all([config, security]).apply(([c, sec]) => renderWorkerProperties({ ...c.worker, security: sec })),
    );
    const annotations = plain.options.skipAwait ? { [workload.SKIP_AWAIT_ANNOTATION]: "true" } : undefined;
    const metadata = (objectName: string): KubernetesMetadata => ({
        name: objectName,
        namespace: config.namespace,
        labels: config.apply((c) => workload.workloadLabels(name, c).all),
        annotations,
    });
    return { config, security, restUsers, workerProperties, metadata };
}

/** A connector requiring exactly-once delivery needs the workers at "enabled". */
function checkConnectorsExactlyOnce(
    mode: string | undefined,
    connectors: readonly PreparedConnector[],
    configs: readonly ConnectorConfig[],
): void {
    validateConnectorsExactlyOnce(
        resolveExactlyOnceSourceSupport(mode),
        connectors.map((connector, i) => ({ name: connector.name, config: configs[i] })),
    );
}

/** Kubernetes object names derive from the component name: it must be a DNS label with room for suffixes. */
function validateComponentName(name: string): void {
    if (!/^[a-z]([-a-z0-9]{0,47}[a-z0-9])?$/.test(name)) {
        throw connectClusterError(
            "invalid-input",
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
        throw connectClusterError(
            "invalid-input",
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
        ignoreUnmanagedConnectors: _ignore,
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

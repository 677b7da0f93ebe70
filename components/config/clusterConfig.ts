/**
 * Validation of ConnectCluster's inputs, and the defaults (from ./defaults) applied to them, as pure functions
 * over plain (already resolved) values. Errors name the field and the fix.
 */
import { connectClusterError } from "../errors";
import { PluginInstaller, PluginLayout, pluginPathEntries } from "../render/pluginPod";
import { ResolvedPlugin } from "../render/plugins";
import { metricsAgentPlugin, metricsConfigFile, ResolvedMetrics } from "../render/metrics";
import { TopologySpread, TOPOLOGY_SPREAD_MODES } from "../render/scheduling";
import { MetricsArgs, resolveMetrics } from "./metrics";
import { PluginArgs, resolvePlugins } from "./plugins";
import { PluginInstallerArgs, resolvePluginInstaller } from "./pluginInstaller";
import { DEFAULTS } from "./defaults";
import { StorageTopicOptions, StorageTopicSet, storageTopicSpecs } from "../render/storageTopics";
import {
    ClientConfigOverridePolicy,
    ExactlyOnceSourceSupport,
    validateWorkerOverrides,
    WorkerSpec,
} from "../render/workerProperties";
import { resolveExactlyOnceSourceSupport } from "./exactlyOnce";

/** File names inside DEFAULTS.restTlsDir (keys of the rest-tls Secret). */
export const REST_TLS_FILES = { keystore: "keystore.p12", password: "keystore-password.properties" } as const;

/** The structural inputs, resolved to plain values (no secrets among them). */
export interface PlainClusterArgs {
    readonly bootstrapServers: string;
    readonly groupId?: string;
    readonly namespace?: string;
    readonly replicas?: number;
    readonly replicationFactor?: number;
    readonly storageTopics?: {
        readonly config?: StorageTopicOptions;
        readonly offset?: StorageTopicOptions;
        readonly status?: StorageTopicOptions;
    };
    readonly keyConverter?: string;
    readonly valueConverter?: string;
    readonly converterSchemasEnable?: boolean;
    readonly pluginPath?: string[];
    readonly scheduledRebalanceMaxDelayMs?: number;
    readonly connectorClientConfigOverridePolicy?: ClientConfigOverridePolicy;
    readonly exactlyOnceSourceSupport?: ExactlyOnceSourceSupport;
    readonly networkPolicy?: boolean;
    readonly autoRestart?: boolean;
    readonly restAllowedFrom?: Record<string, unknown>[];
    readonly workerOverrides?: Record<string, string>;
    readonly restPort?: number;
    readonly image?: string;
    readonly connectDistributedPath?: string;
    readonly heapOptions?: string;
    readonly resources?: { readonly requests?: Record<string, string>; readonly limits?: Record<string, string> };
    readonly labels?: Record<string, string>;
    readonly connectorReadyTimeoutSeconds?: number;
    readonly rolloutTimeoutSeconds?: number;
    readonly plugins?: PluginArgs[];
    readonly pluginInstaller?: PluginInstallerArgs;
    readonly metrics?: MetricsArgs;
    readonly topologySpread?: TopologySpread;
    /** Whether `restAuth` is given (its users are secret and resolved apart). */
    readonly restAuthEnabled?: boolean;
    /** Whether `restTls` is given (its keystore is secret and resolved apart). */
    readonly restTlsEnabled?: boolean;
}

export interface ResolvedClusterConfig {
    readonly namespace: string;
    readonly groupId: string;
    readonly replicas: number;
    readonly image: string;
    readonly connectDistributedPath: string;
    readonly heapOptions: string;
    readonly resources: { readonly requests: Record<string, string>; readonly limits: Record<string, string> };
    readonly labels: Record<string, string>;
    readonly restPort: number;
    /** Basic auth on the REST API: the folder the rest-auth Secret is mounted at; undefined when off. */
    readonly restAuthDir?: string;
    /** HTTPS listener: the folder the rest-tls Secret is mounted at; undefined when off (plain HTTP). */
    readonly restTlsDir?: string;
    readonly storageTopics: StorageTopicSet;
    /** NetworkPolicy peers allowed to reach the REST port besides the workers; undefined: no NetworkPolicy. */
    readonly restAllowedFrom?: readonly Record<string, unknown>[];
    /** Everything the worker needs except Kafka security, which is resolved apart because it is secret. */
    readonly worker: Omit<WorkerSpec, "security">;
    readonly connectorReadyTimeoutSeconds: number;
    /** How long a rollout may take: the Deployment's progressDeadlineSeconds and pulumi-kubernetes' await. */
    readonly rolloutTimeoutSeconds: number;
    /** Plugins installed at pod start (`plugins`), checked and resolved; empty: no init container. */
    readonly plugins: readonly ResolvedPlugin[];
    readonly pluginInstaller: PluginInstaller;
    readonly pluginLayout: PluginLayout;
    /** Prometheus metrics (`metrics`); undefined when off. Its exporter agent is among `plugins`. */
    readonly metrics?: ResolvedMetrics;
    /** How the workers are spread across nodes. */
    readonly topologySpread: TopologySpread;
    /** The auto-restart container's timings (`autoRestart`); undefined when off. */
    readonly autoRestart?: { readonly pollSeconds: number; readonly backoffUnitSeconds: number };
}

/** Applies every default and checks every structural input. `componentName` is the default group id. */
export function resolveClusterConfig(componentName: string, args: PlainClusterArgs): ResolvedClusterConfig {
    if (typeof args.bootstrapServers !== "string" || !/^[^\s,]+:\d+(,[^\s,]+:\d+)*$/.test(args.bootstrapServers)) {
        throw connectClusterError(
            "invalid-input",
            `bootstrapServers must be a comma-separated list of host:port (got ` +
                `${JSON.stringify(args.bootstrapServers)}).`,
            { field: "bootstrapServers" },
        );
    }
    const groupId = args.groupId ?? componentName;
    if (!/^[a-zA-Z0-9._-]{1,200}$/.test(groupId)) {
        throw connectClusterError(
            "invalid-input",
            `groupId "${groupId}" must be 1-200 characters from a-z, A-Z, 0-9, ".", "_" and "-".`,
            { field: "groupId" },
        );
    }
    const namespace = args.namespace ?? DEFAULTS.namespace;
    if (!/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(namespace)) {
        throw connectClusterError(
            "invalid-input",
            `namespace "${namespace}" is not a valid Kubernetes namespace name (lowercase RFC 1123 label).`,
            { field: "namespace" },
        );
    }
    const replicas = wholeNumber("replicas", args.replicas ?? DEFAULTS.replicas, 0);
    const replicationFactor = wholeNumber("replicationFactor", args.replicationFactor ?? DEFAULTS.replicationFactor, 1);
    const restPort = wholeNumber("restPort", args.restPort ?? DEFAULTS.restPort, 1);
    if (restPort > 65535) {
        throw connectClusterError("invalid-input", `restPort must be between 1 and 65535 (got ${restPort}).`, {
            field: "restPort",
        });
    }
    const scheduledRebalanceMaxDelayMs = wholeNumber(
        "scheduledRebalanceMaxDelayMs",
        args.scheduledRebalanceMaxDelayMs ?? DEFAULTS.scheduledRebalanceMaxDelayMs,
        0,
    );
    const connectorReadyTimeoutSeconds = wholeNumber(
        "connectorReadyTimeoutSeconds",
        args.connectorReadyTimeoutSeconds ?? DEFAULTS.connectorReadyTimeoutSeconds,
        1,
    );
    const storageTopics = storageTopicSpecs({
        groupId,
        replicationFactor,
        defaultPartitions: DEFAULTS.storageTopicPartitions,
        ...args.storageTopics,
    });
    const workerOverrides = args.workerOverrides ?? { ...DEFAULTS.workerOverrides };
    validateWorkerOverrides(workerOverrides);
    const overridePolicy = args.connectorClientConfigOverridePolicy ?? DEFAULTS.clientConfigOverridePolicy;
    if (!["None", "Principal", "All"].includes(overridePolicy)) {
        throw connectClusterError(
            "invalid-input",
            `connectorClientConfigOverridePolicy must be "None", "Principal" or "All" (got "${overridePolicy}").`,
            { field: "connectorClientConfigOverridePolicy" },
        );
    }
    const pluginPath = args.pluginPath ?? [...DEFAULTS.pluginPath];
    if (pluginPath.some((entry) => entry.includes(","))) {
        throw connectClusterError(
            "invalid-input",
            `pluginPath entries must not contain "," (it separates entries in plugin.path).`,
            { field: "pluginPath" },
        );
    }
    if (args.restTlsEnabled === true && replicas > 1) {
        // Kafka 4's Jetty answers 400 "Invalid SNI" to a request whose Host its certificate does not name, and
        // workers forward to the leader at its pod IP, which no certificate issued in advance can name.
        throw connectClusterError(
            "invalid-input",
            `restTls supports at most 1 replica for now (got ${replicas}): workers forward requests to the leader at ` +
                `its pod IP, ` +
                `and Kafka Connect's HTTPS listener refuses requests whose host its certificate does not name (HTTP ` +
                `400 "Invalid SNI").`,
            { field: "restTls" },
        );
    }
    const userPlugins = resolvePlugins(args.plugins);
    const metrics = resolveMetrics(
        args.metrics,
        restPort,
        userPlugins.map((p) => p.name),
    );
    const plugins =
        metrics === undefined ? userPlugins : [...userPlugins, metricsAgentPlugin(metrics, metricsConfigFile)];
    const topologySpread = args.topologySpread ?? DEFAULTS.topologySpread;
    if (!TOPOLOGY_SPREAD_MODES.includes(topologySpread)) {
        throw connectClusterError(
            "invalid-input",
            `topologySpread must be "preferred", "required" or "off" (got ${JSON.stringify(topologySpread)}).`,
            { field: "topologySpread" },
        );
    }
    const pluginInstaller = resolvePluginInstaller(args.pluginInstaller);
    const pluginLayout = { installDir: DEFAULTS.pluginInstallDir, imagesDir: DEFAULTS.pluginImagesDir };
    const restAuthDir = args.restAuthEnabled === true ? DEFAULTS.restAuthDir : undefined;
    const restTlsDir = args.restTlsEnabled === true ? DEFAULTS.restTlsDir : undefined;
    return {
        namespace,
        groupId,
        replicas,
        image: args.image ?? DEFAULTS.image,
        connectDistributedPath: args.connectDistributedPath ?? DEFAULTS.connectDistributedPath,
        heapOptions: args.heapOptions ?? DEFAULTS.heapOptions,
        resources: {
            requests: args.resources?.requests ?? { ...DEFAULTS.resources.requests },
            limits: args.resources?.limits ?? { ...DEFAULTS.resources.limits },
        },
        labels: args.labels ?? { ...DEFAULTS.labels },
        restPort,
        restAuthDir,
        restTlsDir,
        storageTopics,
        restAllowedFrom: resolveChildOptions(args).networkPolicy
            ? (args.restAllowedFrom ?? [...DEFAULTS.restAllowedFrom])
            : undefined,
        worker: {
            bootstrapServers: args.bootstrapServers,
            groupId,
            storageTopics,
            keyConverter: args.keyConverter ?? DEFAULTS.converter,
            valueConverter: args.valueConverter ?? DEFAULTS.converter,
            converterSchemasEnable: args.converterSchemasEnable ?? DEFAULTS.converterSchemasEnable,
            restPort,
            listenerHost: DEFAULTS.listenerHost,
            advertisedHost: { fromEnv: DEFAULTS.advertisedHostEnv },
            pluginPath: [...pluginPath, ...pluginPathEntries(plugins, pluginLayout)],
            connectorSecretsDir: DEFAULTS.connectorSecretsDir,
            scheduledRebalanceMaxDelayMs,
            clientConfigOverridePolicy: overridePolicy,
            exactlyOnceSourceSupport: resolveExactlyOnceSourceSupport(args.exactlyOnceSourceSupport),
            restAuth: restAuthDir !== undefined,
            restTls:
                restTlsDir === undefined
                    ? undefined
                    : {
                          keystoreFile: `${restTlsDir}/${REST_TLS_FILES.keystore}`,
                          passwordFile: `${restTlsDir}/${REST_TLS_FILES.password}`,
                      },
            clientDefaults: failoverClientSettings(workerOverrides),
            overrides: workerOverrides,
        },
        connectorReadyTimeoutSeconds,
        rolloutTimeoutSeconds: wholeNumber(
            "rolloutTimeoutSeconds",
            args.rolloutTimeoutSeconds ?? DEFAULTS.rolloutTimeoutSeconds,
            DEFAULTS.minRolloutTimeoutSeconds,
        ),
        plugins,
        pluginInstaller,
        pluginLayout,
        ...(metrics === undefined ? {} : { metrics }),
        topologySpread,
        ...((args.autoRestart ?? DEFAULTS.autoRestart)
            ? {
                  autoRestart: {
                      pollSeconds: DEFAULTS.autoRestartPollSeconds,
                      backoffUnitSeconds: DEFAULTS.autoRestartBackoffUnitSeconds,
                  },
              }
            : {}),
    };
}

/**
 * DEFAULTS.failoverWorkerSettings and failoverClientSettings less what the overrides set; no consumer settings
 * with the KIP-848 consumer protocol, which refuses them.
 */
function failoverClientSettings(overrides: Readonly<Record<string, string>>): Record<string, string> {
    const kip848 = (overrides["consumer.group.protocol"] ?? "").trim().toLowerCase() === "consumer";
    const defaults = { ...DEFAULTS.failoverWorkerSettings, ...(kip848 ? {} : DEFAULTS.failoverClientSettings) };
    return Object.fromEntries(Object.entries(defaults).filter(([key]) => !(key in overrides)));
}

function wholeNumber(field: string, value: number, min: number): number {
    if (!Number.isInteger(value) || value < min) {
        throw connectClusterError("invalid-input", `${field} must be a whole number ≥ ${min} (got ${value}).`, {
            field: field,
        });
    }
    return value;
}

/** The switches that decide which children exist and their resource options: plain, known when the program runs. */
export interface ChildOptions {
    /** Annotate the Kubernetes objects `pulumi.com/skipAwait`. */
    readonly skipAwait: boolean;
    /** Declare the NetworkPolicy. */
    readonly networkPolicy: boolean;
    /** Keep the storage topics on delete (`retainOnDelete`). */
    readonly retainStorageTopicsOnDelete: boolean;
    /** Import existing storage topics. */
    readonly adoptStorageTopics: boolean;
}

/** Applies the defaults of the plain switches (the other inputs' are applied by resolveClusterConfig). */
export function resolveChildOptions(args: { readonly [K in keyof ChildOptions]?: boolean }): ChildOptions {
    return {
        skipAwait: args.skipAwait ?? DEFAULTS.skipAwait,
        networkPolicy: args.networkPolicy ?? DEFAULTS.networkPolicy,
        retainStorageTopicsOnDelete: args.retainStorageTopicsOnDelete ?? DEFAULTS.retainStorageTopicsOnDelete,
        adoptStorageTopics: args.adoptStorageTopics ?? DEFAULTS.adoptStorageTopics,
    };
}

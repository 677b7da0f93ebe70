/**
 * Defaults and validation of ConnectCluster's inputs, in one place, as pure functions over plain
 * (already resolved) values. Errors name the field and the fix.
 */
import { ConnectClusterError } from "../errors";
import { StorageTopicOptions, StorageTopicSet, storageTopicSpecs } from "../render/storageTopics";
import {
    ClientConfigOverridePolicy,
    KafkaClientSecurity,
    validateWorkerOverrides,
    WorkerSpec,
} from "../render/workerProperties";

export const DEFAULTS = {
    namespace: "default",
    replicas: 2,
    replicationFactor: 3,
    converter: "org.apache.kafka.connect.json.JsonConverter",
    converterSchemasEnable: false,
    pluginPath: ["/opt/kafka/plugins"],
    scheduledRebalanceMaxDelayMs: 30_000,
    clientConfigOverridePolicy: "None",
    networkPolicy: true,
    skipAwait: false,
    adoptStorageTopics: false,
    retainStorageTopicsOnDelete: true,
    restPort: 8083,
    image: "apache/kafka:4.3.1",
    connectDistributedPath: "/opt/kafka/bin/connect-distributed.sh",
    heapOptions: "-Xms1g -Xmx1g",
    resources: { requests: { cpu: "500m", memory: "1536Mi" }, limits: { memory: "1536Mi" } },
    connectorReadyTimeoutSeconds: 300,
    /** Where connector secrets (`secretConfig`) are mounted in the workers. */
    connectorSecretsDir: "/etc/kafka-connect-secrets",
    /** The pod's IP, from the downward API, is what each worker advertises to its peers. */
    advertisedHostEnv: "POD_IP",
    /** Where the rest-auth Secret (users file, JAAS file, probe credential) is mounted when `restAuth` is set. */
    restAuthDir: "/etc/kafka-connect-rest-auth",
    /** Where the rest-tls Secret (PKCS#12 keystore, its password) is mounted when `restTls` is set. */
    restTlsDir: "/etc/kafka-connect-rest-tls",
    /**
     * Client settings changed from Kafka's defaults; `workerOverrides` may replace them. After a worker dies
     * (SIGKILL, node loss), its sink tasks' consumers stay members of the sink's consumer group, and their
     * partitions unconsumed, until `session.timeout.ms` expires: Kafka's 45 s made records flow again ~47 s
     * after a kill in the failover test, 10 s makes it ~22 s.
     */
    failoverClientSettings: { "consumer.session.timeout.ms": "10000", "consumer.heartbeat.interval.ms": "3000" },
} as const;

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
    readonly networkPolicy?: boolean;
    readonly restAllowedFrom?: Record<string, unknown>[];
    readonly workerOverrides?: Record<string, string>;
    readonly restPort?: number;
    readonly image?: string;
    readonly connectDistributedPath?: string;
    readonly heapOptions?: string;
    readonly resources?: { readonly requests?: Record<string, string>; readonly limits?: Record<string, string> };
    readonly labels?: Record<string, string>;
    readonly connectorReadyTimeoutSeconds?: number;
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
}

/** Applies every default and checks every structural input. `componentName` is the default group id. */
export function resolveClusterConfig(componentName: string, args: PlainClusterArgs): ResolvedClusterConfig {
    if (typeof args.bootstrapServers !== "string" || !/^[^\s,]+:\d+(,[^\s,]+:\d+)*$/.test(args.bootstrapServers)) {
        throw new ConnectClusterError(
            `bootstrapServers must be a comma-separated list of host:port (got ` +
                `${JSON.stringify(args.bootstrapServers)}).`,
        );
    }
    const groupId = args.groupId ?? componentName;
    if (!/^[a-zA-Z0-9._-]{1,200}$/.test(groupId)) {
        throw new ConnectClusterError(
            `groupId "${groupId}" must be 1-200 characters from a-z, A-Z, 0-9, ".", "_" and "-".`,
        );
    }
    const namespace = args.namespace ?? DEFAULTS.namespace;
    if (!/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(namespace)) {
        throw new ConnectClusterError(
            `namespace "${namespace}" is not a valid Kubernetes namespace name (lowercase RFC 1123 label).`,
        );
    }
    const replicas = wholeNumber("replicas", args.replicas ?? DEFAULTS.replicas, 0);
    const replicationFactor = wholeNumber("replicationFactor", args.replicationFactor ?? DEFAULTS.replicationFactor, 1);
    const restPort = wholeNumber("restPort", args.restPort ?? DEFAULTS.restPort, 1);
    if (restPort > 65535) {
        throw new ConnectClusterError(`restPort must be between 1 and 65535 (got ${restPort}).`);
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
    const storageTopics = storageTopicSpecs({ groupId, replicationFactor, ...args.storageTopics });
    const workerOverrides = args.workerOverrides ?? {};
    validateWorkerOverrides(workerOverrides);
    const overridePolicy = args.connectorClientConfigOverridePolicy ?? DEFAULTS.clientConfigOverridePolicy;
    if (!["None", "Principal", "All"].includes(overridePolicy)) {
        throw new ConnectClusterError(
            `connectorClientConfigOverridePolicy must be "None", "Principal" or "All" (got "${overridePolicy}").`,
        );
    }
    const pluginPath = args.pluginPath ?? [...DEFAULTS.pluginPath];
    if (pluginPath.some((entry) => entry.includes(","))) {
        throw new ConnectClusterError(`pluginPath entries must not contain "," (it separates entries in plugin.path).`);
    }
    if (args.restTlsEnabled === true && replicas > 1) {
        // Kafka 4's Jetty answers 400 "Invalid SNI" to a request whose Host its certificate does not name, and
        // workers forward to the leader at its pod IP, which no certificate issued in advance can name.
        throw new ConnectClusterError(
            `restTls supports at most 1 replica for now (got ${replicas}): workers forward requests to the leader at ` +
                `its pod IP, ` +
                `and Kafka Connect's HTTPS listener refuses requests whose host its certificate does not name (HTTP ` +
                `400 "Invalid SNI").`,
        );
    }
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
        labels: args.labels ?? {},
        restPort,
        restAuthDir,
        restTlsDir,
        storageTopics,
        restAllowedFrom: (args.networkPolicy ?? DEFAULTS.networkPolicy) ? (args.restAllowedFrom ?? []) : undefined,
        worker: {
            bootstrapServers: args.bootstrapServers,
            groupId,
            storageTopics,
            keyConverter: args.keyConverter ?? DEFAULTS.converter,
            valueConverter: args.valueConverter ?? DEFAULTS.converter,
            converterSchemasEnable: args.converterSchemasEnable ?? DEFAULTS.converterSchemasEnable,
            restPort,
            listenerHost: "0.0.0.0",
            advertisedHost: { fromEnv: DEFAULTS.advertisedHostEnv },
            pluginPath,
            connectorSecretsDir: DEFAULTS.connectorSecretsDir,
            scheduledRebalanceMaxDelayMs,
            clientConfigOverridePolicy: overridePolicy,
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
    };
}

/** DEFAULTS.failoverClientSettings less what the overrides set; none with the KIP-848 consumer protocol, which refuses
 * them. */
function failoverClientSettings(overrides: Readonly<Record<string, string>>): Record<string, string> {
    if ((overrides["consumer.group.protocol"] ?? "").trim().toLowerCase() === "consumer") {
        return {};
    }
    return Object.fromEntries(Object.entries(DEFAULTS.failoverClientSettings).filter(([key]) => !(key in overrides)));
}

/** Checks the security block's combinations; returns it unchanged when valid. */
export function validateKafkaSecurity(security: KafkaClientSecurity | undefined): KafkaClientSecurity | undefined {
    if (security === undefined) {
        return undefined;
    }
    const protocols = ["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"];
    if (!protocols.includes(security.protocol)) {
        throw new ConnectClusterError(
            `kafkaSecurity.protocol must be one of ${protocols.join(", ")} (got "${security.protocol}").`,
        );
    }
    const usesSasl = security.protocol.startsWith("SASL_");
    if (usesSasl && security.sasl === undefined) {
        throw new ConnectClusterError(
            `kafkaSecurity.sasl is required with protocol ${security.protocol}: give mechanism, username and password.`,
        );
    }
    if (!usesSasl && security.sasl !== undefined) {
        throw new ConnectClusterError(
            `kafkaSecurity.sasl is set but protocol ${security.protocol} does not use SASL: use SASL_SSL or ` +
                `SASL_PLAINTEXT.`,
        );
    }
    if (security.sasl !== undefined && !["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"].includes(security.sasl.mechanism)) {
        throw new ConnectClusterError(`kafkaSecurity.sasl.mechanism must be PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512.`);
    }
    if ((security.clientCertificatePem === undefined) !== (security.clientKeyPem === undefined)) {
        throw new ConnectClusterError(
            `kafkaSecurity.clientCertificatePem and clientKeyPem go together: give both or neither.`,
        );
    }
    const usesTls = security.protocol === "SSL" || security.protocol === "SASL_SSL";
    if (!usesTls && (security.caCertificatePem !== undefined || security.clientCertificatePem !== undefined)) {
        throw new ConnectClusterError(
            `kafkaSecurity certificates are set but protocol ${security.protocol} does not use TLS: use SSL or ` +
                `SASL_SSL.`,
        );
    }
    return security;
}

function wholeNumber(field: string, value: number, min: number): number {
    if (!Number.isInteger(value) || value < min) {
        throw new ConnectClusterError(`${field} must be a whole number ≥ ${min} (got ${value}).`);
    }
    return value;
}

/** Which REST access settings were given (presence only: the values may be secret or unknown yet). */
export interface RestAccessShape {
    readonly url: boolean;
    readonly kubernetesServiceProxy: boolean;
    readonly credentialsOrCa: boolean;
}

/** Checks restAccess's combinations, and with `restAuth` that the provider has a way to send credentials. */
export function validateRestAccess(access: RestAccessShape, restAuthEnabled: boolean, restTlsEnabled: boolean): void {
    if (access.url && access.kubernetesServiceProxy) {
        throw new ConnectClusterError(`restAccess: give either url or kubernetesServiceProxy, not both.`);
    }
    if (!access.url && access.credentialsOrCa) {
        throw new ConnectClusterError(
            `restAccess.username, password and caCertificatePem apply to restAccess.url; set url too.`,
        );
    }
    if (restAuthEnabled && !access.url) {
        // Verified in the Kubernetes sources (WithAuthentication): after authenticating the caller, the API
        // server deletes the Authorization header, so basic auth cannot reach the workers through its proxy.
        throw new ConnectClusterError(
            `restAuth needs restAccess.url (an ingress, a VPN or port-forward address): the Kubernetes API server's ` +
                `service proxy ` +
                `removes the Authorization header, so the provider's credentials would never reach the workers.`,
        );
    }
    if (restTlsEnabled && !access.url) {
        throw new ConnectClusterError(
            `restTls needs restAccess.url (an address the workers' certificate names): through the Kubernetes API ` +
                `server's service proxy ` +
                `the request reaches a worker under a host name its certificate cannot name, and Jetty refuses it ` +
                `(HTTP 400 "Invalid SNI").`,
        );
    }
}

/**
 * The provider's basic-auth credentials: `restAccess.username`/`password` when given, else taken from
 * `restAuth.users` (the only user, or the password of the named user). Messages never hold a password.
 */
export function resolveRestCredentials(
    access: { readonly username?: string; readonly password?: string },
    users: Readonly<Record<string, string>> | undefined,
): { username: string; password: string } | undefined {
    if (users === undefined) {
        return access.username === undefined
            ? undefined
            : { username: access.username, password: access.password ?? "" };
    }
    const names = Object.keys(users).sort();
    const username = access.username ?? (names.length === 1 ? names[0] : undefined);
    if (username === undefined) {
        throw new ConnectClusterError(
            `restAccess.username is required: restAuth.users has ${names.length} users (${names.join(", ")}); name ` +
                `the one the provider logs in as.`,
        );
    }
    const password = access.password ?? users[username];
    if (password === undefined) {
        throw new ConnectClusterError(
            `restAccess.username "${username}" is not in restAuth.users: add it there, or give restAccess.password.`,
        );
    }
    return { username, password };
}

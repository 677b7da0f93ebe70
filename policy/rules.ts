/**
 * The checks of the ConnectCluster policy pack, as pure functions over the plain properties the engine hands a
 * policy (no @pulumi import): each returns the violation messages of one resource, or of the stack, and nothing
 * when a value is unknown (a preview's computed values are judged at `up`). policy/index.ts wires them to
 * @pulumi/policy. They catch the mistakes Kafka Connect users keep making, whether the resources come from
 * ConnectCluster or are written by hand.
 */

/** Type tokens the rules match. */
export const TYPES = {
    topic: "kafka:index/topic:Topic",
    deployment: "kubernetes:apps/v1:Deployment",
    networkPolicy: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
    /** ConnectCluster's connector: a dynamic resource (components/provider/connector.ts). */
    connector: "pulumi-nodejs:dynamic/connectcluster:Connector",
} as const;

export type StorageRole = "config" | "offset" | "status";

/**
 * The storage role of a topic: ConnectCluster's own topics by their Pulumi name (`<cluster>-config-topic`), other
 * topics by Connect's naming habits (`connect-configs`, `connect-offsets`, `connect-status`, `<group>.config`):
 * a Kafka name ending in config(s), offset(s) or status(es) after `.`, `-` or `_`.
 */
export function storageRole(resourceName: string, topicName: unknown): StorageRole | undefined {
    const own = /-(config|offset|status)-topic$/.exec(resourceName);
    if (own !== null) {
        return own[1] as StorageRole;
    }
    if (typeof topicName !== "string") {
        return undefined;
    }
    const match = /(?:^|[._-])(configs?|offsets?|status(?:es)?)$/.exec(topicName);
    if (match === null) {
        return undefined;
    }
    return match[1].startsWith("config") ? "config" : match[1].startsWith("offset") ? "offset" : "status";
}

export interface TopicProps {
    readonly name?: unknown;
    readonly partitions?: unknown;
    readonly replicationFactor?: unknown;
    readonly config?: unknown;
}

/** The config topic holds one partition: Connect refuses to start on a config topic with more. */
export function configTopicPartitions(role: StorageRole | undefined, topic: TopicProps): string[] {
    if (role !== "config" || typeof topic.partitions !== "number" || topic.partitions <= 1) {
        return [];
    }
    return [
        `Connect config storage topic "${String(topic.name)}" has ${topic.partitions} partitions: ` +
            `it must have exactly 1 (Connect refuses to start otherwise).`,
    ];
}

/** Storage topics are compacted: with `delete`, connector configs and offsets vanish with old segments. */
export function storageTopicCompacted(role: StorageRole | undefined, topic: TopicProps): string[] {
    if (role === undefined || topic.config === undefined) {
        return [];
    }
    const policy = (topic.config as Record<string, unknown>)["cleanup.policy"];
    if (policy === "compact") {
        return [];
    }
    if (policy !== undefined && typeof policy !== "string") {
        return []; // unknown at preview
    }
    return [
        `Connect ${role} storage topic "${String(topic.name)}" has cleanup.policy ` +
            `${policy === undefined ? "unset (the broker's default, delete)" : `"${policy}"`}: set it to ` +
            `"compact", or connector configs and offsets are deleted with old log segments.`,
    ];
}

/** In production, storage topics keep 3 copies. */
export function storageTopicReplication(role: StorageRole | undefined, topic: TopicProps, minimum: number): string[] {
    if (role === undefined || typeof topic.replicationFactor !== "number" || topic.replicationFactor >= minimum) {
        return [];
    }
    return [
        `Connect ${role} storage topic "${String(topic.name)}" has replication factor ` +
            `${topic.replicationFactor}: production needs at least ${minimum}, or one broker's loss loses ` +
            `connector configs and offsets.`,
    ];
}

interface Container {
    readonly name?: unknown;
    readonly command?: unknown;
    readonly args?: unknown;
    readonly resources?: { readonly limits?: Record<string, unknown> };
}

export interface DeploymentProps {
    readonly metadata?: { readonly name?: unknown; readonly namespace?: unknown };
    readonly spec?: {
        readonly replicas?: unknown;
        readonly template?: {
            readonly metadata?: { readonly labels?: Record<string, unknown> };
            readonly spec?: { readonly containers?: Container[]; readonly initContainers?: Container[] };
        };
    };
}

/** The words of a container's command and args, joined. */
function commandLine(container: Container): string {
    const words = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
    return [...words(container.command), ...words(container.args)].filter((w) => typeof w === "string").join(" ");
}

/** A Deployment runs Kafka Connect when one of its containers runs `connect-distributed`. */
export function isConnectDeployment(deployment: DeploymentProps): boolean {
    return (deployment.spec?.template?.spec?.containers ?? []).some((c) =>
        commandLine(c).includes("connect-distributed"),
    );
}

const deploymentName = (deployment: DeploymentProps): string => String(deployment.metadata?.name ?? "(unnamed)");

/** In production, at least 2 workers: one can fail or be drained while the other keeps the tasks running. */
export function workerReplicas(deployment: DeploymentProps, minimum: number): string[] {
    // Kubernetes' default is 1 replica.
    const replicas = deployment.spec?.replicas ?? 1;
    if (!isConnectDeployment(deployment) || typeof replicas !== "number" || replicas >= minimum) {
        return [];
    }
    return [
        `Kafka Connect Deployment "${deploymentName(deployment)}" has ${replicas} replica(s): production needs at ` +
            `least ${minimum}, so that a worker's failure or a node drain does not stop every connector.`,
    ];
}

/** Every Connect worker container has a memory limit: a JVM without one can take the node's memory. */
export function workerLimits(deployment: DeploymentProps): string[] {
    if (!isConnectDeployment(deployment)) {
        return [];
    }
    return (deployment.spec?.template?.spec?.containers ?? [])
        .filter((c) => c.resources?.limits?.memory === undefined)
        .map(
            (c) =>
                `Kafka Connect Deployment "${deploymentName(deployment)}" container "${String(c.name)}" has no ` +
                `memory limit: set resources.limits.memory (and a heap that fits in it).`,
        );
}

/** Plugin downloads are checked: a URL's content can change, a checksum cannot. */
export function pluginChecksums(deployment: DeploymentProps): string[] {
    if (!isConnectDeployment(deployment)) {
        return [];
    }
    const spec = deployment.spec?.template?.spec;
    return [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])]
        .filter((c) => {
            const line = commandLine(c);
            const downloads = /\b(curl|wget|confluent-hub\s+install)\b/.test(line);
            return downloads && !/\bsha(256|512)sum\b|\bshasum\b/.test(line);
        })
        .map(
            (c) =>
                `Kafka Connect Deployment "${deploymentName(deployment)}" container "${String(c.name)}" downloads ` +
                `plugin artifacts without checking a SHA-256/512 checksum: declare them in ConnectCluster's ` +
                `\`plugins\` with their sha512, or verify each download with sha512sum.`,
        );
}

/** A config key that holds a credential (a password, secret, token, key or JAAS config). */
export const SECRET_KEY = /(password|passwd|secret|token|credential|api[._-]?key|private[._-]?key|sasl\.jaas\.config)/i;
/** Connect's config provider reference (`${file:/path:key}`): the value itself lives elsewhere. */
const PROVIDER_REFERENCE = /^\$\{[A-Za-z0-9_-]+:[^}]*\}$/;

/** Credentials go in `secretConfig` (a mounted Secret read by the file config provider), not in `config`. */
export function connectorSecrets(connectorName: unknown, config: unknown): string[] {
    if (config === undefined || config === null || typeof config !== "object") {
        return [];
    }
    return Object.entries(config as Record<string, unknown>)
        .filter(([key, value]) => SECRET_KEY.test(key) && typeof value === "string" && !PROVIDER_REFERENCE.test(value))
        .map(([key]) => key)
        .sort()
        .map(
            (key) =>
                `Connector "${String(connectorName)}" has "${key}" in plain config: move it to secretConfig, ` +
                `which keeps it out of Connect's REST API, the stack state and the preview.`,
        );
}

export interface NetworkPolicyProps {
    readonly metadata?: { readonly namespace?: unknown };
    readonly spec?: { readonly podSelector?: { readonly matchLabels?: Record<string, unknown> } };
}

/**
 * Connect's REST API creates connectors that read what the workers can read: a NetworkPolicy in the Deployment's
 * namespace must select its pods (all of a podSelector's matchLabels among the pods' labels).
 */
export function restNetworkPolicy(deployment: DeploymentProps, policies: readonly NetworkPolicyProps[]): string[] {
    if (!isConnectDeployment(deployment)) {
        return [];
    }
    const namespace = deployment.metadata?.namespace ?? "default";
    const labels = deployment.spec?.template?.metadata?.labels ?? {};
    const covered = policies.some((policy) => {
        if ((policy.metadata?.namespace ?? "default") !== namespace) {
            return false;
        }
        const selector = policy.spec?.podSelector?.matchLabels ?? {};
        return Object.entries(selector).every(([key, value]) => labels[key] === value);
    });
    if (covered) {
        return [];
    }
    return [
        `Kafka Connect Deployment "${deploymentName(deployment)}" has no NetworkPolicy selecting its pods in ` +
            `namespace "${String(namespace)}": anyone in the cluster can call its REST API and create connectors. ` +
            `Keep ConnectCluster's networkPolicy (the default) or declare one.`,
    ];
}

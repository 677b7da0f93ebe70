/**
 * The three compacted topics where a distributed Connect cluster keeps its state. Pure: the
 * component declares them as kafka.Topic resources, the test harness creates them from the same specs.
 */
import { connectClusterError } from "../errors";

export type StorageTopicRole = "config" | "offset" | "status";

export interface StorageTopicSpec {
    readonly role: StorageTopicRole;
    readonly name: string;
    readonly partitions: number;
    readonly replicationFactor: number;
    /** Topic-level configs; always includes `cleanup.policy=compact`. */
    readonly config: Readonly<Record<string, string>>;
}

export type StorageTopicSet = Readonly<Record<StorageTopicRole, StorageTopicSpec>>;

export const STORAGE_TOPIC_ROLES: readonly StorageTopicRole[] = ["config", "offset", "status"];

/** Per-topic choices, every field optional; see `storageTopicSpecs` for what applies in their place. */
export interface StorageTopicOptions {
    readonly name?: string;
    readonly partitions?: number;
    readonly config?: Readonly<Record<string, string>>;
}

export interface StorageTopicsInput {
    readonly groupId: string;
    readonly replicationFactor: number;
    /** Partitions of a topic whose options give none (config/defaults.ts: DEFAULTS.storageTopicPartitions). */
    readonly defaultPartitions: Readonly<Record<StorageTopicRole, number>>;
    readonly config?: StorageTopicOptions;
    readonly offset?: StorageTopicOptions;
    readonly status?: StorageTopicOptions;
}

/** `_<group>.config|.offset|.status`, the naming the seed deployment used. */
export function defaultStorageTopicName(groupId: string, role: StorageTopicRole): string {
    return `_${groupId.replace(/-/g, "_")}.${role}`;
}

/** Builds and validates the three storage topic specs. */
export function storageTopicSpecs(input: StorageTopicsInput): StorageTopicSet {
    const spec = (role: StorageTopicRole): StorageTopicSpec => {
        const options = input[role] ?? {};
        const field = `storageTopics.${role}`;
        const partitions = options.partitions ?? input.defaultPartitions[role];
        if (!Number.isInteger(partitions) || partitions < 1) {
            throw connectClusterError(
                "invalid-input",
                `${field}.partitions must be a whole number ≥ 1 (got ${partitions}).`,
                { field: `${field}.partitions` },
            );
        }
        if (role === "config" && partitions !== 1) {
            throw connectClusterError(
                "invalid-input",
                `storageTopics.config.partitions must be 1 (got ${partitions}): Kafka Connect requires a ` +
                    `single-partition config topic to keep connector configs in order.`,
                { field: "storageTopics.config.partitions" },
            );
        }
        const policy = options.config?.["cleanup.policy"];
        if (policy !== undefined && policy !== "compact") {
            throw connectClusterError(
                "invalid-input",
                `${field}.config["cleanup.policy"] must be "compact" (got "${policy}"): Connect's storage topics ` +
                    `must keep the latest value per key forever; remove the setting.`,
                { field: `${field}.config["cleanup.policy"]` },
            );
        }
        const name = options.name ?? defaultStorageTopicName(input.groupId, role);
        if (!/^[a-zA-Z0-9._-]{1,249}$/.test(name) || name === "." || name === "..") {
            throw connectClusterError(
                "invalid-input",
                `${field}.name "${name}" is not a valid Kafka topic name: use 1-249 characters from a-z, A-Z, 0-9, ` +
                    `".", "_" and "-".`,
                { field: `${field}.name` },
            );
        }
        return {
            role,
            name,
            partitions,
            replicationFactor: input.replicationFactor,
            config: { ...options.config, "cleanup.policy": "compact" },
        };
    };
    const topics = { config: spec("config"), offset: spec("offset"), status: spec("status") };
    const names = STORAGE_TOPIC_ROLES.map((role) => topics[role].name);
    if (new Set(names).size !== names.length) {
        throw connectClusterError(
            "invalid-input",
            `storageTopics: the config, offset and status topics need three different names (got ${names.join(", ")}).`,
            { field: "storageTopics" },
        );
    }
    return topics;
}

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DEFAULTS } from "../../components/config/defaults";
import { ConnectClusterError } from "../../components/errors";
import { defaultStorageTopicName, storageTopicSpecs, StorageTopicsInput } from "../../components/render/storageTopics";

describe("storage topics", () => {
    it("defaults to the seed's names, 1/25/5 partitions, compacted, the given replication factor", () => {
        const topics = storageTopicSpecs({
            groupId: "local-file-sink",
            replicationFactor: 3,
            defaultPartitions: DEFAULTS.storageTopicPartitions,
        });
        assert.deepEqual(topics, {
            config: {
                role: "config",
                name: "_local_file_sink.config",
                partitions: 1,
                replicationFactor: 3,
                config: { "cleanup.policy": "compact" },
            },
            offset: {
                role: "offset",
                name: "_local_file_sink.offset",
                partitions: 25,
                replicationFactor: 3,
                config: { "cleanup.policy": "compact" },
            },
            status: {
                role: "status",
                name: "_local_file_sink.status",
                partitions: 5,
                replicationFactor: 3,
                config: { "cleanup.policy": "compact" },
            },
        });
    });

    it("takes overridden names, partitions and extra topic configs", () => {
        const topics = storageTopicSpecs({
            groupId: "g",
            replicationFactor: 1,
            defaultPartitions: DEFAULTS.storageTopicPartitions,
            offset: {
                name: "connect-offsets",
                partitions: 50,
                config: { "min.insync.replicas": "2", "cleanup.policy": "compact" },
            },
        });
        assert.deepEqual(topics.offset, {
            role: "offset",
            name: "connect-offsets",
            partitions: 50,
            replicationFactor: 1,
            config: { "min.insync.replicas": "2", "cleanup.policy": "compact" },
        });
        assert.equal(defaultStorageTopicName("a-b.c", "status"), "_a_b.c.status");
    });

    const rejected: [string, Partial<StorageTopicsInput>, string][] = [
        [
            "config topic with 2 partitions",
            { config: { partitions: 2 } },
            "storageTopics.config.partitions must be 1 (got 2): Kafka Connect requires a single-partition config " +
                "topic to keep connector configs in order.",
        ],
        [
            "non-compacted offset topic",
            { offset: { config: { "cleanup.policy": "delete" } } },
            'storageTopics.offset.config["cleanup.policy"] must be "compact" (got "delete"): Connect\'s storage ' +
                "topics must keep the latest value per key forever; remove the setting.",
        ],
        [
            "zero status partitions",
            { status: { partitions: 0 } },
            "storageTopics.status.partitions must be a whole number ≥ 1 (got 0).",
        ],
        [
            "invalid topic name",
            { status: { name: "has space" } },
            'storageTopics.status.name "has space" is not a valid Kafka topic name: use 1-249 characters from a-z, ' +
                'A-Z, 0-9, ".", "_" and "-".',
        ],
        [
            "two roles on one topic",
            { offset: { name: "shared" }, status: { name: "shared" } },
            "storageTopics: the config, offset and status topics need three different names (got _g.config, shared, " +
                "shared).",
        ],
    ];
    for (const [label, input, message] of rejected) {
        it(`rejects ${label}`, () => {
            assert.throws(
                () =>
                    storageTopicSpecs({
                        groupId: "g",
                        replicationFactor: 1,
                        defaultPartitions: DEFAULTS.storageTopicPartitions,
                        ...input,
                    }),
                new ConnectClusterError(message),
            );
        });
    }
});

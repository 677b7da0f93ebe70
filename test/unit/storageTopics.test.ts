import { connectClusterError } from "../../components/errors";
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DEFAULTS } from "../../components/config/defaults";
import { rejectedBy } from "./support/badInputCatalogue";
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

    for (const row of rejectedBy("storageTopicSpecs")) {
        it(`rejects ${row.name}`, () => {
            const input: StorageTopicsInput = {
                groupId: row.component ?? "c",
                replicationFactor: 1,
                defaultPartitions: DEFAULTS.storageTopicPartitions,
                ...(row.args.storageTopics as Partial<StorageTopicsInput>),
            };
            assert.throws(() => storageTopicSpecs(input), connectClusterError("invalid-input", row.message));
        });
    }
});

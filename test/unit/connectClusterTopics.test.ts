/** ConnectCluster on mocks: the storage topics it declares, retained on delete, and adopting existing ones. */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { recordRegistrations } from "./support/pulumiMocks";
import { childrenReader } from "./support/clusterChildren";

// Mocks first, then the code under test.
const registrations = recordRegistrations();
type Module = typeof import("../../components");
let lib: Module;
const childrenOf = childrenReader(registrations);

describe("ConnectCluster storage topics (mocks)", () => {
    before(async () => {
        lib = await import("../../components");
    });

    it("declares compacted storage topics with the seed's names, retained on delete by default", async () => {
        const cluster = new lib.ConnectCluster("topics", { bootstrapServers: "b:9092", groupId: "local-file-sink" });
        const topics = (await childrenOf(cluster)).filter((r) => r.type === "kafka:index/topic:Topic");
        assert.deepEqual(
            topics.map((t) => [t.inputs, t.retainOnDelete]),
            [
                [
                    {
                        name: "_local_file_sink.config",
                        partitions: 1,
                        replicationFactor: 3,
                        config: { "cleanup.policy": "compact" },
                    },
                    true,
                ],
                [
                    {
                        name: "_local_file_sink.offset",
                        partitions: 25,
                        replicationFactor: 3,
                        config: { "cleanup.policy": "compact" },
                    },
                    true,
                ],
                [
                    {
                        name: "_local_file_sink.status",
                        partitions: 5,
                        replicationFactor: 3,
                        config: { "cleanup.policy": "compact" },
                    },
                    true,
                ],
            ],
        );
        const optedOut = new lib.ConnectCluster("topics-deletable", {
            bootstrapServers: "b:9092",
            retainStorageTopicsOnDelete: false,
        });
        const deletable = (await childrenOf(optedOut)).filter((r) => r.type === "kafka:index/topic:Topic");
        assert.deepEqual(
            deletable.map((t) => t.retainOnDelete),
            [false, false, false],
        );
    });

    it(
        "adopts existing storage topics by importing them under their names when " + "adoptStorageTopics is set",
        async () => {
            const topicsOf = async (cluster: pulumi.ComponentResource) =>
                (await childrenOf(cluster)).filter((r) => r.type === "kafka:index/topic:Topic");
            const adopting = await topicsOf(
                new lib.ConnectCluster("adopt", {
                    bootstrapServers: pulumi.output("b:9092"),
                    groupId: "local-file-sink",
                    storageTopics: { status: { name: "my-status" } },
                    adoptStorageTopics: true,
                }),
            );
            assert.deepEqual(
                adopting.map((t) => t.importId),
                ["_local_file_sink.config", "_local_file_sink.offset", "my-status"],
            );
            assert.deepEqual(
                (await topicsOf(new lib.ConnectCluster("create", { bootstrapServers: "b:9092" }))).map(
                    (t) => t.importId,
                ),
                ["", "", ""],
            );
            // Only the names must be plain: other topic settings may be Outputs.
            const withOutputConfig = await topicsOf(
                new lib.ConnectCluster("adopt-cfg", {
                    bootstrapServers: "b:9092",
                    groupId: "g",
                    storageTopics: { offset: { config: pulumi.output({ "min.insync.replicas": "2" }) } },
                    adoptStorageTopics: true,
                }),
            );
            assert.deepEqual(withOutputConfig.map((t) => t.importId).sort(), ["_g.config", "_g.offset", "_g.status"]);
            assert.throws(
                () =>
                    new lib.ConnectCluster("adopt-unknown", {
                        bootstrapServers: "b:9092",
                        groupId: pulumi.output("g"),
                        adoptStorageTopics: true,
                    }),
                /adoptStorageTopics: the storage topic names must be known when the program runs/,
            );
        },
    );
});

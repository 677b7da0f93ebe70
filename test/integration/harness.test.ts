/**
 * Smoke test of the integration harness: a real KRaft broker and two real distributed Connect
 * workers on loopback, started from the properties our renderer produces. Talks to Connect with
 * plain HTTP on purpose (the later suites use the component's REST client).
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import { describe, test } from "node:test";
import { httpGet, httpRequest, kafkaVersion, useCluster, waitFor } from "./harness";

const RECORDS = 60;
const INPUT_TOPIC = "smoke-input";
const CONNECTOR = "smoke-sink";

describe("integration harness: 2-worker Connect cluster on a KRaft broker", () => {
    const cluster = useCluster({ workers: 2, groupId: "harness-smoke" });

    test("both workers' REST APIs answer with the pinned Kafka version", async (t) => {
        t.diagnostic(
            `cluster (broker, storage topics, 2 workers, stable group) started in ${cluster().startupMs} ms; run ` +
                `folder ${cluster().runDir}`,
        );
        assert.equal(kafkaVersion(), "4.3.1");
        for (const worker of cluster().workers) {
            const response = await httpGet(`${worker.restUrl}/`);
            assert.equal(response.status, 200);
            assert.equal((response.json as { version?: string }).version, "4.3.1");
        }
    });

    test("the storage topics exist as storageTopicSpecs describes them", async () => {
        const specs = Object.values(cluster().storageTopics);
        const described = await cluster().broker.describeTopics(specs.map((spec) => spec.name));
        assert.deepEqual(
            described.map((d) => ({
                name: d.name,
                partitions: d.partitions,
                replicationFactor: d.replicationFactor,
                cleanup: d.config["cleanup.policy"],
            })),
            specs.map((s) => ({ name: s.name, partitions: s.partitions, replicationFactor: 1, cleanup: "compact" })),
        );
        assert.deepEqual(
            specs.map((s) => s.partitions),
            [1, 25, 5],
        );
    });

    test("workers run the rendered properties and advertise the address resolved from ${env:POD_IP}", () => {
        for (const worker of cluster().workers) {
            const text = fs.readFileSync(worker.propertiesFile, "utf8");
            assert.match(text, /^rest\.advertised\.host\.name=\$\{env:POD_IP\}$/m);
            assert.equal(worker.advertisedUrl(), `${worker.restUrl}/`);
        }
        const leader = cluster().leader();
        assert.ok(leader, "the workers agree on a leader");
        assert.equal(leader.assignment()?.leaderUrl, `${leader.restUrl}/`);
    });

    test("a FileStreamSink created through the non-leader writes every record exactly once", async () => {
        const group = await cluster().waitForStableGroup();
        const nonLeader = group.members.find((worker) => worker !== group.leader);
        assert.ok(nonLeader, "one worker is not the leader");

        await cluster().broker.createTopic({ name: INPUT_TOPIC, partitions: 3 });
        const values = Array.from({ length: RECORDS }, (_, i) => `record-${String(i).padStart(3, "0")}`);
        assert.equal(
            await cluster().broker.produce(
                INPUT_TOPIC,
                values.map((value, i) => ({ key: `k${i}`, value })),
            ),
            RECORDS,
        );

        // Only the leader writes connector configs: the non-leader must forward to the advertised leader URL.
        const sinkFile = `${cluster().runDir}/${CONNECTOR}.txt`;
        const config = {
            "connector.class": "org.apache.kafka.connect.file.FileStreamSinkConnector",
            "tasks.max": "1",
            topics: INPUT_TOPIC,
            file: sinkFile,
        };
        const created = await httpRequest("PUT", `${nonLeader.restUrl}/connectors/${CONNECTOR}/config`, config);
        assert.equal(created.status, 201, created.text);

        const workerIds = new Set(cluster().workers.map((worker) => worker.restUrl.replace("http://", "")));
        await waitFor(
            "the sink connector and its task to be RUNNING",
            async () => {
                const status = (await httpGet(`${nonLeader.restUrl}/connectors/${CONNECTOR}/status`))
                    .json as ConnectorStatus;
                const running =
                    status.connector?.state === "RUNNING" &&
                    status.tasks?.length === 1 &&
                    status.tasks[0].state === "RUNNING";
                return running && workerIds.has(status.tasks?.[0].worker_id ?? "") ? true : undefined;
            },
            { timeoutMs: 60_000 },
        );

        await waitFor(
            "all records in the sink file",
            () => (readLines(sinkFile).length >= RECORDS ? true : undefined),
            { timeoutMs: 60_000 },
        );
        // Once the consumer group has committed up to the end, nothing more can arrive: count again.
        await waitFor(
            "the sink's consumer group to commit every offset",
            async () => {
                const offsets = await cluster().broker.describeConsumerGroup(`connect-${CONNECTOR}`);
                return offsets.partitions.length === 3 && offsets.partitions.every((p) => p.lag === 0)
                    ? true
                    : undefined;
            },
            { timeoutMs: 60_000, intervalMs: 1_000 },
        );
        assert.deepEqual(readLines(sinkFile).sort(), values);
    });
});

interface ConnectorStatus {
    readonly connector?: { readonly state: string; readonly worker_id: string };
    readonly tasks?: readonly { readonly id: number; readonly state: string; readonly worker_id: string }[];
}

function readLines(file: string): string[] {
    return fs.existsSync(file)
        ? fs
              .readFileSync(file, "utf8")
              .split("\n")
              .filter((line) => line !== "")
        : [];
}

/**
 * The core scenarios on the OLDEST Kafka the component supports (OLDEST_KAFKA, 3.9.1: the first release line with
 * the `/health` endpoint the pod probes use), with the same scenario functions pipeline.test.ts, scaling.test.ts,
 * failover.test.ts, offsetsAsCode.test.ts and offsets.test.ts run on the newest. One cluster for all of them, to
 * keep CI short: each scenario's connector is deleted before the next starts. The offsets scenarios (KIP-875, 3.6+)
 * run before the SIGKILL one, which leaves a single worker.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { httpGet, kafkaLibs, kafkaVersion, OLDEST_KAFKA, useCluster } from "./harness";
import {
    deleteConnectors,
    fullRestartScenario,
    scaleScenario,
    seedPipelineScenario,
    sigkillScenario,
} from "./scenarios";
import { copyOffsetsRenameScenario, sinkRewindScenario } from "./offsetScenarios";
import { FILE_SINK, ProviderDriver } from "./support";

describe(`the core scenarios on Kafka ${OLDEST_KAFKA}, the oldest supported`, () => {
    const cluster = useCluster({
        workers: 2,
        groupId: "oldest-kafka",
        label: "oldest-kafka",
        kafkaVersion: OLDEST_KAFKA,
    });

    test(`the broker and both workers run ${OLDEST_KAFKA}, started from our rendered properties`, async (t) => {
        t.diagnostic(`cluster started in ${cluster().startupMs} ms; run folder ${cluster().runDir}`);
        assert.equal(kafkaVersion(kafkaLibs(OLDEST_KAFKA)), OLDEST_KAFKA);
        for (const worker of cluster().workers) {
            const root = await httpGet(`${worker.restUrl}/`);
            assert.equal(root.status, 200);
            assert.equal((root.json as { version?: string }).version, OLDEST_KAFKA);
            // The liveness and readiness probes' endpoint (KIP-1017, Kafka 3.9).
            const health = await httpGet(`${worker.restUrl}/health`);
            assert.equal(health.status, 200, health.text);
            assert.deepEqual(health.json, {
                status: "healthy",
                message: "Worker has completed startup and is ready to handle requests.",
            });
        }
    });

    test("connector.plugin.version (KIP-891, 4.1+) is ignored: a pin to a version not installed runs", async () => {
        await cluster().broker.createTopic({ name: "pinned-in", partitions: 1 });
        const pinned = await new ProviderDriver(() => cluster().restUrl(0)).create("pinned", {
            "connector.class": FILE_SINK,
            "connector.plugin.version": "9.9.9",
            topics: "pinned-in",
            file: `${cluster().runDir}/pinned.txt`,
        });
        assert.equal(pinned.connectorState, "RUNNING");
        const status = (await httpGet(`${cluster().restUrl(1)}/connectors/pinned/status`)).json as PluginStatus;
        // No loaded version in the status either (4.3.1 reports one for the connector and each task).
        assert.deepEqual(Object.keys(status.connector).sort(), ["state", "worker_id"]);
        assert.deepEqual(
            status.tasks.map((task) => [task.state, Object.keys(task).sort()]),
            [["RUNNING", ["id", "state", "worker_id"]]],
        );
    });

    test("the seed pipeline, created through the non-leader (forwarding), delivers every record once", async () => {
        await deleteConnectors(cluster());
        await seedPipelineScenario(cluster(), "local-file-sink");
    });

    test("every worker stopped and started again: connector, config and offsets come back", async (t) => {
        await deleteConnectors(cluster());
        await fullRestartScenario(cluster(), t);
    });

    test("offsets as code: a FileStreamSink rewound to offset 60 re-delivers exactly records 60-99", async () => {
        await deleteConnectors(cluster());
        await sinkRewindScenario(cluster(), { connector: "rewinder", topic: "rewind-in" });
    });

    test('rename with onRename "copy-offsets": the new connector continues where the old one stopped', async () => {
        await deleteConnectors(cluster());
        await copyOffsetsRenameScenario(cluster(), { topic: "rename-in", from: "rename-sink", to: "rename-sink-v2" });
    });

    test("a worker killed with SIGKILL: its tasks move to the survivor and no record is lost", async (t) => {
        await deleteConnectors(cluster());
        await sigkillScenario(cluster(), t);
    });

    test("scaling 1 → 2 → 1 under a steady stream: every record arrives once", async (t) => {
        await deleteConnectors(cluster());
        assert.equal(cluster().runningWorkers.length, 1, "the SIGKILL scenario left one worker");
        await scaleScenario(cluster(), t);
    });
});

interface PluginStatus {
    readonly connector: Readonly<Record<string, string>>;
    readonly tasks: readonly Readonly<Record<string, string | number>>[];
}

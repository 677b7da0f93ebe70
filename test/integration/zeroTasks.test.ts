/**
 * A connector that legitimately runs no task, on real workers: MirrorMaker 2's heartbeat connector with
 * heartbeats turned off generates zero task configs. The provider reports it RUNNING with no tasks instead
 * of timing out and deleting it again.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { connectMirrorPluginPath, useCluster } from "./harness";
import { ProviderDriver, restClient } from "./support";

describe("a connector with zero tasks", () => {
    const cluster = useCluster({
        workers: 1,
        groupId: "zero-tasks",
        label: "zero-tasks",
        extraPluginPath: [connectMirrorPluginPath()],
    });
    const driver = new ProviderDriver(() => cluster().restUrl(0), 20_000);
    const heartbeats = () => ({
        "connector.class": "org.apache.kafka.connect.mirror.MirrorHeartbeatConnector",
        "source.cluster.alias": "upstream",
        "target.cluster.alias": "local",
        "source.cluster.bootstrap.servers": cluster().broker.bootstrapServers,
        "target.cluster.bootstrap.servers": cluster().broker.bootstrapServers,
        "heartbeats.topic.replication.factor": "1",
        // Nothing to emit: the connector generates no task config.
        "emit.heartbeats.enabled": "false",
    });

    test("is created and reported RUNNING with tasks [], and an update of it too", async () => {
        const created = await driver.create("idle-heartbeats", heartbeats());
        assert.deepEqual([created.connectorState, created.tasks], ["RUNNING", []]);
        const status = await restClient(cluster().restUrl(0)).getConnectorStatus("idle-heartbeats");
        assert.deepEqual([status?.connector.state, status?.tasks], ["RUNNING", []]);
        const updated = await driver.update(created, { ...heartbeats(), "tasks.max": "2" });
        assert.deepEqual([updated.changed, updated.outs.connectorState, updated.outs.tasks], [true, "RUNNING", []]);
        assert.deepEqual(await restClient(cluster().restUrl(0)).listConnectors(), ["idle-heartbeats"]);
    });
});

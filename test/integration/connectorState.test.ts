/**
 * A connector's declared state on real workers (2 workers, the default Kafka), through the provider: a
 * FileStreamSink under a steady stream is paused (nothing written while the topic grows), resumed (catches
 * up), stopped (no task, offsets kept) and started again, with every record written exactly once; and a
 * connector created directly PAUSED never runs a task before it is resumed.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { connectorProvider, ConnectorOutputs } from "../../components/provider/connectorProvider";
import { SteadyProducer, sleep, useCluster, waitFor } from "./harness";
import { countRecords, deliveryReport, fileSinkStates, recordValues, restClient, waitForLagZero } from "./support";

const provider = connectorProvider as Required<typeof connectorProvider>;
const EXACTLY_ONCE = { missing: [], duplicated: [], unexpected: [] };
const TOPIC = "state-in";
const PARTITIONS = 2;

describe("desired state of a connector on 2 real workers", () => {
    const cluster = useCluster({ workers: 2, groupId: "state", label: "state" });
    const restUrl = () => cluster().runningWorkers[0].restUrl;
    const sinkFile = (name: string) => `${cluster().runDir}/${name}.txt`;
    const total = (name: string) => [...countRecords([sinkFile(name)], "state").values()].reduce((a, b) => a + b, 0);
    const endOffsets = async (name: string) =>
        (await cluster().broker.describeConsumerGroup(`connect-${name}`)).partitions.reduce(
            (a, p) => a + p.endOffset,
            0,
        );
    let producer: SteadyProducer | undefined;
    let acked = 0;

    /** The provider's inputs for a FileStreamSink `name` in `state`, and diff → update to a new state. */
    const { inputs, declare } = fileSinkStates(restUrl, TOPIC, PARTITIONS, sinkFile);
    /** A config change (a harmless key) with the state unchanged, as the engine sends it. */
    const reconfigure = async (olds: ConnectorOutputs): Promise<ConnectorOutputs> => {
        const news = { ...inputs(olds.name, olds.state!), config: { ...olds.config, "errors.log.enable": "false" } };
        assert.equal((await provider.diff(olds.name, olds, news)).changes, true);
        return (await provider.update(olds.name, olds, news)).outs!;
    };
    const flowing = async (name: string, more: number) => {
        const target = total(name) + more;
        await waitFor(`${more} more records in ${name}`, () => (total(name) >= target ? true : undefined), {
            timeoutMs: 60_000,
            intervalMs: 250,
        });
    };

    let sink: ConnectorOutputs;

    test("paused: no record written for 10 s while the topic grows; resumed: it catches up", async (t) => {
        await cluster().broker.createTopic({ name: TOPIC, partitions: PARTITIONS });
        sink = (await provider.create(inputs("state-sink", "running"))).outs!;
        producer = cluster().broker.startSteadyProducer({ topic: TOPIC, prefix: "state", ratePerSecond: 100 });
        await flowing("state-sink", 200);
        const pausing = Date.now();
        sink = await declare(sink, "paused");
        t.diagnostic(`pause applied in ${Date.now() - pausing} ms`);
        assert.deepEqual(
            { connector: sink.connectorState, tasks: sink.tasks.map((task) => task.state) },
            { connector: "PAUSED", tasks: ["PAUSED", "PAUSED"] },
        );
        const [written, end] = [total("state-sink"), await endOffsets("state-sink")];
        await sleep(10_000);
        const grown = (await endOffsets("state-sink")) - end;
        t.diagnostic(
            `paused 10 s: the topic grew by ${grown} records, the sink file by ${total("state-sink") - written}`,
        );
        assert.equal(total("state-sink"), written);
        assert.ok(grown >= 500, `the topic grew while paused (${grown} records)`);
        const resuming = Date.now();
        sink = await declare(sink, "running");
        t.diagnostic(`resume applied in ${Date.now() - resuming} ms`);
        assert.equal(sink.connectorState, "RUNNING");
        await flowing("state-sink", grown + 100);
    });

    test("stopped (then reconfigured): no task, offsets kept; started again it continues", async (t) => {
        const client = restClient(restUrl());
        const stopping = Date.now();
        sink = await declare(sink, "stopped");
        t.diagnostic(`stop applied in ${Date.now() - stopping} ms`);
        assert.deepEqual({ connector: sink.connectorState, tasks: sink.tasks }, { connector: "STOPPED", tasks: [] });
        assert.deepEqual((await client.getConnectorStatus("state-sink"))?.tasks, []);
        const offsets = await client.getOffsets("state-sink");
        assert.equal(offsets.length, PARTITIONS);
        const written = total("state-sink");
        // A config change keeps it stopped.
        sink = await reconfigure(sink);
        assert.deepEqual({ connector: sink.connectorState, tasks: sink.tasks }, { connector: "STOPPED", tasks: [] });
        await sleep(5_000);
        assert.deepEqual((await client.getConnectorStatus("state-sink"))?.tasks, []);
        assert.deepEqual(await client.getOffsets("state-sink"), offsets);
        assert.equal(total("state-sink"), written);
        sink = await declare(sink, "running");
        assert.equal(sink.connectorState, "RUNNING");
        await flowing("state-sink", 300);
        acked = await producer!.stop();
        producer = undefined;
        await waitForLagZero(cluster().broker, "connect-state-sink", PARTITIONS);
        t.diagnostic(`${acked} records produced across pause, resume, stop and start`);
        assert.deepEqual(
            deliveryReport(recordValues("state", 0, acked), countRecords([sinkFile("state-sink")], "state")),
            EXACTLY_ONCE,
        );
    });

    test("created PAUSED (then reconfigured): no task RUNNING before resume; then every record once", async () => {
        const client = restClient(restUrl());
        let created = (await provider.create(inputs("paused-sink", "paused"))).outs!;
        assert.equal(created.connectorState, "PAUSED");
        // A config change keeps it paused.
        created = await reconfigure(created);
        assert.equal(created.connectorState, "PAUSED");
        const seen = new Set<string>();
        for (let i = 0; i < 20; i++) {
            const status = await client.getConnectorStatus("paused-sink");
            [status?.connector.state, ...(status?.tasks ?? []).map((task) => `task ${task.state}`)].forEach((s) =>
                seen.add(String(s)),
            );
            await sleep(250);
        }
        assert.deepEqual(
            [...seen].filter((state) => state.includes("RUNNING")),
            [],
        );
        assert.equal(total("paused-sink"), 0);
        const resumed = await declare(created, "running");
        assert.equal(resumed.connectorState, "RUNNING");
        await waitForLagZero(cluster().broker, "connect-paused-sink", PARTITIONS);
        assert.deepEqual(
            deliveryReport(recordValues("state", 0, acked), countRecords([sinkFile("paused-sink")], "state")),
            EXACTLY_ONCE,
        );
    });
});

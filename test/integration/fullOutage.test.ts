/**
 * A full outage on real workers (issue #13, item 6): connectors declared running, paused and stopped; every worker
 * stopped (the Deployment scaled to 0) while records keep arriving; then new workers started (scaled back: new
 * pods, new addresses). Each connector comes back in its declared state from the status topic, a refresh sees no
 * drift, the running one continues from its committed offsets, and the paused and stopped ones, started again,
 * continue from theirs: every record exactly once in every sink.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { connectorProvider, ConnectorOutputs, DesiredState } from "../../components/provider/connectorProvider";
import { sleep, useCluster } from "./harness";
import { countRecords, deliveryReport, fileSinkStates, ProviderDriver, recordValues, waitForLagZero } from "./support";

const provider = connectorProvider as Required<typeof connectorProvider>;
const EXACTLY_ONCE = { missing: [], duplicated: [], unexpected: [] };
const TOPIC = "outage-in";
const PARTITIONS = 2;
const BATCH = 200;

describe("full outage: every worker stopped, new ones started", () => {
    const cluster = useCluster({ workers: 2, groupId: "outage", label: "outage" });
    const restUrl = () => cluster().runningWorkers[0].restUrl;
    const sinkFile = (name: string) => `${cluster().runDir}/${name}.txt`;
    const { inputs, declare } = fileSinkStates(restUrl, TOPIC, PARTITIONS, sinkFile);
    /** Keyed, so both partitions get records. */
    const produce = (prefix: string) =>
        cluster().broker.produce(
            TOPIC,
            recordValues(prefix, 0, BATCH).map((value, i) => ({ key: `k${i}`, value })),
        );
    const committed = async (name: string) =>
        (await cluster().broker.describeConsumerGroup(`connect-${name}`)).partitions.reduce(
            (sum, p) => sum + p.committedOffset,
            0,
        );
    const delivered = (name: string, prefix: string) =>
        deliveryReport(recordValues(prefix, 0, BATCH), countRecords([sinkFile(name)], prefix));

    test("each connector back in its declared state, offsets continued, every record exactly once", async (t) => {
        const { broker } = cluster();
        await broker.createTopic({ name: TOPIC, partitions: PARTITIONS });
        const names = { running: "outage-running", paused: "outage-paused", stopped: "outage-stopped" } as const;
        let outs: Record<DesiredState, ConnectorOutputs> = {
            running: (await provider.create(inputs(names.running, "running"))).outs!,
            paused: (await provider.create(inputs(names.paused, "running"))).outs!,
            stopped: (await provider.create(inputs(names.stopped, "running"))).outs!,
        };
        await produce("a");
        for (const name of Object.values(names)) {
            await waitForLagZero(broker, `connect-${name}`, PARTITIONS);
        }
        outs = {
            ...outs,
            paused: await declare(outs.paused, "paused"),
            stopped: await declare(outs.stopped, "stopped"),
        };
        await produce("b");
        await waitForLagZero(broker, `connect-${names.running}`, PARTITIONS);

        // Scale to 0: every worker stops (SIGTERM, as the kubelet stops a pod); records keep arriving.
        const old = cluster().runningWorkers;
        await Promise.all(old.map((worker) => worker.stop()));
        await produce("c");
        const down = await broker.describeConsumerGroup(`connect-${names.running}`);
        assert.equal(down.members, 0, "no worker runs while scaled to 0");
        // Scale back to 2: new pods, new addresses; everything they know comes from the three topics.
        const started = Date.now();
        await cluster().addWorker({ waitForGroup: false });
        await cluster().addWorker();
        t.diagnostic(`2 new workers started and joined in ${((Date.now() - started) / 1000).toFixed(1)} s`);
        assert.deepEqual(
            cluster().runningWorkers.filter((worker) => old.includes(worker)),
            [],
            "only new workers run",
        );

        // A refresh (read) finds each connector in its declared state: no drift for the engine to undo.
        const driver = new ProviderDriver(restUrl);
        const read = async (state: DesiredState) => {
            for (let attempt = 0; ; attempt++) {
                const now = await driver.read({ ...outs[state], access: inputs(outs[state].name, state).access });
                const settled =
                    now !== undefined &&
                    now.tasks.length === (state === "stopped" ? 0 : PARTITIONS) &&
                    now.tasks.every((task) => task.state === now.connectorState);
                if (settled || attempt >= 120) {
                    return now;
                }
                await sleep(500);
            }
        };
        const back = {
            running: await read("running"),
            paused: await read("paused"),
            stopped: await read("stopped"),
        };
        assert.deepEqual(
            Object.fromEntries(
                Object.entries(back).map(([state, now]) => [
                    state,
                    { state: now?.state, connector: now?.connectorState, tasks: now?.tasks.map((task) => task.state) },
                ]),
            ),
            {
                running: { state: "running", connector: "RUNNING", tasks: ["RUNNING", "RUNNING"] },
                paused: { state: "paused", connector: "PAUSED", tasks: ["PAUSED", "PAUSED"] },
                stopped: { state: "stopped", connector: "STOPPED", tasks: [] },
            },
        );

        // Running: continues from its committed offsets (b was committed before the outage, c arrived during it).
        await waitForLagZero(broker, `connect-${names.running}`, PARTITIONS);
        assert.equal(await committed(names.running), 3 * BATCH);
        for (const prefix of ["a", "b", "c"]) {
            assert.deepEqual(delivered(names.running, prefix), EXACTLY_ONCE, `running sink, batch ${prefix}`);
        }
        // Paused and stopped: wrote nothing since, their offsets unchanged; started again, they continue.
        for (const state of ["paused", "stopped"] as const) {
            const name = names[state];
            assert.equal(await committed(name), BATCH, `${state}: offsets where they stood before the outage`);
            assert.deepEqual(countRecords([sinkFile(name)], "b").size + countRecords([sinkFile(name)], "c").size, 0);
            outs = { ...outs, [state]: await declare(back[state]!, "running") };
            await waitForLagZero(broker, `connect-${name}`, PARTITIONS);
            for (const prefix of ["a", "b", "c"]) {
                assert.deepEqual(delivered(name, prefix), EXACTLY_ONCE, `${state} sink, batch ${prefix}`);
            }
        }
    });
});

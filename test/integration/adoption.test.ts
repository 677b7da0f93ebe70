/**
 * Adoption and the unmanaged report on 2 real workers (the default Kafka), through the provider as `up` calls
 * it: a FileStreamSink registered by hand (the seed's `curl -X POST /connectors`, as a plain HTTP request)
 * under a steady stream is declared with `adopt: true` and the same config — no write reaches Connect (a
 * loopback proxy counts every request), no connector or task is started again (worker logs), connector and
 * task keep their workers, and every record is written exactly once; one declared with another config is
 * written once and runs with it; a hand-made connector nobody declares is reported and left as it was.
 */
import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { CountingProxy } from "../../bench/countingProxy";
import { connectorProvider, ConnectorInputs } from "../../components/provider/connectorProvider";
import { unmanagedProvider, UnmanagedInputs } from "../../components/provider/unmanaged";
import { forgetListings } from "../../components/provider/snapshotCache";
import { httpRequest, SteadyProducer, sleep, useCluster, waitFor } from "./harness";
import { countRecords, deliveryReport, FILE_SINK, recordValues, restClient, waitForLagZero } from "./support";

const provider = connectorProvider as Required<typeof connectorProvider>;
const reports = unmanagedProvider as Required<typeof unmanagedProvider>;
const TOPIC = "adopt-in";
const PARTITIONS = 2;

describe("adopting connectors made by hand, on 2 real workers", () => {
    const cluster = useCluster({ workers: 2, groupId: "adopt", label: "adopt" });
    const proxy = new CountingProxy(() => cluster().restUrl(0));
    let proxyUrl: string;
    let producer: SteadyProducer | undefined;
    const sinkFile = (name: string) => `${cluster().runDir}/${name}.txt`;
    const total = (name: string) => [...countRecords([sinkFile(name)], "adopt").values()].reduce((a, b) => a + b, 0);
    const sinkConfig = (name: string, tasks: number) => ({
        "connector.class": FILE_SINK,
        "tasks.max": String(tasks),
        topics: TOPIC,
        file: sinkFile(name),
    });
    /** The seed's registration: POST /connectors with { name, config }, straight to worker 1. */
    const byHand = async (name: string, config: Record<string, string>) => {
        const answer = await httpRequest("POST", `${cluster().restUrl(1)}/connectors`, { name, config });
        assert.equal(answer.status, 201, answer.text);
        await restClient(cluster().restUrl(0)).waitUntilRunning(name, { timeoutMs: 120_000 });
    };
    const inputs = (name: string, config: Record<string, string>): ConnectorInputs => ({
        name,
        config,
        adopt: true,
        access: { url: { baseUrl: proxyUrl } },
        readyTimeoutMs: 120_000,
    });
    /** Log lines in which a worker starts one of the connector's tasks or the connector itself. */
    const starts = (name: string) =>
        cluster()
            .runningWorkers.flatMap((worker) => worker.currentLog().split("\n"))
            .filter((line) => new RegExp(`(Starting|Creating) (task|connector) ${name}\\b`).test(line)).length;
    const flowing = async (name: string, more: number) => {
        const target = total(name) + more;
        await waitFor(`${more} more records in ${name}`, () => (total(name) >= target ? true : undefined), {
            timeoutMs: 120_000,
            intervalMs: 250,
        });
    };

    after(async () => {
        await producer?.stop();
        await proxy.stop();
    });

    test("the same config: taken over with no write and no restart; every record exactly once", async (t) => {
        proxyUrl = await proxy.start();
        await cluster().broker.createTopic({ name: TOPIC, partitions: PARTITIONS });
        producer = cluster().broker.startSteadyProducer({ topic: TOPIC, prefix: "adopt", ratePerSecond: 100 });
        await byHand("hand-sink", sinkConfig("hand-sink", PARTITIONS));
        await flowing("hand-sink", 200);
        const client = restClient(cluster().restUrl(0));
        const before = await client.getConnectorStatus("hand-sink");
        const startsBefore = starts("hand-sink");
        t.diagnostic(`before: ${startsBefore} start log line(s); ${JSON.stringify(before)}`);
        proxy.take();

        const adopted = (await provider.create(inputs("hand-sink", sinkConfig("hand-sink", PARTITIONS)))).outs!;
        const requests = proxy.take();
        t.diagnostic(`requests while adopting: ${JSON.stringify(requests)}`);
        assert.equal(adopted.connectorState, "RUNNING");
        assert.deepEqual(
            Object.keys(requests).filter((route) => !route.startsWith("GET ")),
            [],
        );
        await flowing("hand-sink", 300);
        const after = await client.getConnectorStatus("hand-sink");
        assert.deepEqual(
            [after?.connector.worker_id, ...(after?.tasks ?? []).map((task) => `${task.id} ${task.worker_id}`)],
            [before?.connector.worker_id, ...(before?.tasks ?? []).map((task) => `${task.id} ${task.worker_id}`)],
        );
        assert.equal(starts("hand-sink"), startsBefore);
        const acked = await producer.stop();
        producer = undefined;
        await waitForLagZero(cluster().broker, "connect-hand-sink", PARTITIONS);
        t.diagnostic(`${acked} records produced across the adoption`);
        assert.deepEqual(
            deliveryReport(recordValues("adopt", 0, acked), countRecords([sinkFile("hand-sink")], "adopt")),
            { missing: [], duplicated: [], unexpected: [] },
        );
    });

    test("another config: validated and written once, then RUNNING with the declared config", async (t) => {
        await byHand("hand-changed", sinkConfig("hand-changed", 1));
        proxy.take();
        const declared = sinkConfig("hand-changed", PARTITIONS);
        const adopted = (await provider.create(inputs("hand-changed", declared))).outs!;
        const requests = proxy.take();
        t.diagnostic(`requests while adopting: ${JSON.stringify(requests)}`);
        assert.deepEqual(
            Object.entries(requests).filter(([route]) => !route.startsWith("GET ")),
            [
                ["PUT /connector-plugins/{class}/config/validate", 1],
                ["PUT /connectors/{name}/config", 1],
            ],
        );
        assert.deepEqual(
            { state: adopted.connectorState, tasks: adopted.tasks.map((task) => task.state) },
            { state: "RUNNING", tasks: ["RUNNING", "RUNNING"] },
        );
        assert.deepEqual(await restClient(cluster().restUrl(0)).getConnectorConfig("hand-changed"), {
            ...declared,
            name: "hand-changed",
        });
    });

    test("a connector nobody declares is reported with one listing and left untouched", async () => {
        await byHand("stray-sink", sinkConfig("stray-sink", 1));
        const client = restClient(cluster().restUrl(0));
        const configBefore = await client.getConnectorConfig("stray-sink");
        // A preview's fresh provider process: no listing of this cluster yet (the connectors' checks would share it).
        forgetListings();
        proxy.take();
        const report: UnmanagedInputs = {
            access: { url: { baseUrl: proxyUrl } },
            readyTimeoutMs: 60_000,
            declared: ["hand-sink", "hand-changed"],
            ignore: [],
        };
        assert.deepEqual((await reports.check({} as UnmanagedInputs, report)).inputs?.unmanaged, ["stray-sink"]);
        assert.deepEqual(proxy.take(), { "GET /connectors": 1 });
        // Ignored by prefix: reported no more.
        const ignored = { ...report, ignore: ["stray-*"] };
        assert.deepEqual((await reports.check({} as UnmanagedInputs, ignored)).inputs?.unmanaged, []);
        await sleep(2_000);
        assert.deepEqual(await client.getConnectorConfig("stray-sink"), configBefore);
        assert.equal((await client.getConnectorStatus("stray-sink"))?.connector.state, "RUNNING");
    });
});

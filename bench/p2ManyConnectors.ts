/**
 * P2: a stack with many connectors. How long and how many REST calls (a) a refresh takes, reading
 * every connector, and (b) an `up` that changes one connector's config takes. REST calls are counted
 * by a proxy in front of the worker.
 * Baselines: a per-connector read (GET config + GET status, two calls each), and re-applying every
 * connector's JSON (a PUT each, what a curl loop over the mounted files does).
 */
import { performance } from "node:perf_hooks";
import { connectorProvider, ConnectorInputs, ConnectorOutputs } from "../components/provider/connectorProvider";
import { invalidateSnapshot } from "../components/provider/snapshotCache";
import { ConnectRestClient } from "../components/rest/restClient";
import { startCluster, waitFor } from "../test/integration/harness";
import { FILE_SINK, restClient } from "../test/integration/support";
import { CountingProxy, describeCounts } from "./countingProxy";
import { inParallel } from "./inParallel";
import { ms, Row, table } from "./stats";

const provider = connectorProvider as Required<typeof connectorProvider>;

export async function benchManyConnectors(count: number): Promise<string> {
    const cluster = await startCluster({ workers: 2, groupId: "bench-p2", label: "bench-p2", heapMb: 1024 });
    const proxy = new CountingProxy(() => cluster.restUrl(0));
    try {
        await cluster.broker.createTopic({ name: "p2-in", partitions: 1 });
        const proxyUrl = await proxy.start();
        const names = Array.from({ length: count }, (_, i) => `p2-${String(i).padStart(3, "0")}`);
        const configFor = (file = "/dev/null"): Record<string, string> => ({
            "connector.class": FILE_SINK,
            "tasks.max": "1",
            topics: "p2-in",
            file,
        });
        const setupClient = restClient(cluster.restUrl(0));
        await inParallel(names, 10, (name) => setupClient.putConnectorConfig(name, configFor()));
        await waitFor(
            `${count} connectors RUNNING`,
            async () => {
                const all = await setupClient.listConnectorsExpanded();
                return names.every((name) => all[name]?.status.tasks[0]?.state === "RUNNING") ? true : undefined;
            },
            { timeoutMs: 600_000, intervalMs: 2_000 },
        );

        const inputs = (name: string, file?: string): ConnectorInputs => ({
            name,
            config: configFor(file),
            access: { url: { baseUrl: proxyUrl } },
            readyTimeoutMs: 120_000,
        });
        const olds: ConnectorOutputs[] = names.map((name) => ({
            ...inputs(name),
            connectorState: "RUNNING",
            workerId: "",
            tasks: [],
        }));
        proxy.take();

        // (a) refresh: every connector's read, all at once as the engine issues them.
        invalidateSnapshot(new ConnectRestClient({ baseUrl: proxyUrl }));
        let started = performance.now();
        const read = await Promise.all(olds.map((o) => provider.read(o.name, o)));
        const oursRefreshMs = performance.now() - started;
        const oursRefreshCalls = proxy.take();
        if (read.some((result) => result.id === undefined)) {
            throw new Error("a connector was not found on refresh");
        }
        const naive = new ConnectRestClient({ baseUrl: proxyUrl });
        started = performance.now();
        await Promise.all(
            names.map(async (name) => [await naive.getConnectorConfig(name), await naive.getConnectorStatus(name)]),
        );
        const naiveRefreshMs = performance.now() - started;
        const naiveRefreshCalls = proxy.take();

        // (b) change one connector: check + diff for all (as `up` does), update for the changed one.
        const changedName = names[Math.floor(count / 2)];
        started = performance.now();
        let updates = 0;
        await Promise.all(
            olds.map(async (old) => {
                const news =
                    old.name === changedName ? inputs(old.name, `${cluster.runDir}/changed.txt`) : inputs(old.name);
                const checked = (await provider.check(old, news)).inputs!;
                if ((await provider.diff(old.name, old, checked)).changes) {
                    updates++;
                    await provider.update(old.name, old, checked);
                }
            }),
        );
        const oursUpdateMs = performance.now() - started;
        const oursUpdateCalls = proxy.take();
        started = performance.now();
        await inParallel(names, 10, (name) =>
            naive.putConnectorConfig(
                name,
                name === changedName ? configFor(`${cluster.runDir}/changed.txt`) : configFor(),
            ),
        );
        const naiveUpdateMs = performance.now() - started;
        const naiveUpdateCalls = proxy.take();

        const rows: Row[] = [
            { measure: `refresh ${count} connectors: time`, ours: ms(oursRefreshMs), baseline: ms(naiveRefreshMs) },
            {
                measure: `refresh ${count} connectors: REST calls`,
                ours: describeCounts(oursRefreshCalls),
                baseline: describeCounts(naiveRefreshCalls),
            },
            {
                measure: "change 1 connector's config: time",
                ours: ms(oursUpdateMs),
                baseline: ms(naiveUpdateMs),
                note: "ours includes waiting for RUNNING",
            },
            {
                measure: "change 1 connector's config: REST calls",
                ours: describeCounts(oursUpdateCalls),
                baseline: describeCounts(naiveUpdateCalls),
                note: `ours updated ${updates} resource(s)`,
            },
        ];
        return table(`P2: ${count} connectors on 2 workers`, "per-connector reads / re-PUT every connector", rows);
    } finally {
        await proxy.stop();
        await cluster.stop();
    }
}

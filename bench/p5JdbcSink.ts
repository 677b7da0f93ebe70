/**
 * P5: the Debezium JDBC sink into PostgreSQL, installed through `plugins`. (1) Pod start → plugin loaded: the
 * rendered install-plugins init container command downloads the 35.5 MB archive from the harness's loopback Maven
 * repository, checks its SHA-512 and unpacks it, then the worker starts until GET /connector-plugins lists the
 * sink; one worker alone, then a second. (2) Rows/s: a backlog of distinct keys (the connector paused while it is
 * produced) drained into PostgreSQL by upserts, with tasks.max 1 and 2 on 2 workers, timed from resume until the
 * table holds every row (counted every 100 ms).
 */
import * as fs from "node:fs";
import { performance } from "node:perf_hooks";
import { connectorSecretsFile } from "../components/provider/connectorConfig";
import { renderConnectorSecretsData, secretDigest } from "../components/render/workload";
import {
    httpGet,
    httpRequest,
    LocalCluster,
    MavenRepoServer,
    PostgresServer,
    startCluster,
    startPostgres,
    waitFor,
} from "../test/integration/harness";
import { JDBC_SINK, jdbcSinkConfig, orderRounds, pluginArgs } from "../test/integration/jdbcSinkSupport";
import { ProviderDriver, restClient, taskWorkers } from "../test/integration/support";
import { ms, Row, table } from "./stats";

const PARTITIONS = 4;

export async function benchJdbcSink(rows: number): Promise<string> {
    const repo = await MavenRepoServer.start();
    let cluster: LocalCluster | undefined;
    let db: PostgresServer | undefined;
    try {
        cluster = await startCluster({
            workers: 0,
            groupId: "bench-p5",
            label: "bench-p5",
            converter: "json",
            converterSchemasEnable: true,
            plugins: pluginArgs(repo),
        });
        const starts = [await startToLoaded(cluster), await startToLoaded(cluster)];
        // Baseline for the second: a third worker without plugins beside them, until its REST API answers.
        const plain = await startToLoaded(cluster, false);
        await cluster.workers[2].stop();
        await cluster.waitForStableGroup();
        db = await startPostgres({ runDir: cluster.run });
        const one = await drain(cluster, db, 1, rows);
        const two = await drain(cluster, db, 2, rows);
        const perSecond = (elapsed: number): string => `${Math.round(rows / (elapsed / 1000))} rows/s`;
        const result: Row[] = [
            ...starts.map((s, i) => ({
                measure: `pod start → plugin loaded, worker ${i + 1} (${i === 0 ? "alone" : "beside worker 1"})`,
                ours: ms(s.totalMs),
                baseline: i === 0 ? "—" : `${ms(plain.totalMs)} (a third worker, without plugins)`,
                note: `install-plugins ${ms(s.installMs)} (download + SHA-512 + unpack), then worker start ${ms(
                    s.totalMs - s.installMs,
                )}`,
            })),
            {
                measure: `${rows} keyed JSON records (distinct keys) upserted into PostgreSQL, tasks.max=2 vs 1`,
                ours: `${perSecond(two)} (tasks.max=2)`,
                baseline: `${perSecond(one)} (tasks.max=1)`,
                note: `drained in ${ms(two)} vs ${ms(one)}; ${PARTITIONS} partitions, 2 workers`,
            },
        ];
        return table(
            "P5: Debezium JDBC sink 3.4.3.Final into PostgreSQL, installed through plugins",
            "baseline",
            result,
        );
    } finally {
        await cluster?.stop();
        await db?.stop();
        await repo.stop();
    }
}

/**
 * Adds a worker (plugin install first) and times it until its /connector-plugins lists the JDBC sink; without
 * plugins, until its REST API answers.
 */
async function startToLoaded(
    cluster: LocalCluster,
    withPlugins = true,
): Promise<{ totalMs: number; installMs: number }> {
    const began = performance.now();
    const worker = await cluster.addWorker({ waitForGroup: false, ...(withPlugins ? {} : { plugins: [] }) });
    if (!withPlugins) {
        return { totalMs: performance.now() - began, installMs: 0 };
    }
    await waitFor(
        `${worker.name} listing ${JDBC_SINK}`,
        async () => {
            const plugins = (await httpGet(`${worker.restUrl}/connector-plugins`)).json as { class: string }[];
            return plugins.some((p) => p.class === JDBC_SINK) ? true : undefined;
        },
        { timeoutMs: 60_000, intervalMs: 50 },
    );
    return { totalMs: performance.now() - began, installMs: cluster.pluginInstalls.get(worker.name)!.ms };
}

/** Creates a sink with `tasks` tasks, pauses it, produces `rows` distinct keys, resumes, and times the drain. */
async function drain(cluster: LocalCluster, db: PostgresServer, tasks: number, rows: number): Promise<number> {
    const name = `p5-tasks${tasks}`;
    const topic = `p5_tasks${tasks}`;
    await cluster.broker.createTopic({ name: topic, partitions: PARTITIONS });
    const secretConfig = { "connection.password": db.password };
    for (const [file, text] of Object.entries(renderConnectorSecretsData([{ name, secretConfig }]))) {
        fs.writeFileSync(`${cluster.connectorSecretsDir}/${file}`, text);
    }
    const config = jdbcSinkConfig(db, topic, tasks, connectorSecretsFile(cluster.connectorSecretsDir, name));
    await new ProviderDriver(() => cluster.restUrl(0)).create(name, config, secretDigest(secretConfig));
    const client = restClient(cluster.restUrl(0));
    const allIn = async (state: string): Promise<true | undefined> => {
        const { states } = await taskWorkers(client, name);
        return states.length === tasks && states.every((s) => s === state) ? true : undefined;
    };
    await waitFor(`${name} RUNNING`, () => allIn("RUNNING"), { timeoutMs: 60_000, intervalMs: 250 });
    await httpRequest("PUT", `${cluster.restUrl(0)}/connectors/${name}/pause`);
    await waitFor(`${name} PAUSED`, () => allIn("PAUSED"), { timeoutMs: 30_000, intervalMs: 250 });
    await cluster.broker.produce(topic, orderRounds(0, rows, 1));
    const began = performance.now();
    await httpRequest("PUT", `${cluster.restUrl(0)}/connectors/${name}/resume`);
    await waitFor(
        `${rows} rows in ${topic}`,
        () => {
            const count = db.query(`SELECT count(*) FROM information_schema.tables WHERE table_name = '${topic}'`);
            return count === "1" && Number(db.query(`SELECT count(*) FROM ${topic}`)) === rows ? true : undefined;
        },
        { timeoutMs: 300_000, intervalMs: 100 },
    );
    return performance.now() - began;
}

/**
 * The seed's real sink on real parts: the Debezium JDBC sink connector, installed through `plugins` (the rendered
 * install script downloads it from a Maven-layout repository on loopback, checks its SHA-512 and unpacks it before
 * each worker starts), upserting keyed JSON records with schemas into a real PostgreSQL, on 2 real workers.
 * The database password reaches the workers only through the connector's secretConfig (FileConfigProvider).
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, afterEach, before, describe, test } from "node:test";
import type { PluginArgs } from "../../components/config/plugins";
import { connectorSecretsFile } from "../../components/provider/connectorConfig";
import { ConnectorOutputs } from "../../components/provider/connectorProvider";
import { renderConnectorSecretsData, secretDigest } from "../../components/render/workload";
import {
    findPostgres,
    httpGet,
    httpRequest,
    kafkaVersion,
    LocalCluster,
    MavenRepoServer,
    pinnedArtifact,
    PostgresServer,
    startCluster,
    startPostgres,
    waitFor,
} from "./harness";
import { PluginInstallError } from "./harness/pluginInstall";
import { ProviderDriver, restClient, taskWorkers, waitForLagZero } from "./support";
import { JDBC_SINK, jdbcSinkConfig, orderRounds, PLUGIN, pluginArgs } from "./jdbcSinkSupport";

const CONNECTOR = "orders-to-postgres";
const TOPIC = "orders";
const PARTITIONS = 4;

const postgres = findPostgres();
const skip = "missing" in postgres ? `skipped: ${postgres.missing}` : false;
if (skip !== false) {
    process.stderr.write(`jdbcSink.test: ${skip}\n`);
}

describe("Debezium JDBC sink into PostgreSQL, installed through plugins, on 2 real workers", { skip }, () => {
    const artifact = pinnedArtifact("debezium-connector-jdbc");
    let repo: MavenRepoServer | undefined;
    let db: PostgresServer | undefined;
    let cluster: LocalCluster | undefined;
    let connector: ConnectorOutputs;

    const plugins = (sha512 = artifact.sha512): PluginArgs[] => pluginArgs(repo!, sha512);

    before(async () => {
        repo = await MavenRepoServer.start();
        cluster = await startCluster({
            workers: 2,
            groupId: "jdbc-sink",
            label: "jdbc-sink",
            converter: "json",
            converterSchemasEnable: true,
            plugins: plugins(),
        });
        db = await startPostgres({ runDir: cluster.run });
        await cluster.broker.createTopic({ name: TOPIC, partitions: PARTITIONS });
    });
    afterEach((t) => cluster?.reportIfFailed(t));
    after(async () => {
        await cluster?.stop();
        await db?.stop();
        await repo?.stop();
    });

    /** Rows as `id|customer|version`, ordered by id. */
    const rows = (): string[] => db!.query(`SELECT id, customer, version FROM ${TOPIC} ORDER BY id`).split("\n");
    const rowCount = (): number => Number(db!.query(`SELECT count(*) FROM ${TOPIC}`));
    const expectedRows = (from: number, count: number, version: number): string[] =>
        Array.from({ length: count }, (_, i) => `${from + i}|customer-${from + i}-v${version}|${version}`);

    /** The database password as the component's connector-secrets Secret holds it, in the workers' secrets dir. */
    function mountSecrets(): string {
        const secretConfig = { "connection.password": db!.password };
        const data = renderConnectorSecretsData([{ name: CONNECTOR, secretConfig }]);
        for (const [file, text] of Object.entries(data)) {
            fs.writeFileSync(`${cluster!.connectorSecretsDir}/${file}`, text);
        }
        return secretDigest(secretConfig);
    }

    const sinkConfig = (tasksMax: number): Record<string, string> =>
        jdbcSinkConfig(db!, TOPIC, tasksMax, connectorSecretsFile(cluster!.connectorSecretsDir, CONNECTOR));

    test("each worker's install script fetched the plugin from the loopback repository; both load it", async (t) => {
        const c = cluster!;
        const url = `/maven2/${artifact.repositoryPath}`;
        assert.deepEqual(repo!.requests, [
            { path: url, status: 200 },
            { path: url, status: 200 },
        ]);
        for (const worker of c.workers) {
            const install = c.pluginInstalls.get(worker.name)!;
            t.diagnostic(`${worker.name}: plugin installed in ${install.ms} ms (download, SHA-512, unpack)`);
            assert.equal(install.output, `install-plugins: installed ${PLUGIN}\n`);
            // The Debezium archive bundles PostgreSQL's JDBC driver: no second artifact needed.
            const pluginDir = `${install.dir}/plugin-path`;
            assert.ok(fs.existsSync(`${pluginDir}/${PLUGIN}/debezium-connector-jdbc/postgresql-42.7.7.jar`));
            assert.deepEqual(install.pluginPath, [pluginDir]);
            assert.ok(worker.properties["plugin.path"].split(",").includes(pluginDir), "on plugin.path");
            const response = await httpGet(`${worker.restUrl}/connector-plugins`);
            const sinks = (response.json as { class: string; type: string; version: string }[]).filter(
                (plugin) => plugin.class === JDBC_SINK,
            );
            assert.deepEqual(sinks, [{ class: JDBC_SINK, type: "sink", version: "3.4.3.Final" }]);
        }
        t.diagnostic(`Kafka ${kafkaVersion()}, PostgreSQL ${db!.binaries.version}`);
    });

    test("keyed JSON records with schemas upsert: one row per key, each with its last value", async () => {
        const digest = mountSecrets();
        connector = await new ProviderDriver(() => cluster!.restUrl(1)).create(CONNECTOR, sinkConfig(1), digest);
        assert.equal(
            connector.config["connection.password"],
            `\${file:${cluster!.connectorSecretsDir}/${CONNECTOR}.properties:connection.password}`,
        );
        // Three versions of ids 0-299: 900 records, 300 keys.
        assert.equal(await cluster!.broker.produce(TOPIC, orderRounds(0, 300, 3)), 900);
        await waitForLagZero(cluster!.broker, `connect-${CONNECTOR}`, PARTITIONS);
        assert.deepEqual(rows(), expectedRows(0, 300, 3));
        assert.equal(db!.query(`SELECT count(DISTINCT id) FROM ${TOPIC}`), "300");
    });

    test("the password is only in the secret file: in no REST answer, worker log or other file", async () => {
        const c = cluster!;
        const password = db!.password;
        const base = c.restUrl(0);
        const answers = await Promise.all(
            [
                `/connectors/${CONNECTOR}/config`,
                `/connectors/${CONNECTOR}/status`,
                `/connectors/${CONNECTOR}/tasks`,
                `/connectors/${CONNECTOR}`,
                "/connectors?expand=info&expand=status",
            ].map((p) => httpGet(`${base}${p}`)),
        );
        assert.deepEqual(
            answers.map((a) => a.status),
            [200, 200, 200, 200, 200],
        );
        const rest = answers.map((a) => a.text).join("\n");
        assert.ok(rest.includes("connection.password"), "the REST answers hold the password's key");
        assert.ok(!rest.includes(password), "and no REST answer holds the password");
        const secretFile = connectorSecretsFile(c.connectorSecretsDir, CONNECTOR);
        assert.ok(fs.readFileSync(secretFile, "utf8").includes(password), "the secret file holds it");
        const holders = filesUnder(c.runDir)
            .filter((file) => ![...c.pluginInstalls.values()].some((install) => file.startsWith(install.dir)))
            .filter((file) => fs.readFileSync(file).includes(password));
        assert.deepEqual(holders, [secretFile]);
    });

    test("tasks.max 1 → 2 through the provider's update path: two tasks upsert", async () => {
        const c = cluster!;
        const { outs, changed } = await new ProviderDriver(() => c.restUrl(0)).update(
            connector,
            sinkConfig(2),
            connector.secretsDigest,
        );
        assert.equal(changed, true);
        connector = outs;
        const client = restClient(c.restUrl(0));
        await waitFor(
            `2 RUNNING tasks of ${CONNECTOR}`,
            async () => {
                const { states } = await taskWorkers(client, CONNECTOR);
                return states.length === 2 && states.every((s) => s === "RUNNING") ? true : undefined;
            },
            { timeoutMs: 60_000, intervalMs: 500 },
        );
        assert.equal(await c.broker.produce(TOPIC, orderRounds(300, 300, 2)), 600);
        await waitForLagZero(c.broker, `connect-${CONNECTOR}`, PARTITIONS);
        assert.deepEqual(rows(), [...expectedRows(0, 300, 3), ...expectedRows(300, 300, 2)]);
    });

    test("a wrong checksum fails a new worker's install, naming the artifact; the cluster keeps working", async () => {
        const c = cluster!;
        const wrong = "0".repeat(128);
        const workersBefore = c.workers.length;
        await assert.rejects(c.addWorker({ plugins: plugins(wrong) }), (error: unknown) => {
            assert.ok(error instanceof PluginInstallError);
            assert.equal(
                error.stderr,
                `install-plugins: plugin '${PLUGIN}' artifact '${artifact.fileName}': SHA-512 mismatch (expected ` +
                    `${wrong}, got ${artifact.sha512}, from ${repo!.url}/${artifact.repositoryPath}); nothing was ` +
                    "unpacked\n",
            );
            return true;
        });
        assert.equal(c.workers.length, workersBefore, "no worker was started");
        const failedDir = c.run.file(`worker-${workersBefore + 1}-plugins`);
        assert.deepEqual(fs.readdirSync(`${failedDir}/plugin-path`), [], "nothing was unpacked or left behind");
        assert.equal(c.runningWorkers.length, 2);
        assert.equal(await c.broker.produce(TOPIC, orderRounds(600, 100, 1)), 100);
        await waitForLagZero(c.broker, `connect-${CONNECTOR}`, PARTITIONS);
        assert.equal(rowCount(), 700);
    });

    test("SIGKILL of a worker during the load: every key's last value lands, none lost", async (t) => {
        const c = cluster!;
        const client = restClient(c.restUrl(0));
        // A backlog the sink drains: paused while 4 versions of ids 1000-5999 (20,000 records) are produced.
        assert.equal((await httpRequest("PUT", `${c.restUrl(0)}/connectors/${CONNECTOR}/pause`)).status, 202);
        await waitFor(
            `${CONNECTOR}'s 2 tasks PAUSED`,
            async () => {
                const { states } = await taskWorkers(client, CONNECTOR);
                return states.length === 2 && states.every((s) => s === "PAUSED") ? true : undefined;
            },
            { timeoutMs: 30_000, intervalMs: 250 },
        );
        const records = orderRounds(1000, 5000, 4);
        assert.equal(await c.broker.produce(TOPIC, records), records.length);
        // Each upsert of a new key adds its version to the sum: 20,000 when every record is written.
        const progress = (): number =>
            Number(db!.query(`SELECT coalesce(sum(version), 0) FROM ${TOPIC} WHERE id >= 1000`));
        assert.equal(progress(), 0);
        assert.equal((await httpRequest("PUT", `${c.restUrl(0)}/connectors/${CONNECTOR}/resume`)).status, 202);
        await waitFor("the sink writing the backlog", () => (progress() > 0 ? true : undefined), {
            timeoutMs: 60_000,
            intervalMs: 50,
        });
        const { workers } = await taskWorkers(client, CONNECTOR);
        const victim = c.runningWorkers.find((w) => workers.has(w.restUrl.replace(/^https?:\/\//, "")));
        assert.ok(victim, `a worker runs a task (tasks on ${[...workers].join(", ")})`);
        await victim.kill();
        const atKill = progress();
        t.diagnostic(`killed ${victim.name} (SIGKILL) with ${atKill} of 20000 version increments written`);
        assert.ok(atKill < 20_000, "the worker died during the load");
        await waitForLagZero(c.broker, `connect-${CONNECTOR}`, PARTITIONS);
        assert.equal(rowCount(), 5700);
        assert.equal(db!.query(`SELECT count(DISTINCT id) FROM ${TOPIC}`), "5700");
        assert.deepEqual(rows().slice(700), expectedRows(1000, 5000, 4));
    });
});

/** Every file below `dir`, recursively. */
function filesUnder(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
        const file = path.join(dir, entry.name);
        return entry.isDirectory() ? filesUnder(file) : entry.isFile() ? [file] : [];
    });
}

describe("PostgreSQL binaries", () => {
    test("when they are missing, the suite says how to install them (and is skipped)", () => {
        assert.deepEqual(findPostgres("", "/nonexistent"), {
            missing:
                "PostgreSQL binaries not found (initdb, postgres, psql): on Debian or Ubuntu, `apt-get install " +
                "postgresql` (server binaries land in /usr/lib/postgresql/<major>/bin)",
        });
    });

    const debian = fs.existsSync("/usr/lib/postgresql") ? false : "no /usr/lib/postgresql on this machine";
    test("Debian's /usr/lib/postgresql/<major>/bin is searched when PATH has none", { skip: debian }, () => {
        const found = findPostgres("", "/usr/lib/postgresql");
        assert.ok(!("missing" in found));
        assert.match(found.postgres, /^\/usr\/lib\/postgresql\/\d+\/bin\/postgres$/);
    });
});

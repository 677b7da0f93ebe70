/**
 * The seed's pipeline and the connector lifecycle, on a real KRaft broker and two real distributed
 * workers, driven through our dynamic provider exactly as `pulumi up` / `refresh` would drive it; then, on the
 * same cluster (its connectors all deleted by then), errors that must be clear and change nothing.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ConnectorOutputs } from "../../components/provider/connectorProvider";
import { ConnectWorker, freePort, httpGet, useCluster } from "./harness";
import {
    countRecords,
    deliveryReport,
    FILE_SINK,
    ProviderDriver,
    recordValues,
    restClient,
    waitForLagZero,
} from "./support";
import { SEED_TOPIC, seedPipelineScenario } from "./scenarios";

const SEED_CONNECTOR = "local-file-sink";

/** What Connect 4.3.1 answers, for connector.class and connector.plugin.version alike, to a version not installed. */
const VERSION_NOT_FOUND =
    String.raw`Plugin org\.apache\.kafka\.connect\.file\.FileStreamSinkConnector not found that matches the ` +
    String.raw`version range \[9\.9\.9,9\.9\.9\], available versions: \[4\.3\.1\]`;

describe("the seed pipeline on 2 distributed workers", () => {
    // The seed's names: group local-file-sink, topics _local_file_sink.config/.offset/.status.
    const cluster = useCluster({ workers: 2, groupId: "local-file-sink", label: "pipeline" });
    const sinkFile = (name: string) => `${cluster().runDir}/${name}.txt`;
    let seed: ConnectorOutputs;

    test("uses the seed's group and storage topics", () => {
        assert.deepEqual(
            Object.values(cluster().storageTopics).map((topic) => topic.name),
            ["_local_file_sink.config", "_local_file_sink.offset", "_local_file_sink.status"],
        );
        assert.equal(cluster().workers[0].properties["group.id"], "local-file-sink");
    });

    test("records produced to szcode2.qa.avro.server arrive in the FileStreamSink file exactly once", async () => {
        // Created through the non-leader: only the leader writes configs, so this also proves forwarding.
        seed = await seedPipelineScenario(cluster(), SEED_CONNECTOR);
    });

    test("a config update takes effect: new records go to the new file", async () => {
        const driver = new ProviderDriver(() => cluster().restUrl(0));
        const moved = { ...seed.config, file: sinkFile("moved") };
        const { outs, changed } = await driver.update(seed, moved);
        assert.equal(changed, true);
        assert.equal(outs.config.file, sinkFile("moved"));
        const stored = await restClient(cluster().restUrl(1)).getConnectorConfig(SEED_CONNECTOR);
        assert.equal(stored?.file, sinkFile("moved"));

        const values = recordValues("moved", 0, 100);
        await cluster().broker.produce(SEED_TOPIC, values);
        await waitForLagZero(cluster().broker, `connect-${SEED_CONNECTOR}`, 3);
        assert.deepEqual(deliveryReport(values, countRecords([sinkFile("moved")], "moved")), {
            missing: [],
            duplicated: [],
            unexpected: [],
        });
        assert.equal(countRecords([sinkFile(SEED_CONNECTOR)], "moved").size, 0);
        seed = outs;
    });

    test("an unchanged config is not written again (no spurious diff)", async () => {
        const driver = new ProviderDriver(() => cluster().restUrl(0));
        const refreshed = await driver.read(seed);
        assert.ok(refreshed);
        const { changed } = await driver.update(refreshed, seed.config);
        assert.equal(changed, false);
    });

    test("changes and deletions made outside Pulumi are seen by read (drift)", async () => {
        const driver = new ProviderDriver(() => cluster().restUrl(1));
        const client = restClient(cluster().restUrl(0));
        await client.putConnectorConfig(SEED_CONNECTOR, { ...seed.config, "tasks.max": "2" });
        await sleepPastSnapshotCache();
        const drifted = await driver.read(seed);
        assert.equal(drifted?.config["tasks.max"], "2");
        // `pulumi up` after that refresh puts the program's config back.
        const { outs, changed } = await driver.update(drifted!, seed.config);
        assert.equal(changed, true);
        assert.equal((await client.getConnectorConfig(SEED_CONNECTOR))?.["tasks.max"], "1");

        await client.deleteConnector(SEED_CONNECTOR);
        await sleepPastSnapshotCache();
        assert.equal(await driver.read(outs), undefined);
        seed = await driver.create(SEED_CONNECTOR, seed.config);
    });

    test("delete removes the connector from the cluster", async () => {
        const driver = new ProviderDriver(() => cluster().restUrl(0));
        await driver.delete(seed);
        const client = restClient(cluster().restUrl(1));
        assert.equal(await client.getConnectorConfig(SEED_CONNECTOR), undefined);
        assert.deepEqual(await client.listConnectors(), []);
        // Deleting what is already gone is not an error (a destroy after a manual delete).
        await driver.delete(seed);
    });

    test("a connector pins its plugin version with connector.plugin.version (KIP-891, Kafka 4.1+)", async () => {
        const driver = new ProviderDriver(() => cluster().restUrl(0));
        const config = {
            "connector.class": FILE_SINK,
            "connector.plugin.version": "4.3.1",
            "tasks.max": "1",
            topics: SEED_TOPIC,
            file: sinkFile("pinned"),
        };
        const pinned = await driver.create("pinned", config);
        assert.equal(pinned.connectorState, "RUNNING");
        // Connect reports the version it loaded for the connector and for each task.
        const status = await httpGet(`${cluster().restUrl(1)}/connectors/pinned/status`);
        assert.deepEqual(
            {
                connector: (status.json as PluginStatus).connector.version,
                tasks: (status.json as PluginStatus).tasks.map((task) => task.version),
            },
            { connector: "4.3.1", tasks: ["4.3.1"] },
        );
        // The pin is an ordinary config key: stored as given, so a refresh and a second up see no change.
        const refreshed = await driver.read(pinned);
        assert.deepEqual(refreshed?.config, config);
        assert.equal((await driver.update(refreshed!, config)).changed, false);
        await driver.delete(pinned);
    });

    describe("errors are clear, name the connector, and change nothing", () => {
        const REJECTED: readonly { name: string; config: Record<string, string>; message: RegExp }[] = [
            {
                name: "an unknown connector class",
                config: { "connector.class": "com.example.NoSuchConnector", topics: "t", file: "/tmp/x" },
                message: new RegExp(
                    String.raw`^Kafka Connect rejected PUT \/connector-plugins\/com\.example\.NoSuchConnector\/confi` +
                        String.raw`g\/validate for connector "bad": HTTP \d{3}: .*NoSuchConnector`,
                ),
            },
            {
                name: "a sink without topics",
                config: { "connector.class": FILE_SINK, file: "/tmp/x" },
                message:
                    /^connector "bad": Kafka Connect rejected the config \(\d+ error\(s\)\):\n {2}topics: .*topics/s,
            },
            {
                name: "a client override the default policy (None) forbids",
                config: {
                    "connector.class": FILE_SINK,
                    topics: "t",
                    file: "/tmp/x",
                    "consumer.override.bootstrap.servers": "elsewhere:9092",
                },
                message: new RegExp(
                    String.raw`^connector "bad": Kafka Connect rejected the config \(1 error\(s\)\):\n {2}consumer\.` +
                        String.raw`override\.bootstrap\.servers: .*'None' policy does not allow`,
                    "s",
                ),
            },
            {
                name: "tasks.max that is not a number",
                config: { "connector.class": FILE_SINK, topics: "t", "tasks.max": "many" },
                message: /^connectors\["bad"\]\.config\["tasks\.max"\] must be a whole number ≥ 1 \(got "many"\)\.$/,
            },
            {
                name: "a plugin version that is not installed (KIP-891)",
                config: {
                    "connector.class": FILE_SINK,
                    topics: "t",
                    file: "/tmp/x",
                    "connector.plugin.version": "9.9.9",
                },
                message: new RegExp(
                    String.raw`^connector "bad": Kafka Connect rejected the config \(2 error\(s\)\):\n` +
                        String.raw` {2}connector\.class: ${VERSION_NOT_FOUND}\n {2}connector\.plugin\.version: ` +
                        String.raw`${VERSION_NOT_FOUND}$`,
                ),
            },
            {
                name: "a malformed plugin version range (KIP-891)",
                config: {
                    "connector.class": FILE_SINK,
                    topics: "t",
                    file: "/tmp/x",
                    "connector.plugin.version": "[4.0,,x",
                },
                message: new RegExp(
                    String.raw`^Kafka Connect rejected PUT /connector-plugins/org\.apache\.kafka\.connect\.file\.` +
                        String.raw`FileStreamSinkConnector/config/validate for connector "bad": HTTP 500: .*` +
                        String.raw`Unbounded range: \[4\.0,,x`,
                ),
            },
        ];
        for (const { name, config, message } of REJECTED) {
            test(name, async () => {
                const driver = new ProviderDriver(() => cluster().restUrl(1));
                const client = restClient(cluster().restUrl(0));
                const before = await client.listConnectors();
                await assert.rejects(driver.create("bad", config), (error: Error) => {
                    assert.match(error.message, message);
                    return true;
                });
                assert.deepEqual(await client.listConnectors(), before);
            });
        }

        test("an unreachable REST API", async () => {
            const driver = new ProviderDriver(() => "http://127.0.0.1:9", 1_500);
            await assert.rejects(
                driver.create("lost", { "connector.class": FILE_SINK, topics: "t" }),
                (error: Error) => {
                    assert.match(
                        error.message,
                        new RegExp(
                            "^Kafka Connect REST API at http://127\\.0\\.0\\.1:9 is unreachable " +
                                '\\(GET /connectors/lost/config for connector "lost"\\): ' +
                                "connect ECONNREFUSED 127\\.0\\.0\\.1:9 " +
                                "\\(gave up after \\d+ attempts in \\d+ ms\\)$",
                        ),
                    );
                    return true;
                },
            );
            assert.deepEqual(await restClient(cluster().restUrl(0)).listConnectors(), []);
        });

        test(
            "bad bootstrap servers: the worker never serves its REST API, and a create through it fails naming the " +
                "connector",
            async () => {
                // Our rendered properties with only bootstrap.servers pointing at a closed port.
                const rendered = cluster().renderProperties(await freePort());
                const properties = rendered.replace(
                    /^bootstrap\.servers=.*$/m,
                    `bootstrap.servers=127.0.0.1:${await freePort()}`,
                );
                await assert.rejects(
                    ConnectWorker.start({
                        name: "bad-bootstrap",
                        runDir: cluster().run,
                        properties,
                        startTimeoutMs: 15_000,
                    }),
                    (error: Error) => {
                        assert.match(error.message, /timed out after 15000 ms waiting for bad-bootstrap's REST API/);
                        // What the worker log shows an operator: the admin client retrying the unreachable bootstrap
                        // address.
                        assert.match(
                            error.message,
                            /Rebootstrapping with Cluster\(id = null, nodes = \[127\.0\.0\.1:\d+/,
                        );
                        return true;
                    },
                );
                const restPort = /^listeners=http:\/\/127\.0\.0\.1:(\d+)$/m.exec(properties)![1];
                const driver = new ProviderDriver(() => `http://127.0.0.1:${restPort}`, 1_500);
                await assert.rejects(
                    driver.create("behind-bad-worker", { "connector.class": FILE_SINK, topics: "t" }),
                    {
                        name: "ConnectClusterError",
                        kind: "unreachable",
                        message: new RegExp(
                            `^Kafka Connect REST API at http://127\\.0\\.0\\.1:${restPort} is unreachable ` +
                                '\\(GET /connectors/behind-bad-worker/config for connector "behind-bad-worker"\\): ' +
                                `connect ECONNREFUSED 127\\.0\\.0\\.1:${restPort} ` +
                                "\\(gave up after \\d+ attempts in \\d+ ms\\)$",
                        ),
                    },
                );
                assert.deepEqual(await restClient(cluster().restUrl(0)).listConnectors(), []);
            },
        );
    });
});

interface PluginStatus {
    readonly connector: { readonly version: string };
    readonly tasks: readonly { readonly version: string }[];
}

/**
 * read() shares one listing while reads come within SNAPSHOT_TTL_MS (2 s) of the previous one: a refresh after an
 * out-of-band change starts later than that.
 */
function sleepPastSnapshotCache(): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, 2_100));
}

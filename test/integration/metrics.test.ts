/**
 * `metrics` on 2 real workers: the exporter agent is installed as the component renders it (its java-agent plugin,
 * downloaded by the rendered init container command from a Maven-layout repository on loopback and checked
 * against the pinned SHA-512), loaded with the `-javaagent:` flag the component puts in KAFKA_OPTS, and reads the
 * exporter config the component renders into the worker Secret. Only what differs on a test host differs: the
 * exporter listens on 127.0.0.1 and a port per worker, and reads its config from the run folder.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import { after, before, describe, test } from "node:test";
import { resolveClusterConfig, ResolvedClusterConfig } from "../../components/config/clusterConfig";
import { metricsAgentPlugin, METRICS_CONFIG_KEY, METRICS_PATH } from "../../components/render/metrics";
import { renderSecretData } from "../../components/render/workload";
import { freePort, httpGet, LocalCluster, MavenRepoServer, pinnedArtifact, startCluster, waitFor } from "./harness";
import { parseSamples, Sample } from "./prometheusText";
import { FILE_SINK, ProviderDriver } from "./support";

const TOPIC = "metrics-in";
const CONNECTOR = "metrics-sink";
const RECORDS = 500;

describe("metrics: the JMX exporter agent on 2 real workers", () => {
    const artifact = pinnedArtifact("jmx_prometheus_javaagent");
    let repo: MavenRepoServer | undefined;
    let cluster: LocalCluster | undefined;
    let config: ResolvedClusterConfig;
    const ports: number[] = [];

    before(async () => {
        repo = await MavenRepoServer.start();
        // The component's config with metrics on, the agent from the loopback repository (as a mirror would be).
        config = resolveClusterConfig("metrics", {
            bootstrapServers: "127.0.0.1:9092",
            metrics: {
                enabled: true,
                agent: { maven: artifact.coordinates, repository: repo.url, sha512: artifact.sha512 },
            },
        });
        cluster = await startCluster({ workers: 0, groupId: "metrics", label: "metrics" });
        // The exporter config as the worker Secret holds it (mounted beside distributed.properties in a pod).
        const exporterConfig = cluster.run.file(METRICS_CONFIG_KEY);
        fs.writeFileSync(exporterConfig, renderSecretData("", config.metrics)[METRICS_CONFIG_KEY]);
        for (let i = 0; i < 2; i++) {
            ports.push(await freePort());
            const agent = metricsAgentPlugin(config.metrics!, exporterConfig, "127.0.0.1");
            await cluster.addWorker({
                plugins: [{ ...agent, javaAgentOptions: `127.0.0.1:${ports[i]}:${exporterConfig}` }],
                waitForGroup: i === 1,
            });
        }
        await cluster.broker.createTopic({ name: TOPIC, partitions: 2 });
    });
    after(async () => {
        await cluster?.stop();
        await repo?.stop();
    });

    test("the component's plugins load the agent from the pinned jar, as KAFKA_OPTS renders it", () => {
        const agent = config.plugins.find((p) => p.installTo === "java-agent");
        assert.equal(agent?.artifacts[0].sha512, artifact.sha512);
        assert.equal(agent?.javaAgentOptions, `9404:/etc/kafka-connect-properties/metrics/jmx-exporter.yaml`);
        for (const worker of cluster!.workers) {
            const install = cluster!.pluginInstalls.get(worker.name)!;
            assert.match(install.kafkaOpts ?? "", /^-javaagent:\S+\/java-agent\/jmx-prometheus-exporter\/\S+\.jar=/);
        }
        assert.equal(
            repo!.requests.filter((r) => r.path.endsWith(artifact.fileName) && r.status === 200).length,
            2,
            "each worker's init container downloaded the agent",
        );
    });

    test("a scrape shows each connector's status and the sink task's record rate and total", async (t) => {
        const created = await new ProviderDriver(() => cluster!.restUrl(0)).create(CONNECTOR, {
            "connector.class": FILE_SINK,
            "tasks.max": "2",
            topics: TOPIC,
            file: cluster!.run.file(`${CONNECTOR}.txt`),
        });
        assert.equal(created.connectorState, "RUNNING");
        assert.equal(
            await cluster!.broker.produce(
                TOPIC,
                Array.from({ length: RECORDS }, (_, i) => `record-${i}`),
            ),
            RECORDS,
        );

        const scrapeAll = async (): Promise<Sample[]> =>
            (
                await Promise.all(
                    ports.map(async (port) => {
                        const answer = await httpGet(`http://127.0.0.1:${port}${METRICS_PATH}`);
                        assert.equal(answer.status, 200);
                        return parseSamples(answer.text);
                    }),
                )
            ).flat();
        const samples = await waitFor(
            `both sink tasks' records read counted (${RECORDS} in all) on the workers' metrics`,
            async () => {
                const all = await scrapeAll();
                const totals = all.filter(
                    (s) =>
                        s.name === "kafka_connect_sink_task_sink_record_read_total" && s.labels.connector === CONNECTOR,
                );
                const sum = totals.reduce((a, s) => a + s.value, 0);
                return totals.length === 2 && sum === RECORDS ? all : undefined;
            },
            { timeoutMs: 180_000, intervalMs: 2_000 },
        );
        fs.writeFileSync(
            cluster!.run.file("scrape-worker-0.txt"),
            (await httpGet(`http://127.0.0.1:${ports[0]}/metrics`)).text,
        );
        const of = (name: string) => samples.filter((s) => s.name === name && s.labels.connector === CONNECTOR);
        t.diagnostic(
            of("kafka_connect_sink_task_sink_record_read_rate")
                .map((s) => `task ${s.labels.task}: ${s.value.toFixed(2)} records/s`)
                .join(", "),
        );

        // The connector runs on one worker: exactly one series, status running.
        assert.deepEqual(
            of("kafka_connect_connector_status").map((s) => [s.labels.status, s.value]),
            [["running", 1]],
        );
        assert.deepEqual(
            of("kafka_connect_task_status")
                .map((s) => [s.labels.task, s.labels.status, s.value])
                .sort(),
            [
                ["0", "running", 1],
                ["1", "running", 1],
            ],
        );
        const rates = of("kafka_connect_sink_task_sink_record_read_rate");
        assert.equal(rates.length, 2);
        assert.ok(
            rates.some((s) => s.value > 0),
            `a sink task's record rate > 0: ${JSON.stringify(rates)}`,
        );
        assert.ok(
            of("kafka_connect_sink_task_sink_record_send_total").reduce((a, s) => a + s.value, 0) > 0,
            "records sent to the sink counted",
        );
        // Worker metrics from both workers: 2 tasks in all, 1 connector.
        const sum = (name: string) => samples.filter((s) => s.name === name).reduce((a, s) => a + s.value, 0);
        assert.equal(sum("kafka_connect_worker_task_count"), 2);
        assert.equal(sum("kafka_connect_worker_connector_count"), 1);
        assert.equal(
            samples.filter((s) => s.name === "kafka_connect_worker_rebalance_completed_rebalances_total").length,
            2,
        );
    });
});

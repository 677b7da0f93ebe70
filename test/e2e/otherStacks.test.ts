/**
 * A platform team's stack and an application team's stack, through the real Pulumi engine (local file backend) on
 * LocalPlatform: a real kube-apiserver, LocalKubelet running the Deployment's 2 workers from the Secret the stack
 * wrote, a KRaft broker with SASL. Stack A is a real `ConnectCluster` (REST basic auth, reached by URL; metrics
 * on, with a PodMonitor; its own connector) and exports `restAccess`, a secret output holding the REST credential;
 * stack B adds two connectors with a `ConnectorSet` given that output through a StackReference. A's refresh and
 * preview claim nothing of B's; without B's names in `ignoreUnmanagedConnectors` A's preview warns about them and
 * touches nothing; destroying B removes only B's. Metrics through the engine: the PodMonitor (a CRD of our own,
 * no Prometheus), the Service's metrics port, the scrape annotations and the topology spread as the API server
 * holds them; the exporter agent installed by the init container and loaded by the pod's KAFKA_OPTS, scraped on
 * each worker.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, describe, test } from "node:test";
import * as kafka from "@pulumi/kafka";
import * as pulumi from "@pulumi/pulumi";
import { LocalWorkspace, PulumiCommand, Stack } from "@pulumi/pulumi/automation";
import { basicAuthorization } from "../../components/basicAuth";
import { ConnectCluster } from "../../components/cluster/connectCluster";
import { ConnectorSet } from "../../components/cluster/connectorSet";
import type { RestAccess } from "../../components/provider/connectorProvider";
import { renderTopologySpreadConstraints } from "../../components/render/scheduling";
import { httpGet, MavenRepoServer, pinnedArtifact, waitFor } from "../integration/harness";
import { parseSamples, Sample } from "../integration/prometheusText";
import { FILE_SINK, restClient } from "../integration/support";
import { KubeObject } from "./fixtures/kubeApi";
import { LocalPlatform } from "./fixtures/localPlatform";
import { installPodMonitorCrd } from "./fixtures/podMonitorCrd";
import { ENGINE_ROOT, engineEnv, pathsContaining, prepareEngine, stateFiles } from "./support";

const PROJECT = "connectcluster-stacks";
const NAMESPACE = "platform-e2e";
const CLUSTER = "platform-connect";
const TOPIC = "stacks-in";
const RECORDS = 200;
const USER = { username: "platform-e2e", password: "kafka-api-secret-other-stacks-7c1d" };
/** The REST API's one user (restAuth): B logs in with it through A's restAccess. */
const REST_USER = { username: "platform-admin", password: "e2e-other-stacks-rest-pw-5b21c7" };
const SELECTOR = { "app.kubernetes.io/name": "kafka-connect", "app.kubernetes.io/instance": CLUSTER };
const built = prepareEngine(["cli", "kubernetes", "kafka", "etcd", "kube-apiserver", "kube-controller-manager"]);

type Spec = { spec: Record<string, unknown> };

describe(
    "a ConnectCluster's stack and another stack's ConnectorSet, through the real engine",
    {
        skip: built.ok ? false : built.reason,
    },
    () => {
        let platform: LocalPlatform;
        let repo: MavenRepoServer;
        let a: Stack;
        let b: Stack;
        let backend: string;
        /** Whether A lists B's connectors in `ignoreUnmanagedConnectors`, as the README says to. */
        let ignoreB = true;
        const agent = pinnedArtifact("jmx_prometheus_javaagent");
        const sink = (name: string) => ({
            name,
            config: { "connector.class": FILE_SINK, "tasks.max": "1", topics: TOPIC, file: "/dev/null" },
        });
        const authorization = basicAuthorization(REST_USER.username, REST_USER.password);
        const listed = async () =>
            (
                await restClient(
                    platform.service.url,
                    {},
                    { headers: { Authorization: authorization } },
                ).listConnectors()
            ).sort();
        /** An object as the API server holds it: `v1/...` from the core group, `<group>/<version>/...` otherwise. */
        const api = <T extends KubeObject>(object: string) =>
            platform.controlPlane.api.get<T>(object.startsWith("v1/") ? `/api/${object}` : `/apis/${object}`);

        before(async () => {
            repo = await MavenRepoServer.start();
            platform = await LocalPlatform.start("e2e-stacks", NAMESPACE, USER, CLUSTER);
            await platform.broker.createTopic({ name: TOPIC, partitions: 2 });
            await installPodMonitorCrd(platform.controlPlane.api);
            backend = path.join(platform.runDir.path, "state");
            fs.mkdirSync(backend);
            const pulumiCommand = await PulumiCommand.get({ root: ENGINE_ROOT });
            const programA = async () => {
                const saslPassword = pulumi.secret(USER.password);
                const bootstrapServers = platform.broker.saslBootstrapServers!;
                const kafkaProvider = new kafka.Provider("kafka", {
                    bootstrapServers: [bootstrapServers],
                    tlsEnabled: false,
                    saslMechanism: "plain",
                    saslUsername: USER.username,
                    saslPassword,
                });
                const cluster = new ConnectCluster(
                    CLUSTER,
                    {
                        bootstrapServers,
                        namespace: NAMESPACE,
                        replicationFactor: 1,
                        kafkaSecurity: {
                            protocol: "SASL_PLAINTEXT",
                            sasl: { mechanism: "PLAIN", username: USER.username, password: saslPassword },
                        },
                        pluginPath: ["/opt/kafka/libs/connect-file-4.3.1.jar"],
                        workerOverrides: { "plugin.discovery": "service_load", "offset.flush.interval.ms": "1000" },
                        metrics: {
                            enabled: true,
                            agent: { maven: agent.coordinates, repository: repo.url, sha512: agent.sha512 },
                            allowedFrom: [{ namespaceSelector: { matchLabels: { name: "monitoring" } } }],
                            podMonitor: { labels: { release: "prometheus" }, interval: "15s" },
                        },
                        connectors: [sink("a-sink")],
                        ignoreUnmanagedConnectors: ignoreB ? ["b-*"] : [],
                        restAuth: { users: { [REST_USER.username]: pulumi.secret(REST_USER.password) } },
                        restAccess: { url: platform.service.url },
                        connectorReadyTimeoutSeconds: 240,
                        skipAwait: true,
                    },
                    { providers: { kafka: kafkaProvider } },
                );
                return { connectRestAccess: cluster.restAccess, unmanaged: cluster.unmanagedConnectors };
            };
            const programB = async () => {
                const ref = new pulumi.StackReference(`organization/${PROJECT}/a`);
                const set = new ConnectorSet("team-b", {
                    restAccess: ref.requireOutput("connectRestAccess") as pulumi.Output<RestAccess>,
                    connectors: [sink("b-sink-1"), { ...sink("b-sink-2"), state: "paused" }],
                    connectorReadyTimeoutSeconds: 120,
                });
                return { states: set.connectorStates };
            };
            const options = (dir: string, extra: Record<string, string> = {}) => {
                fs.mkdirSync(dir);
                return { workDir: dir, pulumiCommand, envVars: engineEnv(backend, "e2e-stacks-passphrase", extra) };
            };
            a = await LocalWorkspace.createOrSelectStack(
                { projectName: PROJECT, stackName: "a", program: programA },
                options(path.join(platform.runDir.path, "a"), { KUBECONFIG: platform.controlPlane.kubeconfigFile }),
            );
            b = await LocalWorkspace.createOrSelectStack(
                { projectName: PROJECT, stackName: "b", program: programB },
                options(path.join(platform.runDir.path, "b")),
            );
        });

        after(async () => {
            await b?.destroy().catch(() => undefined);
            await platform?.stop();
            await repo?.stop();
        });

        test(
            "A's up: the cluster with its connector, the PodMonitor, the Service's metrics port, the scrape " +
                "annotations and the topology spread in the API server; restAccess exported as a secret",
            async () => {
                const up = await a.up();
                assert.equal(up.summary.result, "succeeded");
                assert.equal(up.outputs.connectRestAccess.secret, true);
                assert.deepEqual(up.outputs.unmanaged.value, []);
                assert.deepEqual(await listed(), ["a-sink"]);
                // The connector ran on the first worker; the kubelet starts the second one after it.
                await waitFor(
                    "the kubelet to run both replicas",
                    () => (platform.kubelet.endpoints(CLUSTER).length === 2 ? true : undefined),
                    { timeoutMs: 180_000, intervalMs: 500, hint: () => platform.kubelet.events.slice(-5).join("\n") },
                );

                const monitor = await api<KubeObject & Spec>(
                    `monitoring.coreos.com/v1/namespaces/${NAMESPACE}/podmonitors/${CLUSTER}`,
                );
                assert.equal(monitor?.metadata.labels?.release, "prometheus");
                assert.deepEqual(monitor?.spec, {
                    selector: { matchLabels: SELECTOR },
                    podMetricsEndpoints: [{ port: "metrics", path: "/metrics", interval: "15s" }],
                });
                const service = await api<KubeObject & { spec: { ports: unknown[] } }>(
                    `v1/namespaces/${NAMESPACE}/services/${CLUSTER}`,
                );
                assert.deepEqual(service?.spec.ports, [
                    { name: "rest", port: 8083, targetPort: "rest", protocol: "TCP" },
                    { name: "metrics", port: 9404, targetPort: "metrics", protocol: "TCP" },
                ]);
                const deployment = await api<KubeObject & { spec: { template: PodTemplate } }>(
                    `apps/v1/namespaces/${NAMESPACE}/deployments/${CLUSTER}`,
                );
                const template = deployment!.spec.template;
                const { "connectcluster.io/config-checksum": checksum, ...scrape } = template.metadata.annotations;
                assert.match(checksum, /^[0-9a-f]{64}$/);
                assert.deepEqual(scrape, {
                    "prometheus.io/scrape": "true",
                    "prometheus.io/port": "9404",
                    "prometheus.io/path": "/metrics",
                });
                assert.deepEqual(
                    template.spec.topologySpreadConstraints,
                    renderTopologySpreadConstraints("preferred", SELECTOR),
                );
                assert.deepEqual(template.spec.topologySpreadConstraints, [
                    {
                        maxSkew: 1,
                        topologyKey: "kubernetes.io/hostname",
                        whenUnsatisfiable: "ScheduleAnyway",
                        labelSelector: { matchLabels: SELECTOR },
                    },
                ]);
                assert.deepEqual(
                    template.spec.containers[0].ports.map((p) => [p.name, p.containerPort]),
                    [
                        ["rest", 8083],
                        ["metrics", 9404],
                    ],
                );
                const policy = await api<KubeObject & { spec: { ingress: { ports: { port: unknown }[] }[] } }>(
                    `networking.k8s.io/v1/namespaces/${NAMESPACE}/networkpolicies/${CLUSTER}-rest`,
                );
                assert.deepEqual(
                    policy?.spec.ingress.find((rule) => rule.ports[0].port === "metrics"),
                    {
                        ports: [{ port: "metrics", protocol: "TCP" }],
                        from: [{ namespaceSelector: { matchLabels: { name: "monitoring" } } }],
                    },
                );
            },
        );

        test("B adds two connectors through a StackReference to A's restAccess", async () => {
            const up = await b.up();
            assert.equal(up.summary.result, "succeeded");
            assert.deepEqual(up.outputs.states.value, { "b-sink-1": "RUNNING", "b-sink-2": "PAUSED" });
            assert.deepEqual(await listed(), ["a-sink", "b-sink-1", "b-sink-2"]);
        });

        test("A's refresh and preview claim nothing of B's: no change, no warning, none in A's state", async () => {
            const refresh = await a.refresh();
            assert.deepEqual(Object.keys(refresh.summary.resourceChanges ?? {}), ["same"], refresh.stdout);
            const preview = await a.preview({ diff: true });
            assert.deepEqual(Object.keys(preview.changeSummary), ["same"], preview.stdout);
            const said = refresh.stdout + refresh.stderr + preview.stdout + preview.stderr;
            assert.ok(!/b-sink|declared by no connector/.test(said), `A's runs never mention B's connectors:\n${said}`);
            const stateA = JSON.stringify((await a.exportStack()).deployment);
            assert.ok(!stateA.includes("b-sink"), "A's state holds none of B's connectors");
        });

        test(
            "without B's names in ignoreUnmanagedConnectors, A's preview warns about them and plans nothing for " +
                "them: only its report's inputs change",
            async () => {
                ignoreB = false;
                try {
                    const preview = await a.preview({ diff: true });
                    const { same, ...changed } = preview.changeSummary;
                    assert.deepEqual(changed, { update: 1 }, preview.stdout);
                    assert.ok(same !== undefined && same > 10, preview.stdout);
                    assert.match(
                        preview.stdout + preview.stderr,
                        new RegExp(
                            String.raw`2 connector\(s\) in the Connect cluster are declared by no connector of this ` +
                                String.raw`stack and are left untouched: b-sink-1, b-sink-2;`,
                        ),
                    );
                    assert.match(preview.stdout, /~ pulumi-nodejs:dynamic\/connectcluster:UnmanagedConnectors/);
                    assert.doesNotMatch(preview.stdout, /connectcluster:Connector: \((create|delete|update)/);
                } finally {
                    ignoreB = true;
                }
            },
        );

        test("a scrape of each worker shows every connector's status and the sink tasks' record rate", async (t) => {
            assert.equal(
                await platform.broker.produce(
                    TOPIC,
                    Array.from({ length: RECORDS }, (_, i) => `r-${i}`),
                ),
                RECORDS,
            );
            const urls = platform.kubelet.pods.map((pod) => pod.metricsUrl);
            assert.equal(urls.length, 2);
            // The exporter has no authentication of its own: REST auth does not cover the metrics port.
            const scrape = async (): Promise<Sample[]> =>
                (
                    await Promise.all(
                        urls.map(async (url) => {
                            const answer = await httpGet(`${url}/metrics`);
                            assert.equal(answer.status, 200, `${url}/metrics`);
                            return parseSamples(answer.text);
                        }),
                    )
                ).flat();
            const of = (samples: Sample[], name: string, connector: string) =>
                samples.filter((s) => s.name === name && s.labels.connector === connector);
            const total = (samples: Sample[], connector: string) =>
                of(samples, "kafka_connect_sink_task_sink_record_read_total", connector).reduce(
                    (x, s) => x + s.value,
                    0,
                );
            const samples = await waitFor(
                `a-sink and b-sink-1 to have read ${RECORDS} records each, by the workers' metrics`,
                async () => {
                    const all = await scrape();
                    return total(all, "a-sink") === RECORDS && total(all, "b-sink-1") === RECORDS ? all : undefined;
                },
                { timeoutMs: 120_000, intervalMs: 2_000 },
            );
            const statuses = ["a-sink", "b-sink-1", "b-sink-2"].map((connector) => [
                connector,
                of(samples, "kafka_connect_connector_status", connector).map((s) => `${s.labels.status}=${s.value}`),
            ]);
            assert.deepEqual(statuses, [
                ["a-sink", ["running=1"]],
                ["b-sink-1", ["running=1"]],
                ["b-sink-2", ["paused=1"]],
            ]);
            const rates = of(samples, "kafka_connect_sink_task_sink_record_read_rate", "a-sink");
            t.diagnostic(`a-sink's task: ${rates.map((s) => `${s.value.toFixed(2)} records/s`).join(", ")}`);
            assert.equal(rates.length, 1);
            assert.ok(rates[0].value > 0, JSON.stringify(rates));
            assert.equal(total(samples, "b-sink-2"), 0, "the paused connector read nothing");
        });

        test("no state file holds the Kafka password, the REST password or its basic-auth header in plaintext", () => {
            const files = stateFiles(backend).filter((file) => file.includes(`${path.sep}${PROJECT}${path.sep}`));
            assert.ok(files.length >= 2, files.join(", "));
            const secrets = [USER.password, REST_USER.password, authorization.replace(/^Basic /, "")];
            for (const file of files) {
                const state = JSON.parse(fs.readFileSync(file, "utf8"));
                for (const secret of secrets) {
                    assert.deepEqual(pathsContaining(state, secret), [], `no secret in ${file}`);
                }
            }
        });

        test("destroying B removes only B's connectors; A's refresh still changes nothing", async () => {
            const destroy = await b.destroy();
            assert.equal(destroy.summary.result, "succeeded");
            assert.deepEqual(await listed(), ["a-sink"]);
            const refresh = await a.refresh();
            const changes = refresh.summary.resourceChanges ?? {};
            assert.deepEqual(Object.keys(changes), ["same"], refresh.stdout);
        });
    },
);

interface PodTemplate {
    readonly metadata: { readonly annotations: Record<string, string> };
    readonly spec: {
        readonly topologySpreadConstraints?: unknown[];
        readonly containers: { readonly ports: { name: string; containerPort: number }[] }[];
    };
}

/** `metrics`: its checks and defaults (config/metrics.ts), and what it renders (render/metrics.ts, the pod). */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import * as yaml from "js-yaml";
import { resolveClusterConfig } from "../../components/config/clusterConfig";
import { DEFAULTS } from "../../components/config/defaults";
import { MetricsArgs, resolveMetrics } from "../../components/config/metrics";
import {
    DEFAULT_METRICS_RULES,
    metricsAgentPlugin,
    renderExporterConfig,
    renderPodMonitorSpec,
} from "../../components/render/metrics";
import * as workload from "../../components/render/workload";

const ROOT = path.join(__dirname, "..", "..", "..");
const names = { deployment: "kc", service: "kc", secret: "kc-worker-config" };
const AGENT_JAR = "/opt/connectcluster/java-agent/jmx-prometheus-exporter/jmx_prometheus_javaagent-1.0.1.jar";
const CONFIG_FILE = "/etc/kafka-connect-properties/metrics/jmx-exporter.yaml";

function withMetrics(metrics: MetricsArgs | undefined, extra: Record<string, unknown> = {}) {
    return resolveClusterConfig("kc", { bootstrapServers: "b:9092", metrics, ...extra });
}

type Container = {
    env: { name: string; value?: string }[];
    ports: { name: string; containerPort: number }[];
    volumeMounts: { name: string; mountPath: string }[];
};
function podOf(config: ReturnType<typeof withMetrics>) {
    const spec = workload.renderDeploymentSpec("kc", config, names, [], "sum");
    return spec.template as unknown as {
        metadata: { annotations: Record<string, string> };
        spec: {
            containers: Container[];
            initContainers?: { command: string[] }[];
            volumes: { name: string; projected?: { sources: { secret: { items: unknown[] } }[] } }[];
        };
    };
}

describe("metrics: checks and defaults", () => {
    it("is off by default and with enabled false: no agent, port, annotation or exporter config", () => {
        for (const metrics of [undefined, {}, { enabled: false, port: 1 }]) {
            const config = withMetrics(metrics);
            assert.equal(config.metrics, undefined);
            assert.deepEqual(config.plugins, []);
            const pod = podOf(config);
            assert.deepEqual(
                pod.spec.containers[0].ports.map((p) => p.name),
                ["rest"],
            );
            assert.deepEqual(Object.keys(pod.metadata.annotations), [workload.CHECKSUM_ANNOTATION]);
            assert.equal(pod.spec.initContainers, undefined);
            assert.deepEqual(Object.keys(workload.renderSecretData("p", config.metrics)), ["distributed.properties"]);
        }
    });

    it("defaults to port 9404, the default rules, no peer, no PodMonitor, the pinned agent from Maven Central", () => {
        const metrics = withMetrics({ enabled: true }).metrics;
        assert.deepEqual(metrics, {
            port: 9404,
            rules: DEFAULT_METRICS_RULES,
            allowedFrom: [],
            agent: {
                url:
                    "https://repo1.maven.org/maven2/io/prometheus/jmx/jmx_prometheus_javaagent/1.0.1/" +
                    "jmx_prometheus_javaagent-1.0.1.jar",
                sha512: DEFAULTS.metricsAgent.sha512,
                type: "jar",
                fileName: "jmx_prometheus_javaagent-1.0.1.jar",
            },
        });
    });

    it("pins the same SHA-512 as scripts/plugins/artifacts, which the integration test downloads and checks", () => {
        const lines = fs.readFileSync(path.join(ROOT, "scripts", "plugins", "artifacts"), "utf8").split("\n");
        const pinned = lines.filter((line) => line.startsWith(`${DEFAULTS.metricsAgent.maven}:`));
        assert.deepEqual(
            pinned.map((line) => line.split(/\s+/)[1]),
            [DEFAULTS.metricsAgent.sha512],
        );
    });

    const REJECTED: readonly { name: string; metrics: unknown; extra?: Record<string, unknown>; message: string }[] = [
        { name: "a list", metrics: [], message: "metrics must be an object such as { enabled: true }." },
        {
            name: "enabled as a string",
            metrics: { enabled: "yes" },
            message: 'metrics.enabled must be true or false (got "yes").',
        },
        {
            name: "port 0",
            metrics: { enabled: true, port: 0 },
            message: "metrics.port must be a whole number between 1 and 65535 (got 0).",
        },
        {
            name: "the REST port",
            metrics: { enabled: true, port: 8083 },
            message: "metrics.port 8083 is the REST port (restPort); give the metrics another port.",
        },
        {
            name: "a custom REST port it clashes with",
            metrics: { enabled: true },
            extra: { restPort: 9404 },
            message: "metrics.port 9404 is the REST port (restPort); give the metrics another port.",
        },
        {
            name: "a user plugin named like the agent",
            metrics: { enabled: true },
            extra: {
                plugins: [
                    {
                        name: "jmx-prometheus-exporter",
                        artifacts: [{ url: "https://x/a.jar", sha512: "a".repeat(128) }],
                    },
                ],
            },
            message:
                'plugins: the name "jmx-prometheus-exporter" is taken by metrics\' exporter agent; name your plugin ' +
                "otherwise.",
        },
        {
            name: "an agent without checksum",
            metrics: { enabled: true, agent: { maven: "io.prometheus.jmx:jmx_prometheus_javaagent:1.0.1" } },
            message:
                "metrics.agent.sha512 is required: the SHA-512 of the file (128 hex characters), checked before " +
                "it is unpacked; get it with `scripts/plugin-checksum " +
                "<group:artifact:version[:classifier[:type]] or URL>` (or `curl -fsSL <url> | sha512sum`).",
        },
        {
            name: "an archive as agent",
            metrics: { enabled: true, agent: { url: "https://example.com/agent.tar.gz", sha512: "a".repeat(128) } },
            message: "metrics.agent must be a jar (maven or url), the exporter agent; not an archive or image.",
        },
        {
            name: "empty rules",
            metrics: { enabled: true, rules: [] },
            message: "metrics.rules must be a list of objects, at least one.",
        },
        {
            name: "allowedFrom of strings",
            metrics: { enabled: true, allowedFrom: ["monitoring"] },
            message: "metrics.allowedFrom must be a list of objects.",
        },
        {
            name: "a PodMonitor label that is no label",
            metrics: { enabled: true, podMonitor: { labels: { "a b": "c" } } },
            message: 'metrics.podMonitor.labels: "a b" is not a valid Kubernetes label key and value.',
        },
        {
            name: "a PodMonitor interval that is no duration",
            metrics: { enabled: true, podMonitor: { interval: "30" } },
            message: 'metrics.podMonitor.interval must be a Prometheus duration such as "30s" or "1m".',
        },
    ];
    for (const { name, metrics, extra, message } of REJECTED) {
        it(`rejects ${name} with the field and the fix`, () => {
            assert.throws(() => withMetrics(metrics as MetricsArgs, extra), {
                name: "ConnectClusterError",
                kind: "invalid-input",
                message,
            });
        });
    }

    it("takes rules, peers, an agent from a mirror and a PodMonitor as given", () => {
        const rules = [{ pattern: "kafka.connect<type=connector-metrics, connector=(.+)><>status", name: "x" }];
        const peer = { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } } };
        const metrics = resolveMetrics(
            {
                enabled: true,
                port: 9500,
                rules,
                allowedFrom: [peer],
                agent: {
                    maven: "io.prometheus.jmx:jmx_prometheus_javaagent:1.0.1",
                    repository: "https://mirror.example.com/maven2/",
                    sha512: "AB".repeat(64),
                },
                podMonitor: { labels: { release: "prometheus" }, interval: "30s" },
            },
            8083,
            [],
        );
        assert.deepEqual(metrics, {
            port: 9500,
            rules,
            allowedFrom: [peer],
            agent: {
                url:
                    "https://mirror.example.com/maven2/io/prometheus/jmx/jmx_prometheus_javaagent/1.0.1/" +
                    "jmx_prometheus_javaagent-1.0.1.jar",
                sha512: "ab".repeat(64),
                type: "jar",
                fileName: "jmx_prometheus_javaagent-1.0.1.jar",
            },
            podMonitor: { labels: { release: "prometheus" }, interval: "30s" },
        });
    });
});

describe("metrics: what it renders", () => {
    const config = withMetrics({ enabled: true });

    it("renders the exporter config: the kafka.connect domain only, lowercased names, the rules in order", () => {
        const text = workload.renderSecretData("a=b\n", config.metrics)["jmx-exporter.yaml"];
        assert.equal(text, renderExporterConfig(DEFAULT_METRICS_RULES));
        assert.deepEqual(yaml.load(text), {
            lowercaseOutputName: true,
            includeObjectNames: ["kafka.connect:*"],
            rules: DEFAULT_METRICS_RULES,
        });
        assert.deepEqual(
            DEFAULT_METRICS_RULES.map((r) => [r.name, r.type]),
            [
                ["kafka_connect_connector_status", "GAUGE"],
                ["kafka_connect_task_status", "GAUGE"],
                ["kafka_connect_$1_$4", "COUNTER"],
                ["kafka_connect_$1_$4", "GAUGE"],
                ["kafka_connect_worker_connector_$2", "COUNTER"],
                ["kafka_connect_worker_connector_$2", "GAUGE"],
                ["kafka_connect_worker_$1", "COUNTER"],
                ["kafka_connect_worker_$1", "GAUGE"],
                ["kafka_connect_worker_rebalance_$1", "COUNTER"],
                ["kafka_connect_worker_rebalance_$1", "GAUGE"],
            ],
        );
    });

    it("installs the agent with the init container and loads it with -javaagent in KAFKA_OPTS", () => {
        assert.deepEqual(config.plugins, [metricsAgentPlugin(config.metrics!, CONFIG_FILE)]);
        const pod = podOf(config);
        const init = pod.spec.initContainers!;
        assert.equal(init.length, 1);
        assert.deepEqual(init[0].command.slice(6, 7), ["/opt/connectcluster/java-agent"]);
        assert.match(
            init[0].command[7],
            /\n {4}fetch 'jmx-prometheus-exporter' 'jmx_prometheus_javaagent-1\.0\.1\.jar' /,
        );
        const env = pod.spec.containers[0].env.filter((e) => e.name === "KAFKA_OPTS");
        assert.deepEqual(env, [{ name: "KAFKA_OPTS", value: `-javaagent:${AGENT_JAR}=9404:${CONFIG_FILE}` }]);
    });

    it("keeps the REST auth JAAS flag first in KAFKA_OPTS", () => {
        const withAuth = withMetrics({ enabled: true }, { restAuthEnabled: true });
        const spec = workload.renderDeploymentSpec("kc", withAuth, { ...names, restAuth: "kc-rest-auth" }, [], "s");
        const env = (spec.template.spec.containers[0].env as { name: string; value?: string }[]).filter(
            (e) => e.name === "KAFKA_OPTS",
        );
        assert.deepEqual(env, [
            {
                name: "KAFKA_OPTS",
                value:
                    `-Djava.security.auth.login.config=/etc/kafka-connect-rest-auth/jaas.conf ` +
                    `-javaagent:${AGENT_JAR}=9404:${CONFIG_FILE}`,
            },
        ]);
    });

    it("mounts the exporter config beside distributed.properties, and the checksum covers it", () => {
        const volume = podOf(config).spec.volumes.find((v) => v.name === "worker-config")!;
        assert.deepEqual(volume.projected!.sources[0].secret.items, [
            { key: "distributed.properties", path: "distributed/distributed.properties" },
            { key: "jmx-exporter.yaml", path: "metrics/jmx-exporter.yaml" },
        ]);
        const data = workload.renderSecretData("a=b\n", config.metrics);
        const inputs = workload.workerInputs(data, {});
        assert.deepEqual(Object.keys(inputs), ["distributed.properties", "jmx-exporter.yaml"]);
        const other = workload.workerInputs(
            workload.renderSecretData("a=b\n", withMetrics({ enabled: true, rules: [{ pattern: "x" }] }).metrics),
            {},
        );
        assert.notEqual(workload.configChecksum(other, "s"), workload.configChecksum(inputs, "s"));
    });

    it("opens the metrics port on the container and the Service, and annotates the pod for scraping", () => {
        const pod = podOf(config);
        assert.deepEqual(pod.spec.containers[0].ports, [
            { name: "rest", containerPort: 8083, protocol: "TCP" },
            { name: "metrics", containerPort: 9404, protocol: "TCP" },
        ]);
        assert.deepEqual(pod.metadata.annotations, {
            [workload.CHECKSUM_ANNOTATION]: "sum",
            "prometheus.io/scrape": "true",
            "prometheus.io/port": "9404",
            "prometheus.io/path": "/metrics",
        });
        assert.deepEqual(workload.renderServiceSpec("kc", config).ports, [
            { name: "rest", port: 8083, targetPort: "rest", protocol: "TCP" },
            { name: "metrics", port: 9404, targetPort: "metrics", protocol: "TCP" },
        ]);
    });

    it("admits only metrics.allowedFrom to the metrics port; with none, no rule (an empty `from` admits all)", () => {
        const selector = { "app.kubernetes.io/name": "kafka-connect", "app.kubernetes.io/instance": "kc" };
        const restRule = {
            ports: [{ port: "rest", protocol: "TCP" }],
            from: [{ podSelector: { matchLabels: selector } }],
        };
        assert.deepEqual(workload.renderNetworkPolicySpec("kc", config, []).ingress, [restRule]);
        const peer = { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } } };
        const open = withMetrics({ enabled: true, allowedFrom: [peer] });
        assert.deepEqual(workload.renderNetworkPolicySpec("kc", open, []).ingress, [
            restRule,
            { ports: [{ port: "metrics", protocol: "TCP" }], from: [peer] },
        ]);
    });

    it("renders a PodMonitor scraping the metrics port of the workers' pods", () => {
        const selector = { "app.kubernetes.io/name": "kafka-connect", "app.kubernetes.io/instance": "kc" };
        const metrics = withMetrics({ enabled: true, podMonitor: { interval: "30s" } }).metrics!;
        assert.deepEqual(renderPodMonitorSpec(selector, metrics), {
            selector: { matchLabels: selector },
            podMetricsEndpoints: [{ port: "metrics", path: "/metrics", interval: "30s" }],
        });
        assert.deepEqual(renderPodMonitorSpec(selector, config.metrics!).podMetricsEndpoints, [
            { port: "metrics", path: "/metrics" },
        ]);
    });
});

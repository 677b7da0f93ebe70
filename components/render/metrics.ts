/**
 * Prometheus metrics (`metrics`): the JMX exporter's config and rules for Connect's MBeans, the java-agent
 * plugin that loads the exporter, the pod's scrape annotations and port, and the PodMonitor spec. Pure.
 *
 * Connect registers its metrics as MBeans in the `kafka.connect` domain: `connector-metrics` (per connector:
 * status), `connector-task-metrics` (per task: status, running ratio, batch sizes), `sink-task-metrics` and
 * `source-task-metrics` (per task: record rates and totals), `task-error-metrics`, `connect-worker-metrics`
 * (per worker and per connector on it: connector and task counts) and `connect-worker-rebalance-metrics`.
 */
import * as yaml from "js-yaml";
import type { PluginArtifact, ResolvedPlugin } from "./plugins";

/** The port's name on the container and the Service, and what the PodMonitor scrapes. */
export const METRICS_PORT_NAME = "metrics";
export const METRICS_PATH = "/metrics";
/** The java-agent plugin `metrics` adds; a user plugin may not take this name. */
export const METRICS_PLUGIN_NAME = "jmx-prometheus-exporter";
/** The exporter's config file: a key of the worker Secret, mounted beside distributed.properties. */
export const METRICS_CONFIG_KEY = "jmx-exporter.yaml";
/** Its path in the worker's worker-config volume (workload.ts's PROPERTIES_DIR). */
export const METRICS_CONFIG_PATH = `metrics/${METRICS_CONFIG_KEY}`;
export const metricsConfigFile = `/etc/kafka-connect-properties/${METRICS_CONFIG_PATH}`;

/** One exporter rule (https://prometheus.github.io/jmx_exporter/): pattern, name, labels, value, type, help. */
export type ExporterRule = Readonly<Record<string, unknown>>;

/** `metrics`, checked and resolved (config/metrics.ts). */
export interface ResolvedMetrics {
    readonly port: number;
    readonly rules: readonly ExporterRule[];
    /** The exporter jar: a download checked against its SHA-512. */
    readonly agent: PluginArtifact;
    /** NetworkPolicy peers allowed to scrape; empty: none (the port stays closed where policies are enforced). */
    readonly allowedFrom: readonly Record<string, unknown>[];
    /** Declare a PodMonitor (monitoring.coreos.com/v1); undefined: none. */
    readonly podMonitor?: { readonly labels: Record<string, string>; readonly interval?: string };
}

const TASK = String.raw`connector=(.+), task=(\d+)`;

/** One status per connector and task: a 1-valued series labelled with the status (running, paused, failed...). */
function statusRule(type: string, name: string, keys: string, labels: Record<string, string>): ExporterRule {
    return {
        pattern: `kafka.connect<type=${type}, ${keys}><>status: ([a-z-]+)`,
        name,
        value: 1,
        type: "GAUGE",
        labels,
        help: `Kafka Connect ${type} status: 1 for the current status`,
    };
}

/** `*-total` attributes as counters, the others (rates, ratios, averages, counts) as gauges. */
function numericRules(pattern: string, name: string, labels?: Record<string, string>): ExporterRule[] {
    const of = labels === undefined ? {} : { labels };
    return [
        { pattern: `${pattern}([a-z-]+-total)`, name, type: "COUNTER", ...of },
        { pattern: `${pattern}([a-z-]+)`, name, type: "GAUGE", ...of },
    ];
}

/**
 * The default rules. Names: `kafka_connect_connector_status`, `kafka_connect_task_status`,
 * `kafka_connect_<connector_task|sink_task|source_task|task_error>_<attribute>` (labels connector, task),
 * `kafka_connect_worker_<attribute>`, `kafka_connect_worker_connector_<attribute>` (label connector),
 * `kafka_connect_worker_rebalance_<attribute>`; dashes become underscores.
 */
export const DEFAULT_METRICS_RULES: readonly ExporterRule[] = [
    statusRule("connector-metrics", "kafka_connect_connector_status", "connector=(.+)", {
        connector: "$1",
        status: "$2",
    }),
    statusRule("connector-task-metrics", "kafka_connect_task_status", TASK, {
        connector: "$1",
        task: "$2",
        status: "$3",
    }),
    ...numericRules(
        `kafka.connect<type=(connector-task|sink-task|source-task|task-error)-metrics, ${TASK}><>`,
        "kafka_connect_$1_$4",
        { connector: "$2", task: "$3" },
    ),
    ...numericRules(
        "kafka.connect<type=connect-worker-metrics, connector=(.+)><>",
        "kafka_connect_worker_connector_$2",
        {
            connector: "$1",
        },
    ),
    ...numericRules("kafka.connect<type=connect-worker-metrics><>", "kafka_connect_worker_$1"),
    ...numericRules("kafka.connect<type=connect-worker-rebalance-metrics><>", "kafka_connect_worker_rebalance_$1"),
];

/**
 * The exporter's YAML config: only the `kafka.connect` domain is read (the workers' producer and consumer
 * MBeans are many, per client), names lowercased, the given rules in order (the first match wins).
 */
export function renderExporterConfig(rules: readonly ExporterRule[]): string {
    const config = { lowercaseOutputName: true, includeObjectNames: ["kafka.connect:*"], rules };
    return (
        "# Prometheus JMX exporter config, rendered by ConnectCluster (components/render/metrics.ts).\n" +
        yaml.dump(config, { lineWidth: -1, noRefs: true })
    );
}

/**
 * The java-agent plugin that loads the exporter: `-javaagent:<jar>=[<host>:]<port>:<config file>`. Without a host
 * the exporter listens on every interface of the pod (the Service, Prometheus); a test host passes 127.0.0.1.
 */
export function metricsAgentPlugin(metrics: ResolvedMetrics, configFile: string, host?: string): ResolvedPlugin {
    return {
        name: METRICS_PLUGIN_NAME,
        installTo: "java-agent",
        artifacts: [metrics.agent],
        images: [],
        javaAgentOptions: `${host === undefined ? "" : `${host}:`}${metrics.port}:${configFile}`,
    };
}

/** The usual scrape annotations, for Prometheus configs that discover pods by them. */
export function scrapeAnnotations(metrics: ResolvedMetrics): Record<string, string> {
    return {
        "prometheus.io/scrape": "true",
        "prometheus.io/port": String(metrics.port),
        "prometheus.io/path": METRICS_PATH,
    };
}

/** The container's (and the Service's) metrics port. */
export function metricsPort(metrics: ResolvedMetrics) {
    return { name: METRICS_PORT_NAME, containerPort: metrics.port, protocol: "TCP" };
}

/** The Service's metrics port; none without metrics. */
export function metricsServicePorts(metrics: ResolvedMetrics | undefined) {
    return metrics === undefined
        ? []
        : [{ name: METRICS_PORT_NAME, port: metrics.port, targetPort: METRICS_PORT_NAME, protocol: "TCP" }];
}

/** The NetworkPolicy rule admitting `allowedFrom` to the metrics port; none when nobody is listed. */
export function metricsIngressRules(metrics: ResolvedMetrics | undefined) {
    // An ingress rule with an empty `from` admits every source: no peer listed means no rule at all.
    return metrics === undefined || metrics.allowedFrom.length === 0
        ? []
        : [{ ports: [{ port: METRICS_PORT_NAME, protocol: "TCP" }], from: [...metrics.allowedFrom] }];
}

/** A Prometheus Operator PodMonitor selecting the workers' pods and scraping their metrics port. */
export function renderPodMonitorSpec(selector: Record<string, string>, metrics: ResolvedMetrics) {
    const interval = metrics.podMonitor?.interval;
    return {
        selector: { matchLabels: selector },
        podMetricsEndpoints: [
            { port: METRICS_PORT_NAME, path: METRICS_PATH, ...(interval === undefined ? {} : { interval }) },
        ],
    };
}

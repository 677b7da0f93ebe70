/**
 * The `metrics` input: opt-in Prometheus metrics from the JMX exporter agent, checked and resolved with its
 * defaults. Pure; errors name the field and the fix.
 */
import { connectClusterError } from "../errors";
import { DEFAULT_METRICS_RULES, METRICS_PLUGIN_NAME, ResolvedMetrics } from "../render/metrics";
import { DEFAULTS } from "./defaults";
import { PluginArtifactArgs, resolveArtifact } from "./plugins";

/** Prometheus metrics of the workers. Plain values, checked at preview. */
export interface MetricsArgs {
    /**
     * Load the Prometheus JMX exporter into every worker (a java-agent plugin installed by the `install-plugins`
     * init container) and expose Connect's connector, task and worker metrics on `port`. Default: `false`.
     */
    readonly enabled?: boolean;
    /** Port of the exporter's HTTP server on each worker, named `metrics` on the pod and Service. Default: `9404`. */
    readonly port?: number;
    /**
     * JMX exporter rules replacing the default ones (https://prometheus.github.io/jmx_exporter/, `rules`).
     * Default: rules for Connect's connector, task, sink/source task, task error, worker and rebalance MBeans
     * (see README's *Metrics*).
     */
    readonly rules?: Record<string, unknown>[];
    /**
     * NetworkPolicy peers (podSelector / namespaceSelector / ipBlock) allowed to scrape the metrics port, e.g.
     * Prometheus's namespace. Default: `[]` (none: where NetworkPolicies are enforced, nobody can scrape).
     */
    readonly allowedFrom?: Record<string, unknown>[];
    /**
     * The exporter agent jar, as a `plugins` artifact (`maven` + `repository`, or `url`, with `sha512`), e.g. a
     * mirror of Maven Central. Default: `io.prometheus.jmx:jmx_prometheus_javaagent:1.0.1` from Maven Central,
     * with its SHA-512 pinned.
     */
    readonly agent?: PluginArtifactArgs;
    /**
     * Declare a Prometheus Operator PodMonitor (monitoring.coreos.com/v1) scraping the workers' `metrics` port;
     * needs the operator's CRDs in the cluster. Default: none (no PodMonitor).
     */
    readonly podMonitor?: {
        /** Labels on the PodMonitor, e.g. the one your Prometheus's `podMonitorSelector` matches. Default: `{}`. */
        readonly labels?: Record<string, string>;
        /** Scrape interval, e.g. `"30s"`. Default: Prometheus's own. */
        readonly interval?: string;
    };
}

const LABEL_VALUE = /^[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$/;
const LABEL_KEY = /^([a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?\/)?[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$/;

/** Checks `metrics` and applies its defaults; undefined when metrics are off. */
export function resolveMetrics(
    metrics: MetricsArgs | undefined,
    restPort: number,
    pluginNames: readonly string[],
): ResolvedMetrics | undefined {
    if (metrics === undefined) {
        return undefined;
    }
    if (metrics === null || typeof metrics !== "object" || Array.isArray(metrics)) {
        throw invalid(`metrics must be an object such as { enabled: true }.`);
    }
    const enabled = metrics.enabled ?? DEFAULTS.metrics.enabled;
    if (typeof enabled !== "boolean") {
        throw invalid(`metrics.enabled must be true or false (got ${JSON.stringify(enabled)}).`);
    }
    if (!enabled) {
        return undefined;
    }
    const port = metrics.port ?? DEFAULTS.metrics.port;
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
        throw invalid(`metrics.port must be a whole number between 1 and 65535 (got ${JSON.stringify(port)}).`);
    }
    if (port === restPort) {
        throw invalid(`metrics.port ${port} is the REST port (restPort); give the metrics another port.`);
    }
    if (pluginNames.includes(METRICS_PLUGIN_NAME)) {
        throw invalid(
            `plugins: the name "${METRICS_PLUGIN_NAME}" is taken by metrics' exporter agent; name your plugin ` +
                `otherwise.`,
        );
    }
    const agent = resolveArtifact("metrics.agent", metrics.agent ?? DEFAULTS.metricsAgent, 0);
    if (typeof agent === "string" || agent.type !== "jar") {
        throw invalid(`metrics.agent must be a jar (maven or url), the exporter agent; not an archive or image.`);
    }
    return {
        port,
        rules: checkObjects("metrics.rules", metrics.rules, DEFAULT_METRICS_RULES, true),
        agent,
        allowedFrom: checkObjects("metrics.allowedFrom", metrics.allowedFrom, [], false),
        ...(metrics.podMonitor === undefined ? {} : { podMonitor: checkPodMonitor(metrics.podMonitor) }),
    };
}

function checkObjects(
    field: string,
    value: readonly Record<string, unknown>[] | undefined,
    fallback: readonly Record<string, unknown>[],
    nonEmpty: boolean,
): readonly Record<string, unknown>[] {
    if (value === undefined) {
        return fallback;
    }
    const objects =
        Array.isArray(value) && value.every((v) => v !== null && typeof v === "object" && !Array.isArray(v));
    if (!objects || (nonEmpty && value.length === 0)) {
        throw invalid(`${field} must be a list of objects${nonEmpty ? ", at least one" : ""}.`);
    }
    return value;
}

function checkPodMonitor(podMonitor: NonNullable<MetricsArgs["podMonitor"]>) {
    const labels = podMonitor?.labels ?? {};
    const bad = Object.entries(labels).find(
        ([key, value]) => !LABEL_KEY.test(key) || typeof value !== "string" || !LABEL_VALUE.test(value),
    );
    if (bad !== undefined) {
        throw invalid(`metrics.podMonitor.labels: "${bad[0]}" is not a valid Kubernetes label key and value.`);
    }
    const interval = podMonitor.interval;
    if (interval !== undefined && (typeof interval !== "string" || !/^([0-9]+(ms|s|m|h))+$/.test(interval))) {
        throw invalid(`metrics.podMonitor.interval must be a Prometheus duration such as "30s" or "1m".`);
    }
    return interval === undefined ? { labels } : { labels, interval };
}

function invalid(message: string) {
    return connectClusterError("invalid-input", message, { field: "metrics" });
}

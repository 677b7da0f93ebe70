/** ConnectCluster on mocks with `metrics`: the PodMonitor only when asked, the Service's metrics port. */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { recordRegistrations } from "./support/pulumiMocks";
import { childrenReader, one } from "./support/clusterChildren";

// Mocks first, then the code under test.
const registrations = recordRegistrations();
type Module = typeof import("../../components");
let lib: Module;
const childrenOf = childrenReader(registrations);

const POD_MONITOR = "kubernetes:monitoring.coreos.com/v1:PodMonitor";

describe("ConnectCluster metrics (mocks)", () => {
    before(async () => {
        lib = await import("../../components");
    });

    it("declares no PodMonitor without podMonitor, and adds the metrics port to the Service", async () => {
        const cluster = new lib.ConnectCluster("mon", { bootstrapServers: "b:9092", metrics: { enabled: true } });
        const children = await childrenOf(cluster);
        assert.deepEqual(
            children.filter((r) => r.type === POD_MONITOR),
            [],
        );
        const service = one(children, "kubernetes:core/v1:Service").inputs.spec as { ports: { name: string }[] };
        assert.deepEqual(
            service.ports.map((p) => p.name),
            ["rest", "metrics"],
        );
        const secret = one(children, "kubernetes:core/v1:Secret");
        assert.deepEqual(Object.keys(secret.inputs.stringData as object).sort(), [
            "distributed.properties",
            "jmx-exporter.yaml",
        ]);
    });

    it("declares one PodMonitor with podMonitor: the workers' selector, the metrics port, its labels", async () => {
        const cluster = new lib.ConnectCluster("mon2", {
            bootstrapServers: "b:9092",
            namespace: "kc",
            metrics: { enabled: true, podMonitor: { labels: { release: "prometheus" }, interval: "30s" } },
        });
        const children = await childrenOf(cluster);
        const monitor = one(children, POD_MONITOR);
        assert.equal(monitor.name, "mon2-pod-monitor");
        const metadata = monitor.inputs.metadata as { name: string; namespace: string; labels: Record<string, string> };
        assert.equal(metadata.name, "mon2");
        assert.equal(metadata.namespace, "kc");
        assert.equal(metadata.labels.release, "prometheus");
        assert.equal(metadata.labels["app.kubernetes.io/instance"], "mon2");
        assert.deepEqual(monitor.inputs.spec, {
            selector: {
                matchLabels: { "app.kubernetes.io/name": "kafka-connect", "app.kubernetes.io/instance": "mon2" },
            },
            podMetricsEndpoints: [{ port: "metrics", path: "/metrics", interval: "30s" }],
        });
    });

    it("declares no PodMonitor when metrics are off, even with podMonitor", async () => {
        const cluster = new lib.ConnectCluster("mon3", {
            bootstrapServers: "b:9092",
            metrics: { enabled: false, podMonitor: {} },
        });
        const children = await childrenOf(cluster);
        assert.deepEqual(
            children.filter((r) => r.type === POD_MONITOR),
            [],
        );
        // The same children as a cluster declared without `metrics` at all.
        const plain = await childrenOf(new lib.ConnectCluster("mon4", { bootstrapServers: "b:9092" }));
        assert.deepEqual(children.map((r) => r.type).sort(), plain.map((r) => r.type).sort());
    });
});

/** `topologySpread`: workers spread across nodes (render/scheduling.ts), in the pod spec by default. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { resolveClusterConfig } from "../../components/config/clusterConfig";
import { renderTopologySpreadConstraints } from "../../components/render/scheduling";
import * as workload from "../../components/render/workload";

const names = { deployment: "kc", service: "kc", secret: "kc-worker-config" };
const selector = { "app.kubernetes.io/name": "kafka-connect", "app.kubernetes.io/instance": "kc" };

function podSpec(topologySpread?: unknown) {
    const config = resolveClusterConfig("kc", {
        bootstrapServers: "b:9092",
        ...(topologySpread === undefined ? {} : { topologySpread: topologySpread as "off" }),
    });
    return workload.renderDeploymentSpec("kc", config, names, [], "sum").template.spec as {
        topologySpreadConstraints?: unknown;
    };
}

describe("topologySpread", () => {
    it("spreads the workers across nodes by default, without keeping any from scheduling (ScheduleAnyway)", () => {
        assert.deepEqual(podSpec().topologySpreadConstraints, [
            {
                maxSkew: 1,
                topologyKey: "kubernetes.io/hostname",
                whenUnsatisfiable: "ScheduleAnyway",
                labelSelector: { matchLabels: selector },
            },
        ]);
        assert.deepEqual(podSpec("preferred").topologySpreadConstraints, podSpec().topologySpreadConstraints);
    });

    it('"required" keeps a worker Pending rather than put two on one node another node could spare', () => {
        assert.deepEqual(podSpec("required").topologySpreadConstraints, [
            {
                maxSkew: 1,
                topologyKey: "kubernetes.io/hostname",
                whenUnsatisfiable: "DoNotSchedule",
                labelSelector: { matchLabels: selector },
            },
        ]);
    });

    it('"off" leaves the field out of the pod spec', () => {
        assert.equal("topologySpreadConstraints" in podSpec("off"), false);
        assert.deepEqual(renderTopologySpreadConstraints("off", selector), []);
    });

    it("selects exactly the component's worker pods (the Deployment's selector)", () => {
        const config = resolveClusterConfig("kc", { bootstrapServers: "b:9092", labels: { team: "data" } });
        const spec = workload.renderDeploymentSpec("kc", config, names, [], "sum");
        const [constraint] = spec.template.spec.topologySpreadConstraints as { labelSelector: unknown }[];
        assert.deepEqual(constraint.labelSelector, spec.selector);
    });

    it("rejects another value with the choices", () => {
        assert.throws(() => podSpec("zone"), {
            name: "ConnectClusterError",
            kind: "invalid-input",
            field: "topologySpread",
            message: 'topologySpread must be "preferred", "required" or "off" (got "zone").',
        });
    });
});

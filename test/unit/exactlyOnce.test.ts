/**
 * Exactly-once source support: the mode's default and check (config/exactlyOnce.ts), what connectors may declare
 * under it, how the worker properties carry it (render/workerProperties.ts), and the guard's rule between two
 * `up`s (provider/exactlyOnceGuardProvider.ts), including its check as the engine calls it.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { resolveClusterConfig } from "../../components/config/clusterConfig";
import {
    EXACTLY_ONCE_MODES,
    resolveExactlyOnceSourceSupport,
    validateConnectorsExactlyOnce,
} from "../../components/config/exactlyOnce";
import { parseProperties } from "../../components/render/properties";
import { ExactlyOnceSourceSupport, renderWorkerProperties } from "../../components/render/workerProperties";
import {
    exactlyOnceGuardProvider,
    exactlyOnceTransitionProblem,
} from "../../components/provider/exactlyOnceGuardProvider";
import { CATALOGUE, rejectedBy } from "./support/badInputCatalogue";

const REFUSED =
    'exactlyOnceSourceSupport: "disabled" → "enabled" on a running cluster is refused: Kafka requires two rolling ' +
    'steps. Run `pulumi up` with "preparing" first (every worker then fences old task generations), then with ' +
    '"enabled".';

function workerProperties(mode?: ExactlyOnceSourceSupport): Record<string, string> {
    const config = resolveClusterConfig("eos", { bootstrapServers: "broker:9092", exactlyOnceSourceSupport: mode });
    return parseProperties(renderWorkerProperties(config.worker));
}

describe("exactlyOnceSourceSupport", () => {
    it("defaults to disabled, and accepts each of Kafka's three modes", () => {
        assert.equal(resolveExactlyOnceSourceSupport(undefined), "disabled");
        for (const mode of ["disabled", "preparing", "enabled"] as const) {
            assert.equal(resolveExactlyOnceSourceSupport(mode), mode);
        }
        assert.deepEqual(EXACTLY_ONCE_MODES, ["disabled", "preparing", "enabled"]);
    });

    it("is written to distributed.properties as preparing or enabled, and not at all when disabled", () => {
        assert.equal(workerProperties("enabled")["exactly.once.source.support"], "enabled");
        assert.equal(workerProperties("preparing")["exactly.once.source.support"], "preparing");
        // Kafka's default: a cluster that never set it keeps byte-identical properties (no rolling restart).
        assert.equal("exactly.once.source.support" in workerProperties(undefined), false);
        assert.equal("exactly.once.source.support" in workerProperties("disabled"), false);
        assert.equal(
            renderWorkerProperties(resolveClusterConfig("eos", { bootstrapServers: "broker:9092" }).worker),
            renderWorkerProperties(
                resolveClusterConfig("eos", { bootstrapServers: "broker:9092", exactlyOnceSourceSupport: "disabled" })
                    .worker,
            ),
        );
    });

    it("rejects exactly.once.support values Connect does not define, and required unless the workers enable it", () => {
        const source = (value: string) => [
            { name: "src", config: { "connector.class": "FileStreamSource", "exactly.once.support": value } },
        ];
        for (const mode of EXACTLY_ONCE_MODES) {
            assert.doesNotThrow(() => validateConnectorsExactlyOnce(mode, source("requested")));
        }
        assert.doesNotThrow(() => validateConnectorsExactlyOnce("enabled", source("required")));
        assert.throws(() => validateConnectorsExactlyOnce("disabled", source("required")), {
            message: /is "required" but exactlyOnceSourceSupport is "disabled"/,
        });
        assert.doesNotThrow(() => validateConnectorsExactlyOnce("disabled", [{ name: "sink", config: {} }]));
    });

    for (const row of rejectedBy("validateConnectorsExactlyOnce")) {
        it(`validateConnectorsExactlyOnce rejects ${row.name}`, () => {
            const connectors = (row.args.connectors ?? []).map((c) => ({
                name: c.name,
                config: c.config as Record<string, string>,
            }));
            const mode = resolveExactlyOnceSourceSupport(row.args.exactlyOnceSourceSupport as string | undefined);
            assert.throws(() => validateConnectorsExactlyOnce(mode, connectors), { message: row.message });
        });
    }

    it("has its rows in the bad-input catalogue", () => {
        assert.equal(CATALOGUE.filter((row) => /exactly/i.test(row.name)).length, 4);
    });
});

describe("the exactly-once guard between two ups", () => {
    it("refuses only disabled → enabled; every other move, and any mode on a new cluster, is allowed", () => {
        const refused: string[] = [];
        for (const previous of [undefined, ...EXACTLY_ONCE_MODES]) {
            for (const next of EXACTLY_ONCE_MODES) {
                if (exactlyOnceTransitionProblem(previous, next) !== undefined) {
                    refused.push(`${previous} → ${next}`);
                }
            }
        }
        assert.deepEqual(refused, ["disabled → enabled"]);
        assert.equal(exactlyOnceTransitionProblem("disabled", "enabled"), REFUSED);
    });

    it("check fails at preview with the field and the fix, and passes the two steps", async () => {
        const check = exactlyOnceGuardProvider.check!.bind(exactlyOnceGuardProvider);
        assert.deepEqual(await check({ mode: "disabled" }, { mode: "enabled" }), {
            failures: [{ property: "mode", reason: REFUSED }],
        });
        assert.deepEqual(await check({ mode: "disabled" }, { mode: "preparing" }), { inputs: { mode: "preparing" } });
        assert.deepEqual(await check({ mode: "preparing" }, { mode: "enabled" }), { inputs: { mode: "enabled" } });
        // The engine passes empty olds for a resource it is about to create: a new cluster may start enabled.
        assert.deepEqual(await check({} as { mode: string }, { mode: "enabled" }), { inputs: { mode: "enabled" } });
    });

    it("keeps the applied mode as its output, changed in place when the mode changes", async () => {
        const provider = exactlyOnceGuardProvider as Required<typeof exactlyOnceGuardProvider>;
        assert.deepEqual((await provider.create({ mode: "preparing" })).outs, { mode: "preparing" });
        assert.deepEqual(await provider.diff("id", { mode: "preparing" }, { mode: "enabled" }), { changes: true });
        assert.deepEqual(await provider.diff("id", { mode: "enabled" }, { mode: "enabled" }), { changes: false });
        assert.deepEqual((await provider.update("id", { mode: "preparing" }, { mode: "enabled" })).outs, {
            mode: "enabled",
        });
    });
});

/**
 * The unmanaged-connectors report: which listed connectors it names (neither declared nor ignored by name or
 * prefix), its warning, the component's check of `ignoreUnmanagedConnectors`, and the provider on the fake
 * Connect: the connectors' one listing shared, nothing written, nothing reported when the cluster cannot be reached.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { validateIgnorePatterns } from "../../components/cluster/unmanaged";
import {
    isIgnored,
    UnmanagedInputs,
    unmanagedConnectors,
    unmanagedProvider,
    unmanagedWarning,
} from "../../components/provider/unmanaged";
import { connectorProvider } from "../../components/provider/connectorProvider";
import { SEED_CONFIG as seed, useFakeConnect } from "./support/connectorSuite";

const provider = unmanagedProvider as Required<typeof unmanagedProvider>;

describe("unmanaged connectors", () => {
    it("are the listed ones neither declared nor ignored, sorted", () => {
        assert.deepEqual(
            unmanagedConnectors(
                ["z-hand", "orders", "team-b-x", "legacy", "a-hand"],
                ["orders"],
                ["team-b-*", "legacy"],
            ),
            ["a-hand", "z-hand"],
        );
        assert.equal(isIgnored("team-b-", ["team-b-*"]), true);
        assert.equal(isIgnored("team-bx", ["team-b-*"]), false);
        assert.equal(isIgnored("legacy-2", ["legacy"]), false);
    });

    it("are named in one warning with the ways out", () => {
        assert.equal(
            unmanagedWarning(["a-hand", "z-hand"]),
            "2 connector(s) in the Connect cluster are declared by no connector of this stack and are left " +
                "untouched: a-hand, z-hand; declare them (with adopt: true to take them over), or list them in " +
                "ignoreUnmanagedConnectors when another stack or tool owns them.",
        );
    });

    it("ignoreUnmanagedConnectors takes names and prefixes with one trailing *; anything else fails", () => {
        assert.deepEqual(validateIgnorePatterns(["a", "team-b-*"]), ["a", "team-b-*"]);
        for (const [bad, index] of [
            ["", 1],
            ["*-b", 1],
            ["a**", 1],
        ] as const) {
            assert.throws(() => validateIgnorePatterns(["ok", bad]), {
                kind: "invalid-input",
                field: `ignoreUnmanagedConnectors[${index}]`,
                message:
                    `ignoreUnmanagedConnectors[${index}] is ${JSON.stringify(bad)}: give a connector name, or a ` +
                    `prefix followed by one "*" at the end (e.g. "team-b-*").`,
            });
        }
    });
});

describe("unmanaged report provider (fake Connect)", () => {
    const { fake, inputs: seedInputs } = useFakeConnect();
    const reportInputs = (ignore: string[] = []): UnmanagedInputs => ({
        access: seedInputs().access,
        readyTimeoutMs: 2_000,
        declared: ["local-file-sink"],
        ignore,
    });

    it("check shares the connectors' one listing, reports the others, and writes nothing", async () => {
        for (const name of ["local-file-sink", "by-hand", "team-b-x"]) {
            fake.connectors.set(name, { config: { ...seed, name }, taskState: "RUNNING" });
        }
        // A connector's check (failed tasks) lists the cluster; the report's check in the same process reuses it.
        const existing = { ...seedInputs(), config: seed };
        assert.deepEqual((await connectorProvider.check!(existing, existing)).inputs, existing);
        const checked = await provider.check({} as UnmanagedInputs, reportInputs(["team-b-*"]));
        assert.deepEqual(checked.inputs?.unmanaged, ["by-hand"]);
        assert.deepEqual(
            fake.requests.map((r) => `${r.method} ${r.path}`),
            ["GET /connectors?expand=info&expand=status"],
        );
        assert.equal(fake.connectors.size, 3);
    });

    it("a change of the report is a diff; the same report is none", async () => {
        const olds = { ...reportInputs(), unmanaged: ["by-hand"] };
        assert.equal((await provider.diff("id", olds, { ...olds })).changes, false);
        assert.equal((await provider.diff("id", olds, { ...olds, unmanaged: [] })).changes, true);
    });

    it("an unreachable cluster (a first preview) reports what it reported before, or nothing", async () => {
        const away = { ...reportInputs(), access: { url: { baseUrl: "http://127.0.0.1:1" } } };
        assert.deepEqual((await provider.check({} as UnmanagedInputs, away)).inputs?.unmanaged, []);
        const olds = { ...away, unmanaged: ["by-hand"] };
        assert.deepEqual((await provider.check(olds, away)).inputs?.unmanaged, ["by-hand"]);
    });
});

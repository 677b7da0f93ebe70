/**
 * cluster/connectorInputs.ts: what each `connectors` entry becomes (the config Connect receives, the secret
 * values for the mounted Secret and their digest, the lifecycle fields), and when bad input fails: at once
 * when it is plain, when it resolves otherwise. The catalogue of plain bad inputs, through the component, is
 * badInputs.test.ts.
 */
import { connectClusterError } from "../../components/errors";
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { recordRegistrations, settle, valueOf } from "./support/pulumiMocks";
import { collectUnhandledRejections } from "./support/unhandledRejections";
import { rejectedBy } from "./support/badInputCatalogue";
import type { ConnectorArgs } from "../../components/cluster/args";
import { plainValue, prepareConnectors } from "../../components/cluster/connectorInputs";
import { DEFAULTS } from "../../components/config/defaults";

const registrations = recordRegistrations();
const SECRETS_DIR = "/etc/kafka-connect-secrets";
const sink = { "connector.class": "FileStreamSink", topics: "t" };

/** What a prepared connector resolves to; absent fields are undefined on the prepared connector. */
interface Resolved {
    readonly name: string;
    readonly rename?: { readonly from: string; readonly mode: "copy-offsets" | "reset" };
    readonly deleteOffsetsOnDelete: boolean;
    readonly state?: "running" | "paused" | "stopped";
    readonly config: Record<string, string>;
    readonly secretConfig?: Record<string, string>;
    readonly secretsDigest?: string;
}

/** The sink's config as Connect receives it, and with the secret `password` as a file reference. */
const SINK = { "connector.class": "FileStreamSink", topics: "t" };
const WITH_PASSWORD = { ...SINK, password: "${file:/etc/kafka-connect-secrets/db.properties:password}" };
const KEEP_OFFSETS = DEFAULTS.deleteOffsetsOnDelete;

const PREPARED: readonly { name: string; connector: ConnectorArgs; expected: Resolved }[] = [
    {
        name: "a plain config: values as strings, keys sorted, offsets kept on delete by default",
        connector: { name: "s", config: { "tasks.max": 2, "errors.tolerance.all": true, ...SINK } },
        expected: {
            name: "s",
            deleteOffsetsOnDelete: false,
            config: {
                "connector.class": "FileStreamSink",
                "errors.tolerance.all": "true",
                "tasks.max": "2",
                topics: "t",
            },
        },
    },
    {
        name: "a config from an output",
        connector: { name: "s", config: pulumi.output({ ...sink, "tasks.max": pulumi.output(1) }) },
        expected: { name: "s", deleteOffsetsOnDelete: KEEP_OFFSETS, config: { ...SINK, "tasks.max": "1" } },
    },
    {
        name: "deleteOffsetsOnDelete set",
        connector: { name: "s", config: sink, deleteOffsetsOnDelete: true },
        expected: { name: "s", deleteOffsetsOnDelete: true, config: SINK },
    },
    ...(["running", "paused", "stopped"] as const).map((state) => ({
        name: `state "${state}"`,
        connector: { name: "s", config: sink, state },
        expected: { name: "s", deleteOffsetsOnDelete: KEEP_OFFSETS, state, config: SINK },
    })),
    ...(["copy-offsets", "reset"] as const).map((mode) => ({
        name: `a rename with onRename "${mode}"`,
        connector: { name: "s2", previousName: "s1", onRename: mode, config: sink },
        expected: { name: "s2", rename: { from: "s1", mode }, deleteOffsetsOnDelete: KEEP_OFFSETS, config: SINK },
    })),
    {
        name: "a secret value: a file reference in the config, the value apart, its digest",
        connector: { name: "db", config: sink, secretConfig: { password: "pw" } },
        expected: {
            name: "db",
            deleteOffsetsOnDelete: KEEP_OFFSETS,
            config: WITH_PASSWORD,
            secretConfig: { password: "pw" },
            secretsDigest: "7cd820c301addafcf3b9e49ed4c5bc7fc3b98f9180885fb8024161b86aee3da1",
        },
    },
    {
        name: "secret values from outputs, keys sorted among the plain ones",
        connector: {
            name: "db",
            config: { "connector.class": "FileStreamSink", "a.first": "1" },
            secretConfig: pulumi.output({ token: pulumi.output("t"), "connection.password": "s3cret" }),
        },
        expected: {
            name: "db",
            deleteOffsetsOnDelete: KEEP_OFFSETS,
            config: {
                "a.first": "1",
                "connection.password": "${file:/etc/kafka-connect-secrets/db.properties:connection.password}",
                "connector.class": "FileStreamSink",
                token: "${file:/etc/kafka-connect-secrets/db.properties:token}",
            },
            secretConfig: { token: "t", "connection.password": "s3cret" },
            secretsDigest: "8d3ab94e97190ddf5631dbe536547c69bd1e92f55d424b4262802d2b0987dc03",
        },
    },
];

async function resolve(prepared: ReturnType<typeof prepareConnectors>[number]): Promise<Resolved> {
    return {
        name: prepared.name,
        rename: prepared.rename,
        deleteOffsetsOnDelete: prepared.deleteOffsetsOnDelete,
        state: prepared.state,
        config: await valueOf(prepared.config),
        secretConfig: prepared.secretConfig === undefined ? undefined : await valueOf(prepared.secretConfig),
        secretsDigest: prepared.secretsDigest === undefined ? undefined : await valueOf(prepared.secretsDigest),
    };
}

describe("prepareConnectors", () => {
    for (const row of PREPARED) {
        it(`prepares ${row.name}`, async () => {
            const prepared = prepareConnectors([row.connector], SECRETS_DIR);
            assert.equal(prepared.length, 1);
            assert.deepEqual(await resolve(prepared[0]), {
                rename: undefined,
                secretConfig: undefined,
                secretsDigest: undefined,
                state: DEFAULTS.state,
                ...row.expected,
            });
        });
    }

    it("keeps secret values and their digest secret, and the config (with references only) readable", async () => {
        const [prepared] = prepareConnectors([{ name: "db", config: sink, secretConfig: { password: "pw" } }], "/s");
        assert.equal(await pulumi.isSecret(prepared.secretConfig!), true);
        assert.equal(await pulumi.isSecret(prepared.secretsDigest!), true);
        assert.equal(await pulumi.isSecret(prepared.config), false);
        assert.equal((await valueOf(prepared.config)).password, "${file:/s/db.properties:password}");
    });

    it("changes the digest, not the config, when a secret value changes", async () => {
        const [before, after] = ["pw", "pw2"].map(
            (password) => prepareConnectors([{ name: "db", config: sink, secretConfig: { password } }], SECRETS_DIR)[0],
        );
        assert.deepEqual(await valueOf(after.config), await valueOf(before.config));
        assert.equal(
            await valueOf(before.secretsDigest!),
            "7cd820c301addafcf3b9e49ed4c5bc7fc3b98f9180885fb8024161b86aee3da1",
        );
        assert.equal(
            await valueOf(after.secretsDigest!),
            "121ae627a908749d5b92ea296aa49204c5e19ebe4277f8249a82a1352c657ed5",
        );
    });

    it("prepares every connector in order, and declares no resource", async () => {
        const before = registrations.length;
        const prepared = prepareConnectors(
            [
                { name: "b", config: sink },
                { name: "a", config: sink },
            ],
            SECRETS_DIR,
        );
        assert.deepEqual(
            prepared.map((connector) => connector.name),
            ["b", "a"],
        );
        assert.equal(registrations.length, before);
    });

    it("passes declared offsets through (plain or from an output, checked), readOffsets false by default", async () => {
        const set = { set: [{ partition: { filename: "/in.txt" }, offset: { position: 12 } }] };
        const [plain, late, none] = prepareConnectors(
            [
                { name: "a", config: sink, offsets: set, readOffsets: true },
                { name: "b", config: sink, offsets: pulumi.output({ reset: true as const, revision: "2" }) },
                { name: "c", config: sink },
            ],
            SECRETS_DIR,
        );
        assert.deepEqual([plain.offsets, plain.readOffsets], [set, true]);
        assert.deepEqual(await valueOf(late.offsets as pulumi.Output<unknown>), { reset: true, revision: "2" });
        assert.deepEqual([none.offsets, none.readOffsets], [undefined, DEFAULTS.readOffsets]);
    });

    it("fails offsets from an output when they resolve to a bad shape", async () => {
        const message = 'connectors["s"].offsets.reset must be true (to change no offset, remove offsets).';
        const { errors } = await collectUnhandledRejections(async () => {
            const [prepared] = prepareConnectors(
                [{ name: "s", config: sink, offsets: pulumi.output({ reset: false as unknown as true }) }],
                SECRETS_DIR,
            );
            await assert.rejects(
                valueOf(prepared.offsets as pulumi.Output<unknown>),
                connectClusterError("invalid-input", message),
            );
            await settle();
        });
        assert.deepEqual(new Set(errors), new Set([message]));
    });

    const REJECTED_WHEN_RESOLVED: readonly { name: string; connector: ConnectorArgs; message: string }[] = [
        {
            name: "a config from an output with a name key",
            connector: { name: "s", config: pulumi.output({ ...sink, name: "s" }) },
            message: 'connectors["s"].config must not contain "name": the connector\'s name is set by `name`.',
        },
        {
            name: "a secret key from an output that is also in config",
            connector: { name: "s", config: sink, secretConfig: pulumi.output({ topics: "x" }) },
            message:
                'connectors["s"].secretConfig["topics"] is also set in config: give each key once, in secretConfig ' +
                "if its value is secret.",
        },
        {
            name: "connector.class from an output as a secret",
            connector: { name: "s", config: sink, secretConfig: pulumi.output({ "connector.class": "x" }) },
            message: 'connectors["s"].secretConfig["connector.class"]: this key cannot be secret; put it in config.',
        },
    ];
    for (const row of REJECTED_WHEN_RESOLVED) {
        it(`accepts ${row.name} at first, and fails its config when it resolves`, async () => {
            const { errors } = await collectUnhandledRejections(async () => {
                const [prepared] = prepareConnectors([row.connector], SECRETS_DIR);
                await assert.rejects(valueOf(prepared.config), connectClusterError("invalid-input", row.message));
                await settle();
            });
            // The SDK's own derived promises reject too, with the same error and nothing else.
            assert.ok(errors.length > 0);
            assert.deepEqual(new Set(errors), new Set([row.message]));
        });
    }
});

describe("prepareConnectors with plain bad input", () => {
    for (const row of rejectedBy("prepareConnectors")) {
        it(`rejects ${row.name} at once`, () => {
            const connectors = row.args.connectors ?? [];
            assert.throws(
                () => prepareConnectors(connectors, SECRETS_DIR),
                connectClusterError("invalid-input", row.message),
            );
        });
    }
});

describe("plainValue", () => {
    const output = pulumi.output("x");
    const CASES: readonly { name: string; value: unknown; expected: unknown }[] = [
        { name: "a string", value: "x", expected: "x" },
        { name: "undefined", value: undefined, expected: undefined },
        { name: "null", value: null, expected: null },
        { name: "a nested plain object", value: { a: [1, { b: true }] }, expected: { a: [1, { b: true }] } },
        { name: "an output", value: output, expected: undefined },
        { name: "a promise", value: Promise.resolve("x"), expected: undefined },
        { name: "an object holding an output", value: { a: { b: output } }, expected: undefined },
        { name: "an array holding an output", value: ["y", output], expected: undefined },
    ];
    for (const row of CASES) {
        it(`gives ${row.name} ${row.expected === undefined ? "as undefined" : "as itself"}`, () => {
            const result = plainValue(row.value);
            assert.deepEqual(result, row.expected);
            if (row.expected !== undefined && row.expected !== null && typeof row.expected === "object") {
                assert.equal(result, row.value, "the same object, not a copy");
            }
        });
    }
});

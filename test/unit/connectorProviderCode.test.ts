/**
 * The code the engine stores in every connector's inputs and outputs (`__provider`) and carries in each check, diff
 * and read: with the library installed as a package, the serialized provider is `require()`s of the package's
 * modules and six one-line delegations, not the methods' bodies, and it still runs.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import type { ConnectorInputs } from "../../components/provider/connectorProvider";

/** dist/ (this file runs as dist/test/unit/connectorProviderCode.test.js) and the repository above it. */
const DIST = path.resolve(__dirname, "..", "..");
const REPO = path.dirname(DIST);

describe("connector provider as the engine serializes it", () => {
    let dir: string;
    let text: string;

    before(async () => {
        // Installed as a user has it: <project>/node_modules/@connectcluster/pulumi, with @pulumi/pulumi found above.
        fs.mkdirSync(path.join(REPO, "test-output"), { recursive: true });
        dir = fs.mkdtempSync(path.join(REPO, "test-output", "provider-code-"));
        const installed = path.join(dir, "node_modules", "@connectcluster", "pulumi");
        fs.cpSync(path.join(DIST, "components"), path.join(installed, "dist", "components"), { recursive: true });
        fs.copyFileSync(path.join(REPO, "package.json"), path.join(installed, "package.json"));
        const file = path.join(installed, "dist", "components", "provider", "connectorProvider.js");
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const { connectorProvider } = require(file) as typeof import("../../components/provider/connectorProvider");
        // As pulumi.dynamic.Resource serializes its provider.
        text = (await pulumi.runtime.serializeFunction(() => connectorProvider, { allowSecrets: true })).text;
    });

    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("is a require() of the methods' module and six delegations, under 3 KB", () => {
        assert.ok(
            text.includes('require("@connectcluster/pulumi/dist/components/provider/connectorMethods")'),
            text.slice(0, 400),
        );
        assert.deepEqual(
            [...text.matchAll(/=> connectorMethods_1\.connectorMethods\.(\w+)\(/g)].map((m) => m[1]),
            ["check", "diff", "create", "read", "update", "delete"],
        );
        // No method body: names the methods call (validation, the listing, REST) are not in it.
        for (const name of ["validateConnectorName", "snapshotOf", "changedConfigKeys", "clientFor"]) {
            assert.ok(!text.includes(name), name);
        }
        assert.ok(text.length < 3000, `${text.length} characters`);
    });

    it("runs as the dynamic-provider process loads it: diff answers from the installed methods", async () => {
        // The provider process evaluates the text as a module of the project (here: `dir`) and calls handler().
        const file = path.join(dir, "provider.js");
        fs.writeFileSync(file, text);
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const provider = (require(file) as { handler: () => Required<pulumi.dynamic.ResourceProvider> }).handler();
        const olds: ConnectorInputs = {
            name: "sink",
            config: { "connector.class": "FileStreamSink", topics: "t", file: "/tmp/a" },
            access: { url: { baseUrl: "http://127.0.0.1:1" } },
            readyTimeoutMs: 1000,
        };
        assert.deepEqual(await provider.diff("sink", olds, olds), {
            changes: false,
            replaces: [],
            deleteBeforeReplace: false,
        });
        assert.deepEqual(await provider.diff("sink", olds, { ...olds, config: { ...olds.config, file: "/tmp/b" } }), {
            changes: true,
            replaces: [],
            deleteBeforeReplace: false,
        });
        assert.deepEqual(await provider.diff("sink", olds, { ...olds, name: "sink2" }), {
            changes: true,
            replaces: ["name"],
            deleteBeforeReplace: false,
        });
    });
});

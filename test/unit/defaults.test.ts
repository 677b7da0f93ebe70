/**
 * The two blocks of defaults agree where they meet: DEFAULTS (config/defaults.ts, the component's) and
 * PROVIDER_DEFAULTS (rest/providerDefaults.ts, the serialized provider's, which may not import config/).
 * README, args.ts and DEFAULTS are kept in agreement by argsReference.test.ts.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { DEFAULTS } from "../../components/config/defaults";
import { PREVIEW_VALIDATION_DEADLINE_MS } from "../../components/provider/connectorOperations";
import { connectorProvider } from "../../components/provider/connectorProvider";
import { SNAPSHOT_MAX_AGE_MS, SNAPSHOT_TTL_MS } from "../../components/provider/snapshotCache";
import { PROVIDER_DEFAULTS } from "../../components/rest/providerDefaults";
import { ConnectRestClient, DEFAULT_RETRY_POLICY } from "../../components/rest/restClient";

const ROOT = path.join(__dirname, "..", "..", "..");

describe("PROVIDER_DEFAULTS", () => {
    it("is what the provider's own names hold", () => {
        assert.equal(DEFAULT_RETRY_POLICY, PROVIDER_DEFAULTS.retry);
        assert.equal(new ConnectRestClient({ baseUrl: "http://c:8083" }).retry, PROVIDER_DEFAULTS.retry);
        assert.equal(PREVIEW_VALIDATION_DEADLINE_MS, PROVIDER_DEFAULTS.previewValidationDeadlineMs);
        assert.equal(SNAPSHOT_TTL_MS, PROVIDER_DEFAULTS.snapshotTtlMs);
        assert.equal(SNAPSHOT_MAX_AGE_MS, PROVIDER_DEFAULTS.snapshotMaxAgeMs);
    });

    it("deletes a connector's offsets exactly when the component's default does", () => {
        assert.equal(PROVIDER_DEFAULTS.deleteOffsetsOnDelete, DEFAULTS.deleteOffsetsOnDelete);
    });

    it("gives up on REST retries within the default ready timeout, as args.ts and README say", () => {
        const retrySeconds = PROVIDER_DEFAULTS.retry.deadlineMs / 1000;
        assert.ok(retrySeconds <= DEFAULTS.connectorReadyTimeoutSeconds);
        const claim = `stop after ${retrySeconds} s at most`;
        for (const file of ["components/cluster/args.ts", "README.md"]) {
            const text = fs.readFileSync(path.join(ROOT, file), "utf8").replace(/\s*\n\s*\*?\s*/g, " ");
            assert.ok(text.includes(claim), `${file} says retries ${claim}`);
        }
    });

    it("waits for a preview's validation less than a connector's default ready timeout", () => {
        assert.ok(PROVIDER_DEFAULTS.previewValidationDeadlineMs < DEFAULTS.connectorReadyTimeoutSeconds * 1000);
        assert.ok(PROVIDER_DEFAULTS.retry.requestTimeoutMs < PROVIDER_DEFAULTS.retry.deadlineMs);
        assert.ok(PROVIDER_DEFAULTS.retry.initialBackoffMs <= PROVIDER_DEFAULTS.retry.maxBackoffMs);
    });

    it("travels with the serialized provider, values and all", async () => {
        // What Pulumi stores in the state: the provider's code with the module-scope values it uses.
        const { text } = await pulumi.runtime.serializeFunction(() => connectorProvider, { isFactoryFunction: true });
        const { retry, statusPollMs, statePollMs, snapshotTtlMs, snapshotMaxAgeMs } = PROVIDER_DEFAULTS;
        const expected = [
            ...Object.entries(retry).map(([key, value]) => `${key}: ${value}`),
            `statusPollMs: ${statusPollMs}`,
            `statePollMs: ${statePollMs}`,
            `SNAPSHOT_TTL_MS: ${snapshotTtlMs}`,
            `SNAPSHOT_MAX_AGE_MS: ${snapshotMaxAgeMs}`,
        ];
        // An object whose properties several modules read is written property by property (`x.statusPollMs = 500;`).
        const values = text.replace(/\.(\w+) = /g, "$1: ");
        assert.deepEqual(
            expected.filter((fragment) => !values.includes(fragment)),
            [],
        );
    });
});

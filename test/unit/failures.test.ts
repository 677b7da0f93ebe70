/**
 * components/provider/failures.ts: which units FAILED, and traces cut and redacted by keyed digests only.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { failedUnits, REDACTED, redactSecrets, secretRedaction, shortTrace } from "../../components/provider/failures";
import { PROVIDER_DEFAULTS } from "../../components/rest/providerDefaults";
import type { ConnectorStatus } from "../../components/rest/restTypes";

const SALT = "a".repeat(64);

describe("failures: redaction of secret values", () => {
    it("keeps only a keyed digest and the length of each value, never the value", () => {
        const redaction = secretRedaction(["s3cr3t-pass", "", "s3cr3t-pass", "k"], SALT);
        assert.deepEqual(
            redaction.values.map((v) => v.length),
            [1, 11],
        );
        assert.equal(JSON.stringify(redaction).includes("s3cr3t-pass"), false);
        // Keyed: another salt gives other digests for the same values.
        assert.notDeepEqual(
            secretRedaction(["s3cr3t-pass"], "b".repeat(64)).values,
            secretRedaction(["s3cr3t-pass"], SALT).values,
        );
    });

    it("replaces every occurrence, inside longer words too, longest value first", () => {
        const redaction = secretRedaction(["hunter2", "hunter2-admin"], SALT);
        const text = "login failed for password=hunter2-admin; retry with hunter2,hunter2.";
        assert.equal(
            redactSecrets(text, redaction),
            `login failed for password=${REDACTED}; retry with ${REDACTED},${REDACTED}.`,
        );
    });

    it("leaves text without secrets, and any text when there is nothing to redact, unchanged", () => {
        assert.equal(redactSecrets("no secret here", secretRedaction(["hunter2"], SALT)), "no secret here");
        assert.equal(redactSecrets("hunter2", undefined), "hunter2");
        assert.equal(redactSecrets("hunter2", secretRedaction([], SALT)), "hunter2");
    });

    it("shortTrace keeps the first lines, redacted, and says how many were left out", () => {
        const lines = Array.from({ length: 20 }, (_, i) => `\tat Frame${i} pw=hunter2`);
        const short = shortTrace(
            ["ConnectException: hunter2", ...lines].join("\n"),
            secretRedaction(["hunter2"], SALT),
        );
        const kept = short.split("\n");
        assert.equal(kept.length, PROVIDER_DEFAULTS.traceLines + 1);
        assert.equal(kept[0], `ConnectException: ${REDACTED}`);
        assert.equal(kept[1], `\tat Frame0 pw=${REDACTED}`);
        assert.equal(kept[kept.length - 1], `\t... (${21 - PROVIDER_DEFAULTS.traceLines} more lines)`);
        assert.equal(short.includes("hunter2"), false);
    });

    it("shortTrace caps very long lines", () => {
        const short = shortTrace("x".repeat(10_000), undefined);
        assert.equal(short, `${"x".repeat(PROVIDER_DEFAULTS.traceMaxChars)}…`);
    });
});

describe("failures: failed units of a status", () => {
    const status = (connector: string, tasks: string[]): ConnectorStatus =>
        ({
            name: "c",
            connector: { state: connector, worker_id: "w1" },
            tasks: tasks.map((state, id) => ({ id, state, worker_id: "w2" })),
        }) as ConnectorStatus;
    const cases: { connector: string; tasks: string[]; failed: string[] }[] = [
        { connector: "RUNNING", tasks: ["RUNNING", "RUNNING"], failed: [] },
        { connector: "RUNNING", tasks: ["RUNNING", "FAILED"], failed: ["task 1"] },
        { connector: "FAILED", tasks: [], failed: ["connector"] },
        { connector: "FAILED", tasks: ["FAILED", "RESTARTING"], failed: ["connector", "task 0"] },
        { connector: "PAUSED", tasks: ["PAUSED"], failed: [] },
    ];
    for (const c of cases) {
        it(`connector ${c.connector}, tasks [${c.tasks.join(", ")}] -> [${c.failed.join(", ")}]`, () => {
            assert.deepEqual(failedUnits(status(c.connector, c.tasks)), c.failed);
        });
    }
    it("a connector Connect does not know has none", () => {
        assert.deepEqual(failedUnits(undefined), []);
    });
});

/** Per-process provider state: one value per key, made once, and a new shape under a new key. */
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { processShared } from "../../components/rest/processShared";

describe("processShared", () => {
    after(() => {
        const holder = globalThis as unknown as Record<string, unknown>;
        for (const key of ["test-counter@1", "test-shape@1", "test-shape@2"]) {
            delete holder[`__connectCluster.${key}`];
        }
    });

    it("makes the value once per process and returns the same one after", () => {
        let made = 0;
        const first = processShared("test-counter@1", () => ({ made: ++made }));
        const second = processShared("test-counter@1", () => ({ made: ++made }));
        assert.equal(first, second);
        assert.equal(made, 1);
    });

    it("keeps a key of another shape version apart", () => {
        const v1 = processShared("test-shape@1", () => new Map<string, number>([["a", 1]]));
        const v2 = processShared("test-shape@2", () => new Set<string>(["a"]));
        assert.ok(v1 instanceof Map);
        assert.ok(v2 instanceof Set);
    });
});

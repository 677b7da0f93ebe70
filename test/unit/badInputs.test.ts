/**
 * Every row of the bad-input catalogue (support/badInputCatalogue.ts, also in the README's troubleshooting
 * section) is rejected when the component is constructed, with its exact message, and nothing is declared.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { recordRegistrations } from "./support/pulumiMocks";
import { CATALOGUE } from "./support/badInputCatalogue";

const registrations = recordRegistrations();
let lib: typeof import("../../components");

describe("bad input catalogue", () => {
    before(async () => {
        lib = await import("../../components");
    });

    it(`has at least 30 entries (${CATALOGUE.length})`, () => {
        assert.ok(CATALOGUE.length >= 30);
    });

    for (const row of CATALOGUE) {
        it(`rejects ${row.name}, declaring nothing`, () => {
            const before = registrations.length;
            assert.throws(() => new lib.ConnectCluster(row.component ?? "c", row.args), { message: row.message });
            assert.equal(registrations.length, before, "no resource was registered");
        });
    }
});

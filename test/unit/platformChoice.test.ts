/**
 * `npm run demo`'s choice of platform (scripts/demo/platformChoice.ts) and README's description of it: the values
 * CONNECTCLUSTER_DEMO_NODE takes, the exact message for any other, and that README's demo section names them.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, test } from "node:test";
import { DEMO_NODE_VAR, demoNode } from "../../scripts/demo/platformChoice";

describe("demo: which platform runs the workers", () => {
    test("unset or empty: the real node when it can start; real and standin force one", () => {
        assert.equal(demoNode(undefined), "auto");
        assert.equal(demoNode(""), "auto");
        assert.equal(demoNode("real"), "real");
        assert.equal(demoNode("standin"), "standin");
    });

    test("any other value is refused, naming the variable and the values it takes", () => {
        for (const value of ["Real", "stand-in", "kind"]) {
            assert.throws(() => demoNode(value), {
                message:
                    `CONNECTCLUSTER_DEMO_NODE must be "real" or "standin" (or unset: the real node when it can ` +
                    `start); got "${value}"`,
            });
        }
    });

    test("README's demo section names the variable and both values", () => {
        const readme = fs.readFileSync(path.join(__dirname, "..", "..", "..", "README.md"), "utf8");
        const section = readme.slice(readme.indexOf("`npm run demo` runs"), readme.indexOf("## Why distributed mode"));
        for (const value of ["real", "standin"]) {
            assert.ok(section.includes(`${DEMO_NODE_VAR}=${value}`), `README's demo section names ${value}`);
        }
    });
});

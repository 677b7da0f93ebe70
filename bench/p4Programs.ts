/**
 * The programs p4Profile.ts runs, as a local project's `index.js`: P4_COUNT resources, each with a FileStreamSink
 * config against P4_URL.
 *  - `connectorProgramText`: the library's `Connector`, required from the installed package.
 *  - `plainProgramText`, a baseline: plain dynamic resources shaped like `Connector` (the same inputs, the access as
 *    a secret, the same output properties) whose provider does nothing (`check` returns the inputs, `diff` finds
 *    no change, `create` echoes). A no-change preview of it is what the Node.js SDK and the engine cost for N
 *    resources of that shape, with no REST call and none of our code (so the SDK's per-promise stack traces
 *    included).
 */
import * as path from "node:path";
import { FILE_SINK } from "../test/integration/support";

/** The program, requiring the installed package by its path (a bare name would resolve to this repository). */
export function connectorProgramText(installed: string): string {
    const connectorModule = path.join(installed, "dist", "components", "provider", "connector.js");
    return countedProgram(
        `const { Connector } = require(${JSON.stringify(connectorModule)});`,
        "p4-ours-",
        `const access = { url: { baseUrl: process.env.P4_URL } };
new Connector(name, { name, config, access, readyTimeoutMs: 600000 });`,
    );
}

export function plainProgramText(): string {
    return countedProgram(
        `const pulumi = require("@pulumi/pulumi");
const provider = {
    async check(olds, news) { return { inputs: news }; },
    async diff() { return { changes: false }; },
    async create(inputs) { return { id: inputs.name, outs: inputs }; },
};`,
        "p4-plain-",
        `const props = {
    name, config, access: pulumi.secret({ url: { baseUrl: process.env.P4_URL } }), readyTimeoutMs: 600000,
    secretsDigest: undefined, secretRedaction: undefined,
    connectorState: undefined, workerId: undefined, tasks: undefined, currentOffsets: undefined,
    connectorTrace: undefined,
};
new pulumi.dynamic.Resource(provider, name, props, { additionalSecretOutputs: ["access"] }, "p4plain", "Plain");`,
    );
}

/** `prelude`, then `declare` run for each of P4_COUNT names `<prefix>NNN`, with `name` and `config` in scope. */
function countedProgram(prelude: string, prefix: string, declare: string): string {
    return `"use strict";
${prelude}
const count = Number(process.env.P4_COUNT);
const width = String(count - 1).length;
for (let i = 0; i < count; i++) {
const name = ${JSON.stringify(prefix)} + String(i).padStart(width, "0");
const config = {
    "connector.class": ${JSON.stringify(FILE_SINK)}, "tasks.max": "1", topics: "p4-in", file: "/dev/null",
};
${declare}
}
`;
}

/**
 * A baseline for P4: a program of N plain dynamic resources shaped like `Connector` (the same inputs, the access as
 * a secret, the same output properties) whose provider does nothing: `check` returns the inputs, `diff` finds no
 * change, `create` echoes. A no-change preview of it is what the Node.js SDK and the engine cost for N resources of
 * that shape, with no REST call and none of our code (so the SDK's per-promise stack traces included).
 */
import { FILE_SINK } from "../test/integration/support";

export function plainProgramText(): string {
    return `"use strict";
const pulumi = require("@pulumi/pulumi");
const provider = {
    async check(olds, news) { return { inputs: news }; },
    async diff() { return { changes: false }; },
    async create(inputs) { return { id: inputs.name, outs: inputs }; },
};
const count = Number(process.env.P4_COUNT);
const width = String(count - 1).length;
for (let i = 0; i < count; i++) {
    const name = "p4-plain-" + String(i).padStart(width, "0");
    const config = {
        "connector.class": ${JSON.stringify(FILE_SINK)}, "tasks.max": "1", topics: "p4-in", file: "/dev/null",
    };
    const props = {
        name, config, access: pulumi.secret({ url: { baseUrl: process.env.P4_URL } }), readyTimeoutMs: 600000,
        secretsDigest: undefined, secretRedaction: undefined,
        connectorState: undefined, workerId: undefined, tasks: undefined, currentOffsets: undefined,
        connectorTrace: undefined,
    };
    new pulumi.dynamic.Resource(provider, name, props, { additionalSecretOutputs: ["access"] }, "p4plain", "Plain");
}
`;
}

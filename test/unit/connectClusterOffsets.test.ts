/** ConnectCluster on mocks: each connector's declared offsets and readOffsets reach its Connector resource, and the
 * connectorOffsets output lists the connectors that read theirs. */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { recordRegistrations, valueOf } from "./support/pulumiMocks";
import { childrenReader, seedConnector } from "./support/clusterChildren";

// Mocks first, then the code under test.
const registrations = recordRegistrations();
type Module = typeof import("../../components");
let lib: Module;
const childrenOf = childrenReader(registrations);

describe("ConnectCluster connectors' offsets (mocks)", () => {
    before(async () => {
        lib = await import("../../components");
    });

    it("passes offsets and readOffsets (default false) to each Connector; connectorOffsets lists readers", async () => {
        const at = { set: [{ partition: { filename: "/in.txt" }, offset: { position: 120 } }], revision: "1" };
        const cluster = new lib.ConnectCluster("offsets", {
            bootstrapServers: "b:9092",
            connectors: [
                { name: "mover", offsets: at, readOffsets: true, config: seedConnector.config },
                { name: "resetter", offsets: { reset: true }, config: seedConnector.config },
                { name: "plain", config: seedConnector.config },
            ],
        });
        const connectors = (await childrenOf(cluster)).filter(
            (child) => child.type === "pulumi-nodejs:dynamic/connectcluster:Connector",
        );
        assert.deepEqual(connectors.map((c) => [c.name, c.inputs.offsets, c.inputs.readOffsets]).sort(), [
            ["offsets-mover", at, true],
            ["offsets-plain", undefined, false],
            ["offsets-resetter", { reset: true }, false],
        ]);
        // The mocks report no offsets of their own: a reader shows an empty list, the others are not listed.
        assert.deepEqual(await valueOf(cluster.connectorOffsets), { mover: [] });
    });
});

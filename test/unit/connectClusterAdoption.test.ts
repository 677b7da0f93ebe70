/**
 * ConnectCluster on mocks: `adopt` reaches each connector's provider inputs (false when not declared), the
 * unmanaged report is one child after the connectors with the declared names (renamed ones' previous names too)
 * and the ignore patterns, and a bad pattern fails before any child is declared.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { recordRegistrations, settle } from "./support/pulumiMocks";
import { childrenReader, one } from "./support/clusterChildren";

// Mocks first, then the code under test.
const registrations = recordRegistrations();
type Module = typeof import("../../components");
let lib: Module;
const childrenOf = childrenReader(registrations);
const config = { "connector.class": "FileStreamSink", topics: "t", file: "/tmp/f.txt" };

describe("ConnectCluster adoption and unmanaged report (mocks)", () => {
    before(async () => {
        lib = await import("../../components");
    });

    it("passes adopt to each connector, false when not declared", async () => {
        const cluster = new lib.ConnectCluster("adopting", {
            bootstrapServers: "b:9092",
            connectors: [
                { name: "by-hand", adopt: true, config },
                { name: "new-sink", config },
            ],
        });
        const connectors = (await childrenOf(cluster)).filter(
            (child) => child.type === "pulumi-nodejs:dynamic/connectcluster:Connector",
        );
        assert.deepEqual(
            connectors.map((connector) => [connector.name, connector.inputs.adopt]),
            [
                ["adopting-by-hand", true],
                ["adopting-new-sink", false],
            ],
        );
    });

    it("declares one unmanaged report with the declared names, previous names and ignore patterns", async () => {
        const cluster = new lib.ConnectCluster("report", {
            bootstrapServers: "b:9092",
            connectors: [
                { name: "orders-v2", previousName: "orders", onRename: "reset", config },
                { name: "audit", config },
            ],
            ignoreUnmanagedConnectors: ["team-b-*", "legacy"],
        });
        const report = one(await childrenOf(cluster), "pulumi-nodejs:dynamic/connectcluster:UnmanagedConnectors");
        assert.equal(report.name, "report-unmanaged-connectors");
        assert.deepEqual(report.inputs.declared, ["orders-v2", "orders", "audit"]);
        assert.deepEqual(report.inputs.ignore, ["team-b-*", "legacy"]);
    });

    it("rejects a bad ignore pattern before declaring any child", async () => {
        assert.throws(
            () => new lib.ConnectCluster("bad", { bootstrapServers: "b:9092", ignoreUnmanagedConnectors: ["a*b"] }),
            {
                kind: "invalid-input",
                message:
                    'ignoreUnmanagedConnectors[0] is "a*b": give a connector name, or a prefix followed by one "*" ' +
                    'at the end (e.g. "team-b-*").',
            },
        );
        await settle();
        assert.deepEqual(
            registrations.filter((r) => r.name.startsWith("bad-")).map((r) => r.name),
            [],
        );
    });
});

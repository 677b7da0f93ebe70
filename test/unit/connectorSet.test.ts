/** ConnectorSet on mocks: its children, the REST access kept secret, and what it refuses. */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { recordRegistrations, settle, valueOf } from "./support/pulumiMocks";

// Mocks first, then the code under test.
const registrations = recordRegistrations();
type Module = typeof import("../../components");
let lib: Module;

const CONNECTOR = "pulumi-nodejs:dynamic/connectcluster:Connector";
const sink = (name: string) => ({
    name,
    config: { "connector.class": "FileStreamSink", "tasks.max": 1, topics: "t", file: "/tmp/x" },
});

async function childrenOf(component: pulumi.ComponentResource) {
    const urn = await valueOf(component.urn);
    await settle();
    return registrations.filter((r) => r.parent === urn);
}

describe("ConnectorSet (mocks)", () => {
    before(async () => {
        lib = await import("../../components");
    });

    it("declares one Connector per connector, with the given access as a secret and the lifecycle fields", async () => {
        const access = { url: { baseUrl: "http://connect.example:8083", headers: { Authorization: "Basic eA==" } } };
        const set = new lib.ConnectorSet("team-b", {
            restAccess: pulumi.output(access),
            connectors: [sink("b-1"), { ...sink("b-2"), state: "paused", deleteOffsetsOnDelete: true }],
            connectorReadyTimeoutSeconds: 60,
        });
        const children = await childrenOf(set);
        assert.deepEqual(
            children.map((r) => `${r.type} ${r.name}`),
            [`${CONNECTOR} team-b-b-1`, `${CONNECTOR} team-b-b-2`],
        );
        const second = children[1].inputs as Record<string, unknown>;
        assert.equal(second.name, "b-2");
        assert.equal(second.state, "paused");
        assert.equal(second.deleteOffsetsOnDelete, true);
        assert.equal(second.readyTimeoutMs, 60_000);
        assert.deepEqual(second.config, {
            "connector.class": "FileStreamSink",
            "tasks.max": "1",
            topics: "t",
            file: "/tmp/x",
        });
        assert.deepEqual(second.access, access);
        assert.equal(await pulumi.isSecret(set.connectors["b-1"].name), false);
        assert.deepEqual(await valueOf(set.connectorNames), ["b-1", "b-2"]);
    });

    it("builds URL access with basic auth as a secret, and refuses a user without password", async () => {
        const access = lib.connectRestAccess({ url: "https://connect.example", username: "u", password: "p" });
        assert.equal(await pulumi.isSecret(access), true);
        assert.deepEqual(await valueOf(access), {
            url: { baseUrl: "https://connect.example", headers: { Authorization: `Basic ${btoa("u:p")}` } },
        });
        assert.throws(() => lib.connectRestAccess({ url: "https://connect.example", username: "u" }), {
            message: "connectRestAccess: give both username and password.",
        });
    });

    it("refuses secretConfig (the cluster's workers would have to mount it) before declaring anything", () => {
        const before = registrations.length;
        assert.throws(
            () =>
                new lib.ConnectorSet("team-c", {
                    restAccess: { url: { baseUrl: "http://c:8083" } },
                    connectors: [{ ...sink("c-1"), secretConfig: { password: "x" } }],
                }),
            {
                name: "ConnectClusterError",
                message:
                    'ConnectorSet connector "c-1": secretConfig needs the cluster\'s workers to mount its values; ' +
                    "declare the connector in the cluster's own ConnectCluster, or refer to a config provider of " +
                    "that cluster in config.",
            },
        );
        assert.equal(registrations.length, before);
    });

    it("checks connectors as ConnectCluster does (the same name twice)", () => {
        assert.throws(
            () =>
                new lib.ConnectorSet("team-d", {
                    restAccess: { url: { baseUrl: "http://c:8083" } },
                    connectors: [sink("d"), sink("d")],
                }),
            { name: "ConnectClusterError", kind: "invalid-input" },
        );
    });

    it("ConnectCluster exports its REST access as a secret output, the one its connectors use", async () => {
        const cluster = new lib.ConnectCluster("owner", {
            bootstrapServers: "b:9092",
            namespace: "kc",
            connectors: [sink("a-1")],
        });
        assert.equal(await pulumi.isSecret(cluster.restAccess), true);
        const access = JSON.parse(JSON.stringify(await valueOf(cluster.restAccess)));
        assert.deepEqual(access, {
            kubernetesServiceProxy: { namespace: "kc", service: "owner", port: "rest" },
        });
        const urn = await valueOf(cluster.urn);
        await valueOf(cluster.connectorStates);
        await settle();
        const connector = registrations.find((r) => r.parent === urn && r.type === CONNECTOR)!;
        assert.deepEqual(connector.inputs.access, access);
    });
});

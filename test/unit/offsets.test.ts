/**
 * Offsets as code through the provider, on the fake Connect: create with declared offsets (STOPPED, PATCH or
 * DELETE, then the declared state), the checks at preview, and `readOffsets`. Real workers:
 * test/integration/offsetsAsCode.test.ts.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { connectorProvider, ConnectorInputs } from "../../components/provider/connectorProvider";
import { SEED_CONFIG as seed, useFakeConnect } from "./support/connectorSuite";

const provider = connectorProvider as Required<typeof connectorProvider>;
const NAME = "local-file-sink";
const AT_5 = { partition: { kafka_topic: "szcode2.qa.avro.server", kafka_partition: 0 }, offset: { kafka_offset: 5 } };

describe("create with declared offsets", () => {
    const { fake, inputs: seedInputs } = useFakeConnect();
    let inputs: ConnectorInputs;
    before(() => (inputs = seedInputs()));
    const writes = () => fake.requests.filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.path}`);

    it("creates the connector STOPPED, PATCHes the offsets, then resumes it: no task runs before", async () => {
        const created = await provider.create({ ...inputs, offsets: { set: [AT_5] } });
        assert.deepEqual(writes(), [
            "PUT /connector-plugins/FileStreamSink/config/validate",
            "POST /connectors",
            `PATCH /connectors/${NAME}/offsets`,
            `PUT /connectors/${NAME}/resume`,
        ]);
        assert.deepEqual(JSON.parse(fake.requests.find((r) => r.method === "POST")!.body).initial_state, "STOPPED");
        assert.deepEqual(JSON.parse(fake.requests.find((r) => r.method === "PATCH")!.body), { offsets: [AT_5] });
        assert.deepEqual(fake.connectors.get(NAME)?.offsets, [AT_5]);
        assert.equal(created.outs?.connectorState, "RUNNING");
        assert.deepEqual(created.outs?.offsets, { set: [AT_5] });
        assert.equal(created.outs?.currentOffsets, undefined, "offsets are read only with readOffsets");
    });

    it("a connector declared stopped stays STOPPED after its offsets are written", async () => {
        const created = await provider.create({ ...inputs, state: "stopped", offsets: { set: [AT_5] } });
        assert.deepEqual(writes().slice(1), ["POST /connectors", `PATCH /connectors/${NAME}/offsets`]);
        assert.equal(created.outs?.connectorState, "STOPPED");
    });

    it("paused: STOPPED, PATCH, then the pause call", async () => {
        const created = await provider.create({ ...inputs, state: "paused", offsets: { set: [AT_5] } });
        assert.deepEqual(writes().slice(1), [
            "POST /connectors",
            `PATCH /connectors/${NAME}/offsets`,
            `PUT /connectors/${NAME}/pause`,
        ]);
        assert.equal(created.outs?.connectorState, "PAUSED");
    });

    it("reset on create deletes what an earlier connector of the same name left (DELETE /offsets)", async () => {
        await provider.create({ ...inputs, offsets: { reset: true } });
        assert.deepEqual(writes().slice(1), [
            "POST /connectors",
            `DELETE /connectors/${NAME}/offsets`,
            `PUT /connectors/${NAME}/resume`,
        ]);
    });

    it("with readOffsets, the outputs carry the connector's current offsets", async () => {
        const created = await provider.create({ ...inputs, readOffsets: true, offsets: { set: [AT_5] } });
        assert.deepEqual(created.outs?.currentOffsets, [AT_5]);
        const plain = await provider.create({ ...inputs, name: "other", readOffsets: true });
        assert.deepEqual(plain.outs?.currentOffsets, []);
    });

    it("a Connect without the offsets endpoint: a clear error, and the new connector is deleted again", async () => {
        fake.offsetsEndpoint = false;
        await assert.rejects(provider.create({ ...inputs, offsets: { set: [AT_5] } }), {
            name: "ConnectClusterError",
            kind: "bad-request",
            field: `connectors["${NAME}"].offsets`,
            status: 404,
            message:
                `connector "${NAME}": this Kafka Connect has no offsets endpoint (Kafka Connect rejected PATCH ` +
                `/connectors/${NAME}/offsets for connector "${NAME}": HTTP 404: HTTP 404 Not Found); offsets and ` +
                `readOffsets need Kafka Connect 3.6 or newer (KIP-875).\n(the new connector was deleted again)`,
        });
        assert.equal(fake.connectors.has(NAME), false);
    });

    it("check rejects a bad declaration with its exact message, before any REST call", async () => {
        const result = await provider.check({} as ConnectorInputs, { ...inputs, offsets: { set: [] } as never });
        assert.deepEqual(result.failures, [
            {
                property: "offsets",
                reason:
                    `connectors["${NAME}"].offsets.set must be a non-empty array of { partition, offset }; to ` +
                    "delete every offset use reset.",
            },
        ]);
        assert.deepEqual(fake.requests, []);
    });

    it('check rejects offsets together with onRename "copy-offsets"', async () => {
        const news: ConnectorInputs = {
            ...inputs,
            rename: { from: "old", mode: "copy-offsets" },
            offsets: { reset: true },
        };
        assert.deepEqual((await provider.check({} as ConnectorInputs, news)).failures, [
            {
                property: "offsets",
                reason:
                    `connectors["${NAME}"].offsets cannot be declared with onRename "copy-offsets", which sets the ` +
                    "offsets itself: apply the rename first, then declare offsets.",
            },
        ]);
    });

    it("the config checked at create is unchanged by offsets (seed config sent as is)", async () => {
        await provider.create({ ...inputs, offsets: { reset: true } });
        assert.deepEqual(JSON.parse(fake.requests.find((r) => r.method === "POST")!.body).config, seed);
    });
});

/**
 * Offsets as code through the provider, on the fake Connect: create with declared offsets (STOPPED, PATCH or
 * DELETE, then the declared state), the checks at preview, and `readOffsets`. Real workers:
 * test/integration/offsetsAsCode.test.ts.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import {
    clientFor,
    connectorProvider,
    ConnectorInputs,
    ConnectorOutputs,
} from "../../components/provider/connectorProvider";
import { invalidateSnapshot } from "../../components/provider/snapshotCache";
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

describe("declared offsets on an existing connector", () => {
    const { fake, inputs: seedInputs } = useFakeConnect();
    let inputs: ConnectorInputs;
    before(() => (inputs = seedInputs()));
    const writes = () => fake.requests.filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.path}`);
    const AT_9 = { ...AT_5, offset: { kafka_offset: 9 } };

    it("diff: new offsets or a new revision are an update; the same ones (any key order) are nothing", async () => {
        const olds = (await provider.create({ ...inputs, offsets: { set: [AT_5], revision: "1" } })).outs!;
        const reordered = {
            revision: "1",
            set: [
                {
                    offset: { kafka_offset: 5 },
                    partition: { kafka_partition: 0, kafka_topic: AT_5.partition.kafka_topic },
                },
            ],
        };
        assert.equal((await provider.diff(NAME, olds, { ...inputs, offsets: reordered })).changes, false);
        for (const offsets of [
            { set: [AT_5], revision: "2" },
            { set: [AT_9], revision: "1" },
            { reset: true as const },
        ]) {
            assert.deepEqual(await provider.diff(NAME, olds, { ...inputs, offsets }), {
                changes: true,
                replaces: [],
                deleteBeforeReplace: false,
            });
        }
    });

    it("update: stop, PATCH, resume — no config write — and the connector RUNNING again", async () => {
        const olds = (await provider.create(inputs)).outs!;
        fake.requests.length = 0;
        const updated = await provider.update(NAME, olds, { ...inputs, offsets: { set: [AT_9] } });
        assert.deepEqual(writes(), [
            `PUT /connectors/${NAME}/stop`,
            `PATCH /connectors/${NAME}/offsets`,
            `PUT /connectors/${NAME}/resume`,
        ]);
        assert.deepEqual(fake.connectors.get(NAME)?.offsets, [AT_9]);
        assert.equal(updated.outs?.connectorState, "RUNNING");
    });

    it("update of a connector declared stopped: stop, DELETE, and no further state call", async () => {
        const olds = (await provider.create({ ...inputs, state: "stopped" })).outs!;
        fake.requests.length = 0;
        const updated = await provider.update(NAME, olds, { ...inputs, state: "stopped", offsets: { reset: true } });
        assert.deepEqual(writes(), [`PUT /connectors/${NAME}/stop`, `DELETE /connectors/${NAME}/offsets`]);
        assert.equal(updated.outs?.connectorState, "STOPPED");
    });

    it("offsets and config together: stop, PATCH, config written while STOPPED, then resume", async () => {
        const olds = (await provider.create(inputs)).outs!;
        fake.requests.length = 0;
        const news = { ...inputs, config: { ...seed, file: "/tmp/other.txt" }, offsets: { set: [AT_9] } };
        await provider.update(NAME, olds, news);
        assert.deepEqual(writes(), [
            `PUT /connectors/${NAME}/stop`,
            `PATCH /connectors/${NAME}/offsets`,
            "PUT /connector-plugins/FileStreamSink/config/validate",
            `PUT /connectors/${NAME}/config`,
            `PUT /connectors/${NAME}/resume`,
        ]);
    });

    it("a failed write puts the connector back in its state with its offsets unchanged, and says so", async () => {
        const olds = (await provider.create({ ...inputs, offsets: { set: [AT_5] } })).outs!;
        fake.offsetsEndpoint = false;
        fake.requests.length = 0;
        await assert.rejects(provider.update(NAME, olds, { ...inputs, offsets: { set: [AT_9] } }), {
            name: "ConnectClusterError",
            kind: "bad-request",
            message:
                `connector "${NAME}": this Kafka Connect has no offsets endpoint (Kafka Connect rejected PATCH ` +
                `/connectors/${NAME}/offsets for connector "${NAME}": HTTP 404: HTTP 404 Not Found); offsets and ` +
                `readOffsets need Kafka Connect 3.6 or newer (KIP-875).\n(its offsets were not changed and it was ` +
                `put back running)`,
        });
        assert.deepEqual(writes(), [
            `PUT /connectors/${NAME}/stop`,
            `PATCH /connectors/${NAME}/offsets`,
            `PUT /connectors/${NAME}/resume`,
        ]);
        assert.deepEqual(fake.connectors.get(NAME)?.offsets, [AT_5]);
        assert.equal(fake.connectors.get(NAME)?.stopped, false);
    });

    it("a removed declaration, or readOffsets switched on, is an update that writes nothing", async () => {
        const olds = (await provider.create({ ...inputs, offsets: { set: [AT_5] } })).outs!;
        assert.equal((await provider.diff(NAME, olds, inputs)).changes, true);
        fake.requests.length = 0;
        const removed = (await provider.update(NAME, olds, inputs)).outs!;
        assert.equal(removed.offsets, undefined);
        assert.deepEqual(await provider.diff(NAME, removed, { ...inputs, readOffsets: true }), {
            changes: true,
            replaces: [],
            deleteBeforeReplace: false,
        });
        const reading = (await provider.update(NAME, removed, { ...inputs, readOffsets: true })).outs!;
        assert.deepEqual(reading.currentOffsets, [AT_5]);
        assert.deepEqual(writes(), []);
    });

    it("read keeps the applied declaration: Connect's moving offsets are no drift", async () => {
        const declared = { ...inputs, readOffsets: true, offsets: { set: [AT_5] } };
        const olds = (await provider.create(declared)).outs!;
        fake.connectors.get(NAME)!.offsets = [{ ...AT_5, offset: { kafka_offset: 42 } }];
        invalidateSnapshot(clientFor(inputs));
        const read = await provider.read(NAME, olds);
        assert.deepEqual(read.props?.offsets, { set: [AT_5] });
        assert.deepEqual(read.inputs?.offsets, { set: [AT_5] });
        assert.deepEqual((read.props as ConnectorOutputs).currentOffsets, [{ ...AT_5, offset: { kafka_offset: 42 } }]);
        assert.equal((await provider.diff(NAME, read.props as ConnectorOutputs, declared)).changes, false);
    });

    it("check says at preview what up will rewind, once per message", async (t) => {
        const olds = (await provider.create(inputs)).outs!;
        const warn = t.mock.method(console, "warn", () => undefined);
        await provider.check(olds, { ...inputs, state: "paused", offsets: { set: [AT_9] } });
        await provider.check(olds, { ...inputs, offsets: { set: [AT_5] } });
        await provider.check({ ...olds, offsets: { set: [AT_5] } }, { ...inputs, offsets: { set: [AT_5] } });
        assert.deepEqual(
            warn.mock.calls.map((call) => call.arguments),
            [
                [
                    `warning: connector "${NAME}": up will stop it, write its offsets ` +
                        '({"kafka_partition":0,"kafka_topic":"szcode2.qa.avro.server"} -> ' +
                        '{"kafka_offset":9}) and put ' +
                        "it back paused.",
                ],
                [
                    `warning: connector "${NAME}": up will stop it, write its offsets ` +
                        '({"kafka_partition":0,"kafka_topic":"szcode2.qa.avro.server"} -> ' +
                        '{"kafka_offset":5}) and put ' +
                        "it back running.",
                ],
            ],
        );
    });
});

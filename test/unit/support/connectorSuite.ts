/**
 * The fixture the connector provider and operations tests share: one FakeConnect per suite, reset before
 * each test together with the provider process's memory of validated configs and listings, and a FileStreamSink on it.
 */
import { after, before, beforeEach } from "node:test";
import { forgetValidations } from "../../../components/provider/connectorOperations";
import type { ConnectorInputs } from "../../../components/provider/connectorTypes";
import { forgetListings } from "../../../components/provider/snapshotCache";
import { FakeConnect } from "./fakeConnect";

export const SEED_CONFIG = {
    "connector.class": "FileStreamSink",
    file: "/tmp/test.sink.txt",
    "tasks.max": "1",
    topics: "szcode2.qa.avro.server",
};

/** Call inside a describe(): the fake, and the seed connector's inputs (known once the fake listens). */
export function useFakeConnect(): { readonly fake: FakeConnect; readonly inputs: () => ConnectorInputs } {
    const fake = new FakeConnect();
    let inputs: ConnectorInputs | undefined;
    before(async () => {
        const baseUrl = await fake.start();
        inputs = { name: "local-file-sink", config: SEED_CONFIG, access: { url: { baseUrl } }, readyTimeoutMs: 2_000 };
    });
    after(() => fake.stop());
    beforeEach(() => {
        fake.connectors.clear();
        fake.requests.length = 0;
        fake.nextTaskState = "RUNNING";
        fake.nextTaskCount = 1;
        fake.offsetsEndpoint = true;
        fake.taskStateAfterRestart = undefined;
        forgetValidations();
        forgetListings();
    });
    return { fake, inputs: () => inputs! };
}

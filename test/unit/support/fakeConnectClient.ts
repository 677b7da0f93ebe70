/**
 * A ConnectRestClient against FakeConnect, reset before each test: shared by restClient.test.ts (operations and
 * waits) and restCall.test.ts (retries, errors, deadlines).
 */
import * as net from "node:net";
import { after, before, beforeEach } from "node:test";
import { ConnectRestClient, RetryPolicy } from "../../../components/rest/restClient";
import { FakeConnect } from "./fakeConnect";

/** Short timeouts and backoffs, so retries and deadlines take milliseconds. */
export const FAST: RetryPolicy = { requestTimeoutMs: 2_000, deadlineMs: 3_000, initialBackoffMs: 10, maxBackoffMs: 50 };

/** Starts a FakeConnect for the suite and a client of it (with basic auth); resets the fake before each test. */
export function useFakeConnectClient(): { readonly fake: FakeConnect; client(): ConnectRestClient } {
    const fake = new FakeConnect();
    let client: ConnectRestClient | undefined;
    before(async () => {
        client = new ConnectRestClient(
            { baseUrl: await fake.start(), headers: { Authorization: "Basic dXNlcjpzM2NyZXQ=" } },
            FAST,
        );
    });
    after(() => fake.stop());
    beforeEach(() => {
        fake.connectors.clear();
        fake.requests.length = 0;
        fake.queuedFailures.length = 0;
        fake.delayMs = 0;
        fake.queuedDelaysMs.length = 0;
        fake.nextTaskState = "RUNNING";
        fake.nextTaskCount = 1;
    });
    return {
        fake,
        client: () => {
            if (client === undefined) {
                throw new Error("the client is not started (did before() fail?)");
            }
            return client;
        },
    };
}

/** A loopback port nothing listens on. */
export async function closedPort(): Promise<number> {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    return port;
}

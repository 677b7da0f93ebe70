import assert from "node:assert/strict";
import * as http from "node:http";
import * as net from "node:net";
import { after, describe, it } from "node:test";
import { connectClusterError } from "../../components/errors";
import { neverAnsweredMessage, noteAnswer, silenceError } from "../../components/rest/neverAnswered";
import { PROVIDER_DEFAULTS } from "../../components/rest/providerDefaults";
import { ConnectRestClient, ConnectRestError, RetryPolicy } from "../../components/rest/restClient";
import { clientFor } from "../../components/provider/connectorOperations";
import { FakeConnect } from "./support/fakeConnect";

/** The grace is short here; the deadline long enough that ending by it would say "gave up after". */
const GRACE: RetryPolicy = {
    requestTimeoutMs: 1_000,
    deadlineMs: 30_000,
    initialBackoffMs: 10,
    maxBackoffMs: 50,
    neverAnsweredGraceMs: 300,
};

describe("workers that never answer (neverAnswered)", () => {
    const servers: http.Server[] = [];
    after(() => Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve)))));

    it("the default grace is 60 s (a worker that cannot reach Kafka gives up after 60 s)", () => {
        assert.equal(PROVIDER_DEFAULTS.retry.neverAnsweredGraceMs, 60_000);
    });

    it("refused for the grace: fails with the Kafka bootstrap named, not at the deadline", async () => {
        const port = await closedPort();
        const client = new ConnectRestClient(
            { baseUrl: `http://user:pw@127.0.0.1:${port}` },
            GRACE,
            undefined,
            undefined,
            "kafka-0.kafka:9092",
        );
        await assert.rejects(client.listConnectors(), (error: ConnectRestError) => {
            assert.equal(error.kind, "unreachable");
            assert.equal(
                error.message,
                `No Kafka Connect worker has answered at http://127.0.0.1:${port} for 0.3 s: is the Kafka cluster at ` +
                    `kafka-0.kafka:9092 reachable from the workers? A worker serves its REST API only after it has ` +
                    `reached Kafka; one that cannot never joins the group and exits after 60 s with "Failed to ` +
                    `connect to and describe Kafka cluster" in its log. Check bootstrapServers, the Kafka security ` +
                    `settings and the network path from the pods to Kafka. Last failure: Kafka Connect REST API at ` +
                    `http://127.0.0.1:${port} is unreachable (GET /connectors for the Connect cluster): connect ` +
                    `ECONNREFUSED 127.0.0.1:${port}`,
            );
            assert.doesNotMatch(error.message, /pw|gave up after/);
            return true;
        });
        // The process remembers the target: the next call fails on its first refusal.
        const again = new ConnectRestClient({ baseUrl: `http://127.0.0.1:${port}` }, GRACE);
        await assert.rejects(again.serverInfo(), (error: ConnectRestError) => {
            assert.match(error.message, /^No Kafka Connect worker has answered .* is the Kafka cluster reachable/);
            return true;
        });
    });

    it("a proxy's 503 for the grace (the API server's service proxy: no Ready pod) counts as no answer", async () => {
        const base = await alwaysAnswering(503, 'no endpoints available for service "connect"');
        const client = new ConnectRestClient({ baseUrl: base }, GRACE);
        await assert.rejects(client.listConnectors(), (error: ConnectRestError) => {
            assert.equal(error.kind, "unreachable");
            assert.match(error.message, /^No Kafka Connect worker has answered at .* is the Kafka cluster reachable/);
            assert.match(error.message, /Last failure: Kafka Connect answered 503: no endpoints available/);
            return true;
        });
    });

    it("a target that answered once is never called silent: refusals retry to the deadline as before", async () => {
        const fake = new FakeConnect();
        const base = await fake.start();
        const client = new ConnectRestClient({ baseUrl: base }, { ...GRACE, deadlineMs: 1_000 });
        assert.deepEqual(await client.listConnectors(), []);
        await fake.stop();
        await assert.rejects(client.listConnectors(), (error: ConnectRestError) => {
            assert.equal(error.kind, "unreachable");
            assert.match(error.message, /^Kafka Connect REST API at .* is unreachable .*\(gave up after \d+ attempts/);
            return true;
        });
    });

    it("an answer that is an error (Connect's 500 Request timed out) is an answer", async () => {
        const base = await alwaysAnswering(500, "Request timed out");
        const client = new ConnectRestClient({ baseUrl: base }, { ...GRACE, deadlineMs: 1_000 });
        await assert.rejects(client.listConnectors(), (error: ConnectRestError) => {
            assert.equal(error.kind, "kafka-unavailable");
            return true;
        });
    });

    it("without a grace in the policy, only the deadline ends the retries", async () => {
        const port = await closedPort();
        const { neverAnsweredGraceMs: _none, ...policy } = GRACE;
        const client = new ConnectRestClient({ baseUrl: `http://127.0.0.1:${port}` }, { ...policy, deadlineMs: 600 });
        await assert.rejects(client.listConnectors(), /gave up after \d+ attempts/);
    });

    it("counts the grace over failures at most 15 s apart, per target; an answer ends it for good", () => {
        const failure = connectClusterError("unreachable", "refused");
        const target = "http://silence.test:1";
        const at = (now: number) => silenceError(target, target, failure, 60_000, undefined, now);
        assert.equal(at(1_000), undefined);
        // 20 s without an attempt (a preview, then the confirmation prompt): the silence starts again at 21 s.
        assert.equal(at(21_000), undefined);
        for (let now = 31_000; now <= 71_000; now += 10_000) {
            assert.equal(at(now), undefined, `${now} ms: 50 s or less of silence`);
        }
        const error = at(81_000);
        assert.equal(error?.message, neverAnsweredMessage(target, 60_000, undefined, "refused"));
        assert.match(error?.message ?? "", /for 60 s: is the Kafka cluster reachable from the workers\?/);
        noteAnswer(target);
        assert.equal(silenceError(target, target, failure, 60_000, undefined, 999_000), undefined);
    });

    it("the provider's client names the connector's kafkaBootstrap, with the default 60 s grace", async () => {
        const port = await closedPort();
        const baseUrl = `http://127.0.0.1:${port}`;
        // As if this process had been refused every 10 s for the last 61 s.
        for (const ago of [61_000, 51_000, 41_000, 31_000, 21_000, 11_000, 1_000]) {
            silenceError(
                baseUrl,
                baseUrl,
                connectClusterError("unreachable", "refused"),
                60_000,
                undefined,
                Date.now() - ago,
            );
        }
        const client = clientFor({
            access: { url: { baseUrl } },
            readyTimeoutMs: 300_000,
            kafkaBootstrap: "pkc-123.confluent.cloud:9092",
        });
        await assert.rejects(client.getConnectorConfig("sink"), (error: ConnectRestError) => {
            assert.equal(error.kind, "unreachable");
            assert.ok(
                error.message.startsWith(
                    `No Kafka Connect worker has answered at ${baseUrl} for 60 s: is the Kafka cluster at ` +
                        `pkc-123.confluent.cloud:9092 reachable from the workers?`,
                ),
                error.message,
            );
            assert.match(error.message, /Last failure: .*\(GET \/connectors\/sink\/config for connector "sink"\)/);
            return true;
        });
    });

    async function alwaysAnswering(status: number, message: string): Promise<string> {
        const server = http.createServer((_request, response) => {
            response.writeHead(status, { "content-type": "application/json" });
            response.end(JSON.stringify({ error_code: status, message }));
        });
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        servers.push(server);
        return `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
    }
});

async function closedPort(): Promise<number> {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    return port;
}

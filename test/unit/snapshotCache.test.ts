import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import { clientFor } from "../../components/provider/connectorOperations";
import {
    invalidateSnapshot,
    listing,
    SNAPSHOT_MAX_AGE_MS,
    SNAPSHOT_TTL_MS,
    snapshotOf,
} from "../../components/provider/snapshotCache";
import { ConnectRestClient, RetryPolicy } from "../../components/rest/restClient";
import { execPlugin, kubeconfigFor, proxyInputs } from "./support/execPlugin";
import { FakeConnect } from "./support/fakeConnect";
import { useFakeServiceProxy } from "./support/fakeServiceProxy";

const FAST: RetryPolicy = { requestTimeoutMs: 2_000, deadlineMs: 3_000, initialBackoffMs: 10, maxBackoffMs: 50 };
const LISTING = "GET /connectors?expand=info&expand=status";

describe("snapshotOf", () => {
    const fake = new FakeConnect();
    let baseUrl: string;
    const withToken = (token: string) =>
        new ConnectRestClient({ baseUrl, headers: { Authorization: `Bearer ${token}` } }, FAST);
    const listings = () => fake.requests.filter((r) => `${r.method} ${r.path}` === LISTING).length;

    before(async () => {
        baseUrl = await fake.start();
    });
    after(() => fake.stop());
    beforeEach(async () => {
        invalidateSnapshot(withToken("any"));
        fake.connectors.clear();
        fake.connectors.set("sink-a", {
            config: { "connector.class": "FileStreamSink", name: "sink-a" },
            taskState: "RUNNING",
        });
        fake.requests.length = 0;
    });

    it("serves reads through clients with other (rotating) tokens from one listing of the target", async () => {
        const first = await snapshotOf(withToken("one"), "sink-a");
        const second = await snapshotOf(withToken("two"), "sink-a");
        const third = await snapshotOf(
            new ConnectRestClient({ baseUrl: `${baseUrl}/`, headers: { Authorization: "Bearer three" } }, FAST),
            "absent",
        );
        assert.equal(listings(), 1);
        assert.deepEqual(first, {
            config: { "connector.class": "FileStreamSink", name: "sink-a" },
            status: {
                name: "sink-a",
                connector: { state: "RUNNING", worker_id: "127.0.0.1:8083" },
                tasks: [{ id: 0, state: "RUNNING", worker_id: "127.0.0.1:8083" }],
                type: "sink",
            },
        });
        assert.deepEqual(second, first);
        assert.equal(third, undefined);
        assert.deepEqual(
            fake.requests.map((r) => r.headers.authorization),
            ["Bearer one"],
        );
    });

    it("lists again after a write through any client of the target invalidated it", async () => {
        await snapshotOf(withToken("one"), "sink-a");
        fake.connectors.delete("sink-a");
        invalidateSnapshot(withToken("two"));
        assert.equal(await snapshotOf(withToken("three"), "sink-a"), undefined);
        assert.equal(listings(), 2);
    });

    it("keeps targets apart: another base URL is listed on its own", async () => {
        const other = new FakeConnect();
        try {
            const otherClient = new ConnectRestClient({ baseUrl: await other.start() }, FAST);
            await snapshotOf(withToken("one"), "sink-a");
            assert.equal(await snapshotOf(otherClient, "sink-a"), undefined);
            assert.equal(listings(), 1);
            assert.equal(other.requests.filter((r) => `${r.method} ${r.path}` === LISTING).length, 1);
        } finally {
            await other.stop();
        }
    });

    it("does not serve a failed listing to the next reader", async () => {
        fake.queuedFailures.push({ status: 404, message: "HTTP 404 Not Found" });
        await assert.rejects(snapshotOf(withToken("one"), "sink-a"), {
            message: "Kafka Connect rejected GET /connectors for the Connect cluster: HTTP 404: HTTP 404 Not Found",
        });
        assert.notEqual(await snapshotOf(withToken("one"), "sink-a"), undefined);
        assert.equal(listings(), 2);
    });

    it("serves a failed listing as the same failure to checks (reuseFailure), no new ask; reads ask", async () => {
        fake.queuedFailures.push({ status: 404, message: "HTTP 404 Not Found" });
        const message = "Kafka Connect rejected GET /connectors for the Connect cluster: HTTP 404: HTTP 404 Not Found";
        await assert.rejects(snapshotOf(withToken("one"), "sink-a", { reuseFailure: true }), { message });
        await assert.rejects(listing(withToken("two"), { reuseFailure: true }), { message });
        assert.equal(listings(), 1);
        assert.equal((await snapshotOf(withToken("three"), "sink-a"))?.status.connector.state, "RUNNING");
        assert.equal(listings(), 2);
        // The read's good listing replaced the failure for everyone.
        assert.deepEqual(Object.keys(await listing(withToken("four"), { reuseFailure: true })), ["sink-a"]);
        assert.equal(listings(), 2);
    });

    it("counts its window from the answer: the reads after a slow listing arrives share it", async (t) => {
        t.mock.timers.enable({ apis: ["Date"], now: 0 });
        const reading = snapshotOf(withToken("one"), "sink-a");
        // The listing takes 5 s, as one of hundreds of connectors may on a loaded cluster.
        t.mock.timers.tick(5_000);
        await reading;
        t.mock.timers.tick(SNAPSHOT_TTL_MS);
        assert.notEqual(await snapshotOf(withToken("two"), "sink-a"), undefined);
        assert.equal(listings(), 1);
        t.mock.timers.tick(SNAPSHOT_TTL_MS + 1);
        assert.notEqual(await snapshotOf(withToken("three"), "sink-a"), undefined);
        assert.equal(listings(), 2);
    });

    it("serves a run's reads one after another from one listing, to its max age; a pause lists again", async (t) => {
        t.mock.timers.enable({ apis: ["Date"], now: 0 });
        await snapshotOf(withToken("one"), "sink-a");
        // The engine's checks of 500 connectors, each within the window of the previous one: 34 s in all.
        for (let read = 0; read < 34; read++) {
            t.mock.timers.tick(SNAPSHOT_TTL_MS / 2);
            assert.notEqual(await snapshotOf(withToken(`read-${read}`), "sink-a"), undefined);
        }
        assert.equal(listings(), 1);
        // A pause longer than the window (a rollout within the same up): the next read lists again.
        t.mock.timers.tick(SNAPSHOT_TTL_MS + 1);
        await snapshotOf(withToken("after a pause"), "sink-a");
        assert.equal(listings(), 2);
        // Reads that never pause are served a listing no older than the maximum age.
        for (let elapsed = 0; elapsed <= SNAPSHOT_MAX_AGE_MS; elapsed += SNAPSHOT_TTL_MS / 2) {
            t.mock.timers.tick(SNAPSHOT_TTL_MS / 2);
            await snapshotOf(withToken("steady"), "sink-a");
        }
        assert.equal(listings(), 3);
    });
});

describe("snapshotOf through the Kubernetes service proxy", () => {
    const { proxy, server } = useFakeServiceProxy();

    it("hits the cache on a refresh although the exec plugin's token rotates on every request", async () => {
        // Lifetime 0: every credential has expired by the next request, as when tokens rotate between reads.
        const plugin = execPlugin(0);
        try {
            const inputs = proxyInputs(kubeconfigFor(server(), plugin.userYaml));
            // A refresh: one read per connector, each through its own client.
            for (const name of ["sink-a", "sink-b", "sink-c"]) {
                assert.equal(await snapshotOf(clientFor(inputs), name), undefined);
            }
            assert.deepEqual(proxy.requests, [
                {
                    path: "/api/v1/namespaces/kc/services/connect%3Arest/proxy/connectors?expand=info&expand=status",
                    authorization: "Bearer token-1",
                },
            ]);
            invalidateSnapshot(clientFor(inputs));
            assert.equal(await snapshotOf(clientFor(inputs), "sink-a"), undefined);
            assert.equal(proxy.requests.length, 2);
            assert.match(proxy.requests[1].authorization ?? "", /^Bearer token-[2-9]$/);
        } finally {
            plugin.remove();
        }
    });
});

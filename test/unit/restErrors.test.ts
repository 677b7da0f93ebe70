import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { httpError, networkError } from "../../components/rest/restErrors";

describe("REST error mapping", () => {
    it(
        "classifies HTTP answers: 404 not found, 409 conflict, 5xx server, a client error wrapped in a 500 as " +
            "bad request",
        () => {
            const kindOf = (status: number, message = "x") =>
                httpError("PUT", "/connectors/c/config?x=1", 'connector "c"', {
                    status,
                    body: JSON.stringify({ message }),
                }).kind;
            assert.equal(kindOf(404), "not-found");
            assert.equal(kindOf(409), "conflict");
            assert.equal(kindOf(500), "server");
            assert.equal(kindOf(500, "org.apache.kafka.connect.errors.BadRequestException: nope"), "bad-request");
            assert.equal(kindOf(400), "bad-request");
            const error = httpError("PUT", "/connectors/c/config?x=1", 'connector "c"', {
                status: 401,
                body: "<html>no</html>",
            });
            assert.equal(
                error.message,
                'Kafka Connect rejected PUT /connectors/c/config for connector "c": HTTP 401: <html>no</html> (the ' +
                    "workers require REST basic auth: check restAccess.username and password against restAuth.users)",
            );
        },
    );

    it(
        "names the fix for an untrusted certificate, retries refused connections, and never shows URL " + "credentials",
        () => {
            const untrusted = networkError(
                "GET",
                "/connectors/c/status",
                'connector "c"',
                "https://admin:pw@connect:8443",
                Object.assign(new Error("self-signed certificate"), { code: "DEPTH_ZERO_SELF_SIGNED_CERT" }),
            );
            assert.equal(untrusted.kind, "bad-request");
            assert.match(
                untrusted.message,
                new RegExp(
                    String.raw`^Kafka Connect REST API at https:\/\/connect:8443 presented a TLS certificate this cl` +
                        String.raw`ient does not accept .*Set restAccess.caCertificatePem`,
                ),
            );
            const refused = networkError(
                "GET",
                "/connectors/c/status",
                'connector "c"',
                "http://user:secret@127.0.0.1:1",
                Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" }),
            );
            assert.equal(refused.kind, "unreachable");
            assert.equal(
                refused.message,
                "Kafka Connect REST API at http://127.0.0.1:1 is unreachable (GET /connectors/c/status for connector " +
                    '"c"): connect ECONNREFUSED 127.0.0.1:1',
            );
            assert.ok(!refused.message.includes("secret") && !untrusted.message.includes("pw"));
        },
    );

    it("tells transient answers (retried) from permanent ones, by status and Connect's message", () => {
        const rows: { status: number; message: string; kind: string }[] = [
            { status: 409, message: "Connector c already exists", kind: "conflict" },
            {
                status: 409,
                message:
                    "Cannot complete request momentarily due to stale configuration (typically caused by a " +
                    "concurrent config change)",
                kind: "rebalancing",
            },
            {
                status: 409,
                message:
                    "Cannot complete request momentarily due to no known leader URL, likely because a rebalance " +
                    "was underway.",
                kind: "rebalancing",
            },
            {
                status: 409,
                message: "Cannot complete request because of a conflicting operation (e.g. worker rebalance)",
                kind: "rebalancing",
            },
            { status: 500, message: "Request timed out", kind: "kafka-unavailable" },
            {
                status: 500,
                message:
                    "Request timed out. The worker is currently ensuring membership in the cluster, which began at " +
                    "2026-12-02T06:00:00Z",
                kind: "kafka-unavailable",
            },
            {
                status: 500,
                message: "IO Error trying to forward REST request: java.net.ConnectException: Connection refused",
                kind: "rebalancing",
            },
            // Seen on real workers (rebalance.test.ts): GET /connectors/<n>/config during worker churn.
            {
                status: 500,
                message: "Request cannot be completed because a rebalance is expected",
                kind: "rebalancing",
            },
            // Connect's Worker while a stopped sink's tasks are still in the consumer group (KIP-875).
            {
                status: 500,
                message:
                    "Failed to alter consumer group offsets for connector s either because its tasks haven't stopped " +
                    "completely yet or the connector was resumed before the request to alter its offsets could be " +
                    "successfully completed. If the connector is in a stopped state, this operation can be safely " +
                    "retried. If it doesn't eventually succeed, the Connect cluster may need to be restarted to get " +
                    "rid of the zombie sink tasks.",
                kind: "rebalancing",
            },
            { status: 500, message: "Failed to alter consumer group offsets for connector s", kind: "server" },
            { status: 500, message: "java.lang.NoClassDefFoundError: com/example/Missing", kind: "server" },
            { status: 500, message: "Request interrupted", kind: "server" },
            { status: 502, message: "Bad Gateway", kind: "unavailable" },
            { status: 503, message: "no endpoints available for service", kind: "unavailable" },
            { status: 504, message: "Gateway Timeout", kind: "unavailable" },
        ];
        const kinds = rows.map(
            (row) =>
                httpError("GET", "/connectors", "the Connect cluster", {
                    status: row.status,
                    body: JSON.stringify({ error_code: row.status, message: row.message }),
                }).kind,
        );
        assert.deepEqual(
            kinds,
            rows.map((row) => row.kind),
        );
    });

    it("names the transient cause in the message instead of calling the workers unreachable", () => {
        const kafkaDown = httpError("PUT", "/connectors/c/config", 'connector "c"', {
            status: 500,
            body: JSON.stringify({ error_code: 500, message: "Request timed out" }),
        });
        assert.equal(
            kafkaDown.message,
            "Kafka Connect answered 500: Request timed out — is the Kafka cluster reachable from the workers? " +
                '(PUT /connectors/c/config for connector "c")',
        );
        const rebalancing = httpError("GET", "/connectors?expand=status", "the Connect cluster", {
            status: 409,
            body: JSON.stringify({
                error_code: 409,
                message: "Cannot complete request momentarily due to stale config",
            }),
        });
        assert.equal(
            rebalancing.message,
            "Kafka Connect answered 409: Cannot complete request momentarily due to stale config — the workers are " +
                "rebalancing or have no leader yet (GET /connectors for the Connect cluster)",
        );
    });

    it("makes errors that print no JavaScript stack frames (Pulumi's provider host prints error.stack)", () => {
        const errors = [
            httpError("GET", "/", "the Connect cluster", { status: 400, body: "{}" }),
            networkError("GET", "/", "the Connect cluster", "http://127.0.0.1:1", new Error("connect ECONNREFUSED")),
        ];
        for (const error of errors) {
            assert.ok(error instanceof Error);
            assert.equal(error.name, "ConnectClusterError");
            const printed = `${error}: ${error.stack}`;
            assert.doesNotMatch(printed, /\n\s+at /, printed);
        }
    });
});

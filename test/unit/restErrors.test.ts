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
            assert.equal(kindOf(503), "server");
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
                'connector "c"',
                "https://admin:pw@connect:8443",
                Object.assign(new Error("self-signed certificate"), { code: "DEPTH_ZERO_SELF_SIGNED_CERT" }),
            );
            assert.equal(untrusted.kind, "bad-request");
            assert.match(
                untrusted.message,
                /^Kafka Connect REST API at https:\/\/connect:8443 presented a TLS certificate this client does not accept .*Set restAccess.caCertificatePem/,
            );
            const refused = networkError(
                "GET",
                'connector "c"',
                "http://user:secret@127.0.0.1:1",
                Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" }),
            );
            assert.equal(refused.kind, "unreachable");
            assert.ok(!refused.message.includes("secret") && !untrusted.message.includes("pw"));
        },
    );
});

import { basicAuthorization } from "../../components/basicAuth";
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { connectClusterError } from "../../components/errors";
import { parseProperties } from "../../components/render/properties";
import {
    authenticatedHealthProbeCommand,
    jaasJvmOption,
    renderRestAuthSecretData,
    validateRestAuthUsers,
} from "../../components/render/restAuth";

const DIR = "/etc/kafka-connect-rest-auth";

describe("REST basic auth renderers", () => {
    it("renders the users file, the JAAS file naming it, and the probe user's Authorization value", () => {
        const data = renderRestAuthSecretData({ viewer: "v=pw:1", deployer: "d pw" }, DIR);
        assert.deepEqual(Object.keys(data).sort(), ["jaas.conf", "probe-authorization", "users.properties"]);
        assert.deepEqual(
            parseProperties(data["users.properties"]),
            { deployer: "d pw", viewer: "v=pw:1" },
            "java.util.Properties reads back every password",
        );
        assert.equal(
            data["jaas.conf"],
            "KafkaConnect {\n    org.apache.kafka.connect.rest.basic.auth.extension.PropertyFileLoginModule " +
                'required\n    file="/etc/kafka-connect-rest-auth/users.properties";\n};\n',
        );
        assert.equal(
            data["probe-authorization"],
            `Basic ${Buffer.from("deployer:d pw").toString("base64")}`,
            "the first user by name",
        );
    });

    it("passes the JAAS file as a JVM flag", () => {
        assert.equal(jaasJvmOption(DIR), "-Djava.security.auth.login.config=/etc/kafka-connect-rest-auth/jaas.conf");
        assert.equal(basicAuthorization("a", "b:c"), "Basic YTpiOmM=");
    });

    it("probes /health with the mounted credential, which is not in the command", () => {
        const [shell, flag, script] = authenticatedHealthProbeCommand(8083, `${DIR}/probe-authorization`);
        assert.deepEqual([shell, flag], ["bash", "-c"]);
        assert.match(script, /^exec 3<>\/dev\/tcp\/127\.0\.0\.1\/8083 && /);
        assert.match(script, /GET \/health HTTP\/1\.1/);
        assert.match(script, /"\$\(cat \/etc\/kafka-connect-rest-auth\/probe-authorization\)"/);
        assert.match(script, /\[ "\$status" = 200 \]$/);
    });

    const rejected: [string, Record<string, string>, string][] = [
        [
            "no users (the login module would admit everyone)",
            {},
            "restAuth.users must name at least one user: Kafka's PropertyFileLoginModule lets everyone in when it " +
                "has no users.",
        ],
        [
            "a user name with a colon",
            { "a:b": "pw" },
            'restAuth.users: user name "a:b" must be 1-200 characters without ":" or whitespace.',
        ],
        [
            "an empty user name",
            { "": "pw" },
            'restAuth.users: user name "" must be 1-200 characters without ":" or whitespace.',
        ],
        ["an empty password", { ops: "" }, 'restAuth.users["ops"]: the password must be a non-empty string.'],
    ];
    for (const [label, users, message] of rejected) {
        it(`rejects ${label}`, () => {
            assert.throws(() => validateRestAuthUsers(users), connectClusterError("invalid-input", message));
        });
    }
});

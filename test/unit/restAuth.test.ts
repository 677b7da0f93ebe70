import { connectClusterError } from "../../components/errors";
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { rejectedBy } from "./support/badInputCatalogue";
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
    });

    it("probes /health with the mounted credential, which is not in the command", () => {
        const [shell, flag, script] = authenticatedHealthProbeCommand(8083, `${DIR}/probe-authorization`);
        assert.deepEqual([shell, flag], ["bash", "-c"]);
        assert.match(script, /^exec 3<>\/dev\/tcp\/127\.0\.0\.1\/8083 && /);
        assert.match(script, /GET \/health HTTP\/1\.1/);
        assert.match(script, /"\$\(cat \/etc\/kafka-connect-rest-auth\/probe-authorization\)"/);
        assert.match(script, /\[ "\$status" = 200 \]$/);
    });

    for (const row of rejectedBy("validateRestAuthUsers")) {
        it(`rejects ${row.name}`, () => {
            const users = row.args.restAuth?.users as Record<string, string>;
            assert.throws(() => validateRestAuthUsers(users), connectClusterError("invalid-input", row.message));
        });
    }
});

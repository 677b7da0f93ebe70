import { connectClusterError } from "../../components/errors";
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
    changedConfigKeys,
    configFromConnect,
    connectorSecretsFile,
    validateSecretKeys,
    withSecretReferences,
    normalizeConnectorConfig,
    validateConnectorConfig,
    validateConnectorName,
    validateUniqueNames,
} from "../../components/provider/connectorConfig";
import { onlyConnector, rejectedBy } from "./support/badInputCatalogue";

describe("connector config", () => {
    it("normalizes numbers and booleans to strings, with sorted keys", () => {
        const normalized = normalizeConnectorConfig("s", { topics: "t", "tasks.max": 2, "errors.log.enable": true });
        assert.deepEqual(normalized, { "errors.log.enable": "true", "tasks.max": "2", topics: "t" });
        assert.deepEqual(Object.keys(normalized), ["errors.log.enable", "tasks.max", "topics"]);
    });

    it("drops the name Connect adds, so a re-read config equals what was sent", () => {
        const sent = normalizeConnectorConfig("s", { "connector.class": "FileStreamSink", "tasks.max": 1 });
        const returned = { "connector.class": "FileStreamSink", "tasks.max": "1", name: "s" };
        assert.deepEqual(changedConfigKeys(sent, configFromConnect("s", returned)), []);
    });

    it("reports added, removed and changed keys", () => {
        assert.deepEqual(changedConfigKeys({ a: "1", b: "2", c: "3" }, { a: "1", b: "20", d: "4" }), ["b", "c", "d"]);
    });

    for (const row of rejectedBy("normalizeConnectorConfig", "validateConnectorConfig")) {
        it(`rejects ${row.name}`, () => {
            const { name, config } = onlyConnector(row);
            const plain = config as Record<string, string>;
            assert.throws(
                () => validateConnectorConfig(name, normalizeConnectorConfig(name, plain)),
                connectClusterError("invalid-input", row.message),
            );
        });
    }

    // "" and "a/b": the catalogue's rows below.
    for (const name of ["has space", "..", "x".repeat(201)]) {
        it(`rejects the connector name ${JSON.stringify(name).slice(0, 20)}`, () => {
            assert.throws(
                () => validateConnectorName(name),
                connectClusterError(
                    "invalid-input",
                    `connectors: name ${JSON.stringify(name)} must be 1-200 characters from a-z, A-Z, 0-9, ".", "_" ` +
                        `and "-" (it is used as a Kubernetes Secret key and in REST paths).`,
                ),
            );
        });
    }

    it("replaces secret keys with file-provider references, keys sorted", () => {
        assert.deepEqual(withSecretReferences({ topics: "t", "a.key": "1" }, ["token"], "/s/c.properties"), {
            "a.key": "1",
            token: "${file:/s/c.properties:token}",
            topics: "t",
        });
        assert.equal(
            connectorSecretsFile("/etc/kafka-connect-secrets", "db-sink"),
            "/etc/kafka-connect-secrets/db-sink.properties",
        );
    });

    for (const row of rejectedBy("validateSecretKeys")) {
        it(`rejects ${row.name}`, () => {
            const { name, config, secretConfig } = onlyConnector(row);
            const keys = Object.keys(secretConfig as Record<string, string>);
            const plain = normalizeConnectorConfig(name, config as Record<string, string>);
            assert.throws(
                () => validateSecretKeys(name, plain, keys),
                connectClusterError("invalid-input", row.message),
            );
        });
    }

    for (const row of rejectedBy("validateConnectorName")) {
        it(`rejects ${row.name}`, () => {
            assert.throws(
                () => validateConnectorName(onlyConnector(row).name),
                connectClusterError("invalid-input", row.message),
            );
        });
    }

    for (const row of rejectedBy("validateUniqueNames")) {
        it(`rejects ${row.name}`, () => {
            const names = (row.args.connectors ?? []).map((connector) => connector.name);
            assert.throws(() => validateUniqueNames(names), connectClusterError("invalid-input", row.message));
        });
    }

    it("accepts unique names", () => {
        assert.doesNotThrow(() => validateUniqueNames(["a", "b"]));
    });
});

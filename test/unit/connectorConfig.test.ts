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

    const rejectedConfigs: [string, Record<string, string>, string][] = [
        [
            "a name key",
            { "connector.class": "X", name: "s" },
            'connectors["s"].config must not contain "name": the connector\'s name is set by `name`.',
        ],
        [
            "no connector.class",
            { topics: "t" },
            'connectors["s"].config["connector.class"] is required (e.g. "FileStreamSink" or a fully qualified ' +
                "class name).",
        ],
        [
            "tasks.max 0",
            { "connector.class": "X", "tasks.max": "0" },
            'connectors["s"].config["tasks.max"] must be a whole number ≥ 1 (got "0").',
        ],
        [
            "tasks.max not a number",
            { "connector.class": "X", "tasks.max": "two" },
            'connectors["s"].config["tasks.max"] must be a whole number ≥ 1 (got "two").',
        ],
        [
            "empty topics",
            { "connector.class": "X", topics: " " },
            'connectors["s"].config["topics"] is empty: name at least one topic, or remove the key.',
        ],
    ];
    for (const [label, config, message] of rejectedConfigs) {
        it(`rejects a config with ${label}`, () => {
            assert.throws(() => validateConnectorConfig("s", config), connectClusterError("invalid-input", message));
        });
    }

    it("rejects a config value that is not a scalar", () => {
        assert.throws(
            () => normalizeConnectorConfig("s", { nested: { a: 1 } as unknown as string }),
            connectClusterError(
                "invalid-input",
                'connectors["s"].config["nested"] must be a string, number or boolean (got object).',
            ),
        );
    });

    for (const name of ["", "has space", "a/b", "..", "x".repeat(201)]) {
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

    const rejectedSecretKeys: [string, string, string][] = [
        [
            "a key also in config",
            "topics",
            'connectors["s"].secretConfig["topics"] is also set in config: give each key once, in secretConfig if ' +
                "its value is secret.",
        ],
        [
            "a key with a colon",
            "a:b",
            'connectors["s"].secretConfig["a:b"]: keys may use only a-z, A-Z, 0-9, ".", "_" and "-".',
        ],
        [
            "connector.class",
            "connector.class",
            'connectors["s"].secretConfig["connector.class"]: this key cannot be secret; put it in config.',
        ],
    ];
    for (const [label, key, message] of rejectedSecretKeys) {
        it(`rejects a secretConfig with ${label}`, () => {
            assert.throws(
                () => validateSecretKeys("s", { topics: "t" }, [key]),
                connectClusterError("invalid-input", message),
            );
        });
    }

    it("rejects duplicate names", () => {
        assert.throws(
            () => validateUniqueNames(["a", "b", "a"]),
            connectClusterError(
                "invalid-input",
                'connectors: the name "a" is used twice; connector names must be unique in a cluster.',
            ),
        );
        validateUniqueNames(["a", "b"]);
    });
});

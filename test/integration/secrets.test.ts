/**
 * Connector secrets through Kafka's FileConfigProvider on real workers: the Secret's file (rendered
 * by the component's renderer, written where a pod would have it mounted) is resolved by the workers,
 * while Connect's REST API, its config topic and its logs only ever hold the `${file:...}` reference.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import { describe, test } from "node:test";
import { connectorSecretsFile, withSecretReferences } from "../../components/provider/connectorConfig";
import { ConnectorOutputs } from "../../components/provider/connectorProvider";
import { renderConnectorSecretsData, secretDigest } from "../../components/render/workload";
import { useCluster, waitFor } from "./harness";
import { countRecords, deliveryReport, FILE_SINK, ProviderDriver, recordValues, restClient } from "./support";

const NAME = "secret-sink";
const TOKEN = "tok-5f1e0c7a-never-in-plaintext";

describe("connector secretConfig on real workers", () => {
    const cluster = useCluster({ workers: 2, groupId: "secrets", label: "secrets" });
    let created: ConnectorOutputs;

    /** What the mounted connector-secrets Secret holds, from the component's own renderer. */
    function mountSecrets(values: Record<string, string>): string {
        const data = renderConnectorSecretsData([{ name: NAME, secretConfig: values }]);
        for (const [file, text] of Object.entries(data)) {
            fs.writeFileSync(`${cluster().connectorSecretsDir}/${file}`, text);
        }
        return secretDigest(values);
    }

    test("workers resolve ${file:...} references; REST, config topic and logs never show the values", async () => {
        await cluster().broker.createTopic({ name: "secret-in", partitions: 2 });
        // `file` is secret here only to prove the reference is resolved: records land at the secret path.
        const secretPath = `${cluster().runDir}/sink-at-secret-path.txt`;
        const secretKeys = ["file", "unused.api.token"];
        const digest = mountSecrets({ file: secretPath, "unused.api.token": TOKEN });
        const config = withSecretReferences(
            { "connector.class": FILE_SINK, "tasks.max": "2", topics: "secret-in" },
            secretKeys,
            connectorSecretsFile(cluster().connectorSecretsDir, NAME),
        );
        const driver = new ProviderDriver(() => cluster().restUrl(1));
        created = await driver.create(NAME, config, digest);
        assert.equal(
            created.config["unused.api.token"],
            `\${file:${cluster().connectorSecretsDir}/${NAME}.properties:unused.api.token}`,
        );

        const values = recordValues("sec", 0, 200);
        await cluster().broker.produce("secret-in", values);
        await waitFor(
            "records at the secret path",
            () => (countRecords([secretPath], "sec").size === values.length ? true : undefined),
            { timeoutMs: 90_000 },
        );
        assert.deepEqual(deliveryReport(values, countRecords([secretPath], "sec")), {
            missing: [],
            duplicated: [],
            unexpected: [],
        });

        const client = restClient(cluster().restUrl(0));
        const seenByRest = JSON.stringify([
            await client.getConnectorConfig(NAME),
            await client.listConnectorsExpanded(),
        ]);
        assert.ok(
            !seenByRest.includes(TOKEN) && !seenByRest.includes(secretPath),
            "GET /connectors/{name}/config and ?expand=info hold only references",
        );
        const configTopic = await cluster().broker.consume(cluster().storageTopics.config.name, 10_000);
        const stored = JSON.stringify(configTopic);
        assert.ok(stored.includes("unused.api.token"), "the config topic was read");
        assert.ok(!stored.includes(TOKEN) && !stored.includes(secretPath), "the config topic holds only references");
        for (const worker of cluster().workers) {
            // Connect logs the values of settings its connectors define unless they are PASSWORD-typed,
            // so `file` may appear in the logs; a key the connector does not define is never logged.
            assert.ok(
                !fs.readFileSync(worker.logFile, "utf8").includes(TOKEN),
                `${worker.name}'s log holds no secret token`,
            );
        }
    });

    test("a new secret value restarts the connector, which then uses it", async () => {
        const rotatedPath = `${cluster().runDir}/sink-after-rotation.txt`;
        const digest = mountSecrets({ file: rotatedPath, "unused.api.token": `${TOKEN}-2` });
        const { changed } = await new ProviderDriver(() => cluster().restUrl(0)).update(
            created,
            created.config,
            digest,
        );
        assert.equal(changed, true, "a new digest is a change even though the config text is the same");
        const values = recordValues("rot", 0, 100);
        await cluster().broker.produce("secret-in", values);
        await waitFor(
            "records at the rotated path",
            () => (countRecords([rotatedPath], "rot").size === values.length ? true : undefined),
            { timeoutMs: 90_000 },
        );
        assert.deepEqual(deliveryReport(values, countRecords([rotatedPath], "rot")), {
            missing: [],
            duplicated: [],
            unexpected: [],
        });
    });
});

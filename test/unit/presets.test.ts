import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { recordRegistrations, settle, valueOf } from "./support/pulumiMocks";

const registrations = recordRegistrations();
let lib: typeof import("../../components");

describe("confluentCloud preset", () => {
    before(async () => {
        lib = await import("../../components");
    });

    it(
        "configures SASL_SSL/PLAIN with the API key for the worker and all its clients, replication " + "factor 3",
        async () => {
            const cluster = new lib.ConnectCluster("ccloud", {
                ...lib.confluentCloud({
                    bootstrapServers: "pkc-abc12.eu-west-1.aws.confluent.cloud:9092",
                    apiKey: "KEY123",
                    apiSecret: "cc-api-secret-value",
                }),
                connectors: [],
            });
            const properties = await valueOf(cluster.workerProperties);
            await settle();
            const jaas =
                'org.apache.kafka.common.security.plain.PlainLoginModule required username="KEY123" ' +
                'password="cc-api-secret-value";';
            for (const prefix of ["", "producer.", "consumer.", "admin."]) {
                assert.ok(properties.includes(`\n${prefix}security.protocol=SASL_SSL\n`), `${prefix}security.protocol`);
                assert.ok(properties.includes(`\n${prefix}sasl.mechanism=PLAIN\n`), `${prefix}sasl.mechanism`);
                assert.ok(properties.includes(`\n${prefix}sasl.jaas.config=${jaas}\n`), `${prefix}sasl.jaas.config`);
                assert.ok(
                    properties.includes(`\n${prefix}client.dns.lookup=use_all_dns_ips\n`),
                    `${prefix}client.dns.lookup`,
                );
            }
            assert.match(properties, /^config\.storage\.replication\.factor=3$/m);
            assert.equal(await pulumi.isSecret(cluster.workerProperties), true);
            const urn = await valueOf(cluster.urn);
            const children = registrations.filter((r) => r.parent === urn);
            const leaks = children.filter(
                (r) =>
                    r.type !== "kubernetes:core/v1:Secret" && JSON.stringify(r.inputs).includes("cc-api-secret-value"),
            );
            assert.deepEqual(
                leaks.map((r) => r.name),
                [],
                "the API secret appears only in the worker Secret",
            );
        },
    );
});

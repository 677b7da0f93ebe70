/**
 * TLS to Kafka on a real broker whose SSL listener requires client certificates: workers rendered with
 * `kafkaSecurity` (inline PEM CA, client certificate and key, copied to every client prefix) form their
 * cluster and move records; a worker without a client certificate is refused.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import { describe, test } from "node:test";
import { ConnectWorker, createRunDir, freePort, makeTlsMaterial, opensslAvailable, useCluster } from "./harness";
import { assertOnEveryClient, assertSinkDeliversOnce, ProviderDriver } from "./support";

const hasOpenssl = opensslAvailable();

describe(
    "workers over TLS with client certificates",
    { skip: hasOpenssl ? false : "openssl is not installed: no test certificates" },
    () => {
        const tls = hasOpenssl ? makeTlsMaterial(createRunDir("tls-certificates")) : undefined;
        const cluster = useCluster({
            workers: 2,
            groupId: "tls",
            label: "tls",
            brokerTls: tls,
            kafkaSecurity: tls && {
                protocol: "SSL",
                caCertificatePem: tls.caPem,
                clientCertificatePem: tls.clientCertificatePem,
                clientKeyPem: tls.clientKeyPem,
            },
        });

        test("the cluster forms over the SSL listener and a sink moves records", async () => {
            const properties = cluster().workers[0].properties;
            assert.equal(properties["bootstrap.servers"], cluster().broker.tlsBootstrapServers);
            assertOnEveryClient(properties, {
                "security.protocol": "SSL",
                "ssl.truststore.type": "PEM",
                "ssl.keystore.type": "PEM",
            });
            await cluster().broker.createTopic({ name: "tls-in", partitions: 2 });
            await assertSinkDeliversOnce(cluster().broker, new ProviderDriver(() => cluster().restUrl(1)), {
                name: "tls-sink",
                topic: "tls-in",
                file: `${cluster().runDir}/tls-sink.txt`,
                prefix: "tls",
            });
        });

        test("a worker without a client certificate is refused by the broker", async () => {
            const rendered = cluster().renderProperties(await freePort());
            const withoutClientCertificate = rendered
                .split("\n")
                .filter((line) => !/^([a-z]+\.)?ssl\.keystore\./.test(line))
                .join("\n");
            await assert.rejects(
                ConnectWorker.start({
                    name: "no-client-cert",
                    runDir: cluster().run,
                    properties: withoutClientCertificate,
                    startTimeoutMs: 30_000,
                }),
            );
            const log = fs.readFileSync(cluster().run.file("no-client-cert.log"), "utf8");
            assert.match(log, /SSL handshake failed|SslAuthenticationException/);
        });
    },
);

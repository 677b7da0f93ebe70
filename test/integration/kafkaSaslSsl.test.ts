/**
 * SASL over TLS on one listener (SASL_SSL), what Confluent Cloud serves, on a real broker: the broker
 * presents a certificate from the harness CA and asks for no client certificate; clients then log in
 * with SASL (PLAIN or SCRAM-SHA-512). Workers rendered with `kafkaSecurity` (SCRAM-SHA-512 and the CA
 * as inline PEM) form their cluster and a sink moves records exactly once. The confluentCloud() preset's
 * output works there too, trusting the CA through the JVM's trust store (as it trusts Confluent's public
 * CA) or through `caCertificatePem`. A worker trusting another CA, or none, fails its TLS handshake at start.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import { describe, test } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { confluentCloud } from "../../components/cluster/presets";
import { KafkaClientSecurity } from "../../components/render/workerProperties";
import {
    ConnectWorker,
    createRunDir,
    freePort,
    makeTlsMaterial,
    opensslAvailable,
    RunDir,
    useCluster,
    waitFor,
} from "./harness";
import { assertOnEveryClient, assertSinkDeliversOnce, ProviderDriver } from "./support";

const USER = { username: "connect", password: "sasl-ssl-pw-7c41e09d" };
const HANDSHAKE_FAILED = /SSL handshake failed|SslAuthenticationException/;
const hasOpenssl = opensslAvailable();

/** The preset's inputs, resolved as the engine would (its API secret is a pulumi.secret). */
async function resolvedConfluentCloud(
    bootstrapServers: string,
): Promise<{ security: KafkaClientSecurity; overrides: Record<string, string> }> {
    const preset = confluentCloud({ bootstrapServers, apiKey: USER.username, apiSecret: USER.password });
    const resolved = await new Promise<pulumi.Unwrap<typeof preset>>((resolve) => pulumi.output(preset).apply(resolve));
    assert.ok(resolved.kafkaSecurity !== undefined && resolved.workerOverrides !== undefined);
    return { security: resolved.kafkaSecurity, overrides: resolved.workerOverrides };
}

/** A PKCS#12 trust store holding only `caPem`, and the JAVA_TOOL_OPTIONS making it the JVM's default. */
function jvmTrustStoreOptions(run: RunDir, caPem: string): string {
    const caFile = run.file("jvm-trust-ca.pem");
    const storeFile = run.file("jvm-truststore.p12");
    fs.writeFileSync(caFile, caPem);
    fs.rmSync(storeFile, { force: true });
    execFileSync(
        "keytool",
        [
            "-importcert",
            "-noprompt",
            "-alias",
            "harness-ca",
            "-file",
            caFile,
            "-keystore",
            storeFile,
            "-storetype",
            "PKCS12",
            "-storepass",
            "changeit",
        ],
        {
            stdio: ["ignore", "ignore", "pipe"],
        },
    );
    return (
        `-Djavax.net.ssl.trustStore=${storeFile} -Djavax.net.ssl.trustStoreType=PKCS12 ` +
        `-Djavax.net.ssl.trustStorePassword=changeit`
    );
}

describe(
    "workers over SASL_SSL (SASL on a TLS listener, as Confluent Cloud)",
    { skip: hasOpenssl ? false : "openssl is not installed: no test certificates" },
    () => {
        const tls = hasOpenssl ? makeTlsMaterial(createRunDir("sasl-ssl-certificates")) : undefined;
        const cluster = useCluster({
            workers: 2,
            groupId: "sasl-ssl",
            label: "sasl-ssl",
            scramUsers: [USER],
            brokerSaslSsl: tls,
            kafkaSecurity: tls && {
                protocol: "SASL_SSL",
                sasl: { mechanism: "SCRAM-SHA-512", ...USER },
                caCertificatePem: tls.caPem,
            },
        });

        test(
            "the cluster forms over the SASL_SSL listener with SCRAM-SHA-512, and a sink moves records " +
                "exactly once",
            async () => {
                const properties = cluster().workers[0].properties;
                assert.equal(properties["bootstrap.servers"], cluster().broker.saslSslBootstrapServers);
                assertOnEveryClient(properties, {
                    "security.protocol": "SASL_SSL",
                    "sasl.mechanism": "SCRAM-SHA-512",
                    "ssl.truststore.type": "PEM",
                    "ssl.truststore.certificates": tls?.caPem.trim(),
                    "ssl.keystore.type": undefined, // no client certificate
                });
                await cluster().broker.createTopic({ name: "sasl-ssl-in", partitions: 2 });
                const sinkFile = `${cluster().runDir}/sasl-ssl-sink.txt`;
                await assertSinkDeliversOnce(cluster().broker, new ProviderDriver(() => cluster().restUrl(1)), {
                    name: "sasl-ssl-sink",
                    topic: "sasl-ssl-in",
                    file: sinkFile,
                    prefix: "saslssl",
                });
                for (const worker of cluster().workers) {
                    const log = fs.readFileSync(worker.logFile, "utf8");
                    assert.match(log, /security\.protocol = SASL_SSL/, `${worker.name} logged its client configs`);
                    // Hostname verification stays on (Kafka's default): the broker certificate names 127.0.0.1.
                    assert.doesNotMatch(log, /ssl\.endpoint\.identification\.algorithm = \n/);
                    assert.match(log, /ssl\.endpoint\.identification\.algorithm = https/);
                    assert.ok(!log.includes(USER.password), `${worker.name}'s log holds no password`);
                }
            },
        );

        test(
            "the confluentCloud() preset's output (SASL_SSL/PLAIN) joins the cluster, trusting the CA through the " +
                "JVM or caCertificatePem",
            async () => {
                const preset = await resolvedConfluentCloud(cluster().broker.saslSslBootstrapServers ?? "");
                assert.deepEqual(
                    Object.keys(preset.security).sort(),
                    ["protocol", "sasl"],
                    "the preset sets no CA: Confluent's is publicly trusted",
                );
                const leaderUrl = (await cluster().waitForStableGroup()).leaderUrl;
                const variants: {
                    readonly name: string;
                    readonly security: KafkaClientSecurity;
                    readonly env: Readonly<Record<string, string>>;
                }[] = [
                    // Verbatim: the JVM's default trust store holds the harness CA, as the stock one holds Confluent's.
                    {
                        name: "preset-jvm-trust",
                        security: preset.security,
                        env: { JAVA_TOOL_OPTIONS: jvmTrustStoreOptions(cluster().run, tls?.caPem ?? "") },
                    },
                    // The preset's block with a CA added (a private CA, e.g. a TLS-inspecting proxy in front of
                    // Confluent).
                    { name: "preset-with-ca", security: { ...preset.security, caCertificatePem: tls?.caPem }, env: {} },
                ];
                for (const variant of variants) {
                    const rendered = cluster().renderProperties(await freePort(), preset.overrides, variant.security);
                    assert.match(
                        rendered,
                        new RegExp(
                            String.raw`^consumer\.sasl\.jaas\.config=org\.apache\.kafka\.common\.security\.` +
                                String.raw`plain\.PlainLoginModule required `,
                            "m",
                        ),
                    );
                    assert.match(rendered, /^admin\.client\.dns\.lookup=use_all_dns_ips$/m);
                    assert.equal(
                        /^ssl\.truststore\./m.test(rendered),
                        variant.security.caCertificatePem !== undefined,
                        `${variant.name}: a PEM trust store only with a CA`,
                    );
                    const worker = await ConnectWorker.start({
                        name: variant.name,
                        runDir: cluster().run,
                        properties: rendered,
                        env: variant.env,
                    });
                    try {
                        // It joined the same group: its own assignment names the SCRAM workers' leader.
                        const joined = await waitFor(
                            `${variant.name} to join the group`,
                            () => (worker.assignment()?.leaderUrl === leaderUrl ? worker.assignment() : undefined),
                            {
                                timeoutMs: 60_000,
                            },
                        );
                        assert.equal(joined.error, 0);
                        assert.ok(
                            !fs.readFileSync(worker.logFile, "utf8").includes(USER.password),
                            `${variant.name}'s log holds no password`,
                        );
                    } finally {
                        await worker.stop();
                    }
                }
            },
        );

        test(
            "a worker trusting another CA, or only the JVM's stock trust store, fails its TLS handshake " +
                "and says so",
            async () => {
                const otherCa = makeTlsMaterial(createRunDir("sasl-ssl-other-ca")).caPem;
                const preset = await resolvedConfluentCloud(cluster().broker.saslSslBootstrapServers ?? "");
                const variants = [
                    { name: "wrong-ca", security: { ...preset.security, caCertificatePem: otherCa } },
                    { name: "no-ca", security: preset.security },
                ];
                for (const variant of variants) {
                    const rendered = cluster().renderProperties(await freePort(), preset.overrides, variant.security);
                    await assert.rejects(
                        ConnectWorker.start({
                            name: variant.name,
                            runDir: cluster().run,
                            properties: rendered,
                            startTimeoutMs: 60_000,
                        }),
                        (error: Error) => {
                            // The harness's error carries the log summary: the handshake failure is visible there.
                            assert.match(error.message, new RegExp(`${variant.name}'s REST API`));
                            assert.match(error.message, HANDSHAKE_FAILED);
                            return true;
                        },
                    );
                    const log = fs.readFileSync(cluster().run.file(`${variant.name}.log`), "utf8");
                    assert.match(log, HANDSHAKE_FAILED);
                    // Another CA with the same name fails validation; no matching CA at all fails path building.
                    assert.match(log, /SSLHandshakeException: PKIX path (validation|building) failed/);
                }
            },
        );
    },
);

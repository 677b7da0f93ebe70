import { connectClusterError } from "../../components/errors";
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { resolveClusterConfig } from "../../components/config/clusterConfig";
import { rejectedBy } from "./support/badInputCatalogue";
import { parseProperties } from "../../components/render/properties";
import {
    renderWorkerProperties,
    securityEntries,
    validateWorkerOverrides,
    WorkerSpec,
} from "../../components/render/workerProperties";

function seedWorker(overrides: Partial<WorkerSpec> = {}): WorkerSpec {
    return { ...resolveClusterConfig("local-file-sink", { bootstrapServers: "broker:9092" }).worker, ...overrides };
}

describe("renderWorkerProperties", () => {
    it("renders the seed's distributed.properties exactly", () => {
        assert.equal(
            renderWorkerProperties(seedWorker()),
            [
                "# Cluster identity: workers with the same group.id form one Connect cluster",
                "bootstrap.servers=broker:9092",
                "group.id=local-file-sink",
                "",
                "# Where the cluster keeps connector configs, source offsets and statuses",
                "config.storage.replication.factor=3",
                "config.storage.topic=_local_file_sink.config",
                "offset.storage.partitions=25",
                "offset.storage.replication.factor=3",
                "offset.storage.topic=_local_file_sink.offset",
                "status.storage.partitions=5",
                "status.storage.replication.factor=3",
                "status.storage.topic=_local_file_sink.status",
                "",
                "# Converters",
                "key.converter=org.apache.kafka.connect.json.JsonConverter",
                "key.converter.schemas.enable=false",
                "value.converter=org.apache.kafka.connect.json.JsonConverter",
                "value.converter.schemas.enable=false",
                "",
                "# REST API: peers forward requests to the leader at the advertised address",
                "listeners=http://0.0.0.0:8083",
                "rest.advertised.host.name=${env:POD_IP}",
                "rest.advertised.listener=http",
                "rest.advertised.port=8083",
                "",
                "# Plugins, rebalancing, and what connectors may override (Kafka's default, All, lets a connector " +
                    "swap the worker's credentials)",
                "connector.client.config.override.policy=None",
                "plugin.path=/opt/kafka/plugins",
                "scheduled.rebalance.max.delay.ms=15000",
                "",
                "# Failover: offsets committed every 5 s (Kafka: 60 s) so a killed worker's tasks re-deliver less; " +
                    "a dead worker's sink consumers leave their group sooner than Kafka's 45 s (workerOverrides may " +
                    "change both)",
                "consumer.heartbeat.interval.ms=3000",
                "consumer.session.timeout.ms=10000",
                "offset.flush.interval.ms=5000",
                "",
                "# Config providers: values resolved by the worker, never stored in Kafka or returned by the REST API",
                "config.providers=env,file",
                "config.providers.env.class=org.apache.kafka.common.config.provider.EnvVarConfigProvider",
                "config.providers.env.param.allowlist.pattern=^POD_IP$",
                "config.providers.file.class=org.apache.kafka.common.config.provider.FileConfigProvider",
                "config.providers.file.param.allowed.paths=/etc/kafka-connect-secrets",
                "",
            ].join("\n"),
        );
    });

    it("is deterministic whatever the order overrides are given in", () => {
        const a = renderWorkerProperties(
            seedWorker({ overrides: { "offset.flush.interval.ms": "5000", "producer.linger.ms": "5" } }),
        );
        const b = renderWorkerProperties(
            seedWorker({ overrides: { "producer.linger.ms": "5", "offset.flush.interval.ms": "5000" } }),
        );
        assert.equal(a, b);
        assert.match(a, /# Overrides \(workerOverrides\)\noffset\.flush\.interval\.ms=5000\nproducer\.linger\.ms=5\n$/);
    });

    it("writes a literal advertised host and enables only the file provider", () => {
        const props = parseProperties(
            renderWorkerProperties(
                seedWorker({ advertisedHost: { host: "10.0.0.7" }, listenerHost: "127.0.0.1", restPort: 18083 }),
            ),
        );
        assert.equal(props["rest.advertised.host.name"], "10.0.0.7");
        assert.equal(props["rest.advertised.port"], "18083");
        assert.equal(props.listeners, "http://127.0.0.1:18083");
        assert.equal(props["config.providers"], "file");
        assert.equal(props["config.providers.env.class"], undefined);
    });

    it("with restAuth, loads the basic-auth extension and writes no credential", () => {
        const text = renderWorkerProperties(seedWorker({ restAuth: true }));
        const props = parseProperties(text);
        assert.equal(
            props["rest.extension.classes"],
            "org.apache.kafka.connect.rest.basic.auth.extension.BasicAuthSecurityRestExtension",
        );
        assert.equal(props.listeners, "http://0.0.0.0:8083");
        assert.doesNotMatch(
            text,
            /password|users|jaas\.conf/i,
            "users live in the mounted Secret, the JAAS file path in KAFKA_OPTS",
        );
    });

    it(
        "with restTls, serves HTTPS from the mounted keystore, trusting only it when forwarding, under " +
            "listeners.https. only",
        () => {
            const worker = seedWorker({
                restTls: {
                    keystoreFile: "/etc/kafka-connect-rest-tls/keystore.p12",
                    passwordFile: "/etc/kafka-connect-rest-tls/keystore-password.properties",
                },
                security: { protocol: "SSL", caCertificatePem: "CA" },
            });
            const props = parseProperties(renderWorkerProperties(worker));
            const password = "${file:/etc/kafka-connect-rest-tls/keystore-password.properties:password}";
            const https = Object.fromEntries(
                Object.entries(props).filter(([key]) => key.startsWith("listeners.https.")),
            );
            assert.deepEqual(https, {
                "listeners.https.ssl.keystore.type": "PKCS12",
                "listeners.https.ssl.keystore.location": "/etc/kafka-connect-rest-tls/keystore.p12",
                "listeners.https.ssl.keystore.password": password,
                "listeners.https.ssl.truststore.type": "PKCS12",
                "listeners.https.ssl.truststore.location": "/etc/kafka-connect-rest-tls/keystore.p12",
                "listeners.https.ssl.truststore.password": password,
                "listeners.https.ssl.endpoint.identification.algorithm": "",
            });
            assert.equal(props.listeners, "https://0.0.0.0:8083");
            assert.equal(props["rest.advertised.listener"], "https");
            assert.equal(
                props["config.providers.file.param.allowed.paths"],
                "/etc/kafka-connect-secrets,/etc/kafka-connect-rest-tls",
            );
            // The Kafka client's own TLS settings stay as kafkaSecurity rendered them.
            assert.equal(props["ssl.truststore.type"], "PEM");
            assert.equal(props["ssl.truststore.certificates"], "CA");
            assert.equal(props["ssl.keystore.location"], undefined);
        },
    );

    it("omits schemas.enable for converters other than JSON", () => {
        const props = parseProperties(
            renderWorkerProperties(seedWorker({ valueConverter: "org.apache.kafka.connect.storage.StringConverter" })),
        );
        assert.equal(props["value.converter.schemas.enable"], undefined);
        assert.equal(props["key.converter.schemas.enable"], "false");
    });

    it("copies SASL and TLS settings to the worker and its producer, consumer and admin clients", () => {
        const entries = securityEntries({
            protocol: "SASL_SSL",
            sasl: { mechanism: "SCRAM-SHA-512", username: "svc", password: 'p"w' },
            caCertificatePem: "-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n",
        });
        const jaas =
            'org.apache.kafka.common.security.scram.ScramLoginModule required username="svc" password="p\\"w";';
        for (const prefix of ["", "producer.", "consumer.", "admin."]) {
            assert.equal(entries[`${prefix}security.protocol`], "SASL_SSL");
            assert.equal(entries[`${prefix}sasl.mechanism`], "SCRAM-SHA-512");
            assert.equal(entries[`${prefix}sasl.jaas.config`], jaas);
            assert.equal(entries[`${prefix}ssl.truststore.type`], "PEM");
            assert.equal(
                entries[`${prefix}ssl.truststore.certificates`],
                "-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----",
            );
        }
        assert.equal(Object.keys(entries).length, 20);
    });

    it("uses PlainLoginModule for PLAIN", () => {
        const entries = securityEntries({
            protocol: "SASL_SSL",
            sasl: { mechanism: "PLAIN", username: "key", password: "secret" },
        });
        assert.equal(
            entries["sasl.jaas.config"],
            'org.apache.kafka.common.security.plain.PlainLoginModule required username="key" password="secret";',
        );
    });

    for (const row of rejectedBy("validateWorkerOverrides")) {
        it(`rejects ${row.name}`, () => {
            const overrides = row.args.workerOverrides as Record<string, string>;
            assert.throws(() => validateWorkerOverrides(overrides), connectClusterError("invalid-input", row.message));
        });
    }

    it("accepts known worker keys and client/converter prefixes", () => {
        validateWorkerOverrides({
            "offset.flush.interval.ms": "1",
            "producer.compression.type": "zstd",
            "value.converter.schema.registry.url": "http://sr",
        });
    });
});

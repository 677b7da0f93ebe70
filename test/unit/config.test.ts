import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
    DEFAULTS,
    PlainClusterArgs,
    resolveClusterConfig,
    resolveRestCredentials,
    validateKafkaSecurity,
    validateRestAccess,
} from "../../components/config/clusterConfig";
import { ConnectClusterError } from "../../components/errors";
import { KafkaClientSecurity, renderWorkerProperties } from "../../components/render/workerProperties";

describe("resolveClusterConfig", () => {
    it("applies every default", () => {
        const config = resolveClusterConfig("local-file-sink", { bootstrapServers: "b1:9092,b2:9092" });
        assert.equal(config.namespace, "default");
        assert.equal(config.groupId, "local-file-sink");
        assert.equal(config.replicas, 2);
        assert.equal(config.image, "apache/kafka:4.3.1");
        assert.equal(config.connectDistributedPath, "/opt/kafka/bin/connect-distributed.sh");
        assert.equal(config.heapOptions, "-Xms1g -Xmx1g");
        assert.deepEqual(config.resources, {
            requests: { cpu: "500m", memory: "1536Mi" },
            limits: { memory: "1536Mi" },
        });
        assert.equal(config.restPort, 8083);
        assert.equal(config.connectorReadyTimeoutSeconds, 300);
        assert.deepEqual(config.labels, {});
        assert.deepEqual(config.restAllowedFrom, [], "a NetworkPolicy admitting only the workers");
        assert.deepEqual(
            [
                config.storageTopics.config.replicationFactor,
                config.storageTopics.offset.partitions,
                config.storageTopics.status.partitions,
            ],
            [3, 25, 5],
        );
        assert.deepEqual(config.worker, {
            bootstrapServers: "b1:9092,b2:9092",
            groupId: "local-file-sink",
            storageTopics: config.storageTopics,
            keyConverter: DEFAULTS.converter,
            valueConverter: DEFAULTS.converter,
            converterSchemasEnable: false,
            restPort: 8083,
            listenerHost: "0.0.0.0",
            advertisedHost: { fromEnv: "POD_IP" },
            pluginPath: ["/opt/kafka/plugins"],
            connectorSecretsDir: "/etc/kafka-connect-secrets",
            scheduledRebalanceMaxDelayMs: 30000,
            clientConfigOverridePolicy: "None",
            clientDefaults: { "consumer.session.timeout.ms": "10000", "consumer.heartbeat.interval.ms": "3000" },
            restAuth: false,
            restTls: undefined,
            overrides: {},
        });
        assert.equal(config.restAuthDir, undefined, "no REST basic auth by default");
        assert.equal(config.restTlsDir, undefined, "plain HTTP by default");
    });

    it("mounts the REST auth and TLS Secrets at fixed folders and points the worker at them", () => {
        const config = resolveClusterConfig("c", {
            bootstrapServers: "b:9092",
            replicas: 1,
            restAuthEnabled: true,
            restTlsEnabled: true,
        });
        assert.equal(config.restAuthDir, "/etc/kafka-connect-rest-auth");
        assert.equal(config.restTlsDir, "/etc/kafka-connect-rest-tls");
        assert.equal(config.worker.restAuth, true);
        assert.deepEqual(config.worker.restTls, {
            keystoreFile: "/etc/kafka-connect-rest-tls/keystore.p12",
            passwordFile: "/etc/kafka-connect-rest-tls/keystore-password.properties",
        });
    });

    it("lets workerOverrides replace the failover client defaults, written once", () => {
        const withOverrides = (workerOverrides: Record<string, string>) =>
            renderWorkerProperties(
                resolveClusterConfig("local-file-sink", { bootstrapServers: "broker:9092", workerOverrides }).worker,
            );
        const text = withOverrides({ "consumer.session.timeout.ms": "45000" });
        assert.deepEqual(text.match(/^consumer\.session\.timeout\.ms=.*$/gm), ["consumer.session.timeout.ms=45000"]);
        assert.match(text, /^consumer\.heartbeat\.interval\.ms=3000$/m);
        // The KIP-848 consumer protocol has no client-side session timeout: Kafka refuses both keys with it.
        assert.doesNotMatch(
            withOverrides({ "consumer.group.protocol": "CONSUMER" }),
            /session\.timeout|heartbeat\.interval/,
        );
    });

    it("takes explicit values", () => {
        const config = resolveClusterConfig("c", {
            bootstrapServers: "b:9092",
            groupId: "orders",
            namespace: "connect",
            replicas: 0,
            replicationFactor: 1,
            restPort: 18083,
            workerOverrides: { "offset.flush.interval.ms": "1000" },
        });
        assert.equal(config.groupId, "orders");
        assert.equal(config.storageTopics.offset.name, "_orders.offset");
        assert.equal(config.replicas, 0);
        assert.equal(config.worker.restPort, 18083);
        assert.deepEqual(config.worker.overrides, { "offset.flush.interval.ms": "1000" });
    });

    const rejected: [string, Partial<PlainClusterArgs>, string][] = [
        [
            "bad bootstrap servers",
            { bootstrapServers: "broker" },
            'bootstrapServers must be a comma-separated list of host:port (got "broker").',
        ],
        ["negative replicas", { replicas: -1 }, "replicas must be a whole number ≥ 0 (got -1)."],
        ["fractional replicas", { replicas: 1.5 }, "replicas must be a whole number ≥ 0 (got 1.5)."],
        ["zero replication factor", { replicationFactor: 0 }, "replicationFactor must be a whole number ≥ 1 (got 0)."],
        ["REST port out of range", { restPort: 70000 }, "restPort must be between 1 and 65535 (got 70000)."],
        [
            "group id with a space",
            { groupId: "my group" },
            'groupId "my group" must be 1-200 characters from a-z, A-Z, 0-9, ".", "_" and "-".',
        ],
        [
            "uppercase namespace",
            { namespace: "Connect" },
            'namespace "Connect" is not a valid Kubernetes namespace name (lowercase RFC 1123 label).',
        ],
        [
            "plugin path with a comma",
            { pluginPath: ["/a,/b"] },
            'pluginPath entries must not contain "," (it separates entries in plugin.path).',
        ],
        [
            "zero ready timeout",
            { connectorReadyTimeoutSeconds: 0 },
            "connectorReadyTimeoutSeconds must be a whole number ≥ 1 (got 0).",
        ],
        [
            "owned override",
            { workerOverrides: { "status.storage.topic": "x" } },
            'workerOverrides["status.storage.topic"]: this worker setting is owned by ConnectCluster ' +
                "(storageTopics.status.name); set that input instead of overriding it.",
        ],
        [
            "config topic with 2 partitions",
            { storageTopics: { config: { partitions: 2 } } },
            "storageTopics.config.partitions must be 1 (got 2): Kafka Connect requires a single-partition config " +
                "topic to keep connector configs in order.",
        ],
    ];
    for (const [label, args, message] of rejected) {
        it(`rejects ${label}`, () => {
            assert.throws(
                () => resolveClusterConfig("c", { bootstrapServers: "b:9092", ...args }),
                new ConnectClusterError(message),
            );
        });
    }
});

describe("validateKafkaSecurity", () => {
    const rejected: [string, KafkaClientSecurity, string][] = [
        [
            "SASL without credentials",
            { protocol: "SASL_SSL" },
            "kafkaSecurity.sasl is required with protocol SASL_SSL: give mechanism, username and password.",
        ],
        [
            "credentials without SASL",
            { protocol: "SSL", sasl: { mechanism: "PLAIN", username: "u", password: "p" } },
            "kafkaSecurity.sasl is set but protocol SSL does not use SASL: use SASL_SSL or SASL_PLAINTEXT.",
        ],
        [
            "a certificate without its key",
            { protocol: "SSL", clientCertificatePem: "CERT" },
            "kafkaSecurity.clientCertificatePem and clientKeyPem go together: give both or neither.",
        ],
        [
            "a CA over plaintext",
            { protocol: "PLAINTEXT", caCertificatePem: "CA" },
            "kafkaSecurity certificates are set but protocol PLAINTEXT does not use TLS: use SSL or SASL_SSL.",
        ],
        [
            "an unknown protocol",
            { protocol: "TLS" as KafkaClientSecurity["protocol"] },
            'kafkaSecurity.protocol must be one of PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL (got "TLS").',
        ],
    ];
    for (const [label, security, message] of rejected) {
        it(`rejects ${label}`, () => {
            assert.throws(() => validateKafkaSecurity(security), new ConnectClusterError(message));
        });
    }

    it("accepts SASL_SSL with PLAIN and none at all", () => {
        const security: KafkaClientSecurity = {
            protocol: "SASL_SSL",
            sasl: { mechanism: "PLAIN", username: "u", password: "p" },
        };
        assert.equal(validateKafkaSecurity(security), security);
        assert.equal(validateKafkaSecurity(undefined), undefined);
    });
});

describe("validateRestAccess", () => {
    const none = { url: false, kubernetesServiceProxy: false, credentialsOrCa: false };
    it("accepts the default proxy without restAuth, and a url with it", () => {
        validateRestAccess(none, false, false);
        validateRestAccess({ ...none, url: true, credentialsOrCa: true }, true, false);
    });
    const rejected: [string, typeof none, boolean, string][] = [
        [
            "both modes",
            { ...none, url: true, kubernetesServiceProxy: true },
            false,
            "restAccess: give either url or kubernetesServiceProxy, not both.",
        ],
        [
            "credentials without url",
            { ...none, credentialsOrCa: true },
            false,
            "restAccess.username, password and caCertificatePem apply to restAccess.url; set url too.",
        ],
        [
            "restAuth through the service proxy",
            none,
            true,
            "restAuth needs restAccess.url (an ingress, a VPN or port-forward address): the Kubernetes API server's " +
                "service proxy removes the Authorization header, so the provider's credentials would never reach the " +
                "workers.",
        ],
    ];
    for (const [label, shape, auth, message] of rejected) {
        it(`rejects ${label}`, () => {
            assert.throws(() => validateRestAccess(shape, auth, false), new ConnectClusterError(message));
        });
    }
});

describe("resolveRestCredentials", () => {
    const cases: [
        string,
        { username?: string; password?: string },
        Record<string, string> | undefined,
        { username: string; password: string } | undefined,
    ][] = [
        ["no restAuth, no credentials", {}, undefined, undefined],
        [
            "no restAuth, explicit credentials",
            { username: "u", password: "p" },
            undefined,
            { username: "u", password: "p" },
        ],
        ["the only restAuth user", {}, { ops: "s3cret" }, { username: "ops", password: "s3cret" }],
        [
            "a named user's password from restAuth",
            { username: "deployer" },
            { deployer: "d-pw", viewer: "v-pw" },
            { username: "deployer", password: "d-pw" },
        ],
        [
            "an explicit password over restAuth's",
            { username: "deployer", password: "other" },
            { deployer: "d-pw" },
            { username: "deployer", password: "other" },
        ],
    ];
    for (const [label, access, users, expected] of cases) {
        it(`takes ${label}`, () => {
            assert.deepEqual(resolveRestCredentials(access, users), expected);
        });
    }
    it("needs a user name when restAuth has several users, and names them without passwords", () => {
        assert.throws(
            () => resolveRestCredentials({}, { deployer: "d-pw", viewer: "v-pw" }),
            new ConnectClusterError(
                "restAccess.username is required: restAuth.users has 2 users (deployer, viewer); name the one the " +
                    "provider logs in as.",
            ),
        );
        assert.throws(
            () => resolveRestCredentials({ username: "ghost" }, { deployer: "d-pw" }),
            new ConnectClusterError(
                'restAccess.username "ghost" is not in restAuth.users: add it there, or give restAccess.password.',
            ),
        );
    });
});

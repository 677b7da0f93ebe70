import { connectClusterError } from "../../components/errors";
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { PlainClusterArgs, resolveChildOptions, resolveClusterConfig } from "../../components/config/clusterConfig";
import { resolveRestCredentials, validateRestAccess } from "../../components/config/restAccess";
import { validateKafkaSecurity } from "../../components/config/kafkaSecurity";
import { DEFAULTS } from "../../components/config/defaults";
import type { ConnectClusterArgs } from "../../components";
import { restAccessShape } from "../../components/cluster/restAccess";
import { rejectedBy } from "./support/badInputCatalogue";
import { KafkaClientSecurity, renderWorkerProperties } from "../../components/render/workerProperties";

/** The structural args as the component hands them to resolveClusterConfig (no Outputs in the catalogue). */
function plainArgs(args: ConnectClusterArgs): PlainClusterArgs {
    return {
        ...(args as PlainClusterArgs),
        restAuthEnabled: args.restAuth !== undefined,
        restTlsEnabled: args.restTls !== undefined,
    };
}

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
            scheduledRebalanceMaxDelayMs: 15000,
            clientConfigOverridePolicy: "None",
            exactlyOnceSourceSupport: "disabled",
            clientDefaults: {
                "offset.flush.interval.ms": "5000",
                "consumer.session.timeout.ms": "10000",
                "consumer.heartbeat.interval.ms": "3000",
            },
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
        assert.deepEqual(text.match(/^offset\.flush\.interval\.ms=.*$/gm), ["offset.flush.interval.ms=5000"]);
        const flush = withOverrides({ "offset.flush.interval.ms": "60000" });
        assert.deepEqual(flush.match(/^offset\.flush\.interval\.ms=.*$/gm), ["offset.flush.interval.ms=60000"]);
        // The KIP-848 consumer protocol has no client-side session timeout: Kafka refuses both keys with it.
        const kip848 = withOverrides({ "consumer.group.protocol": "CONSUMER" });
        assert.doesNotMatch(kip848, /session\.timeout|heartbeat\.interval/);
        assert.match(kip848, /^offset\.flush\.interval\.ms=5000$/m, "the worker's own commit interval stays");
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

    for (const row of rejectedBy("resolveClusterConfig", "storageTopicSpecs", "validateWorkerOverrides")) {
        it(`rejects ${row.name}`, () => {
            assert.throws(
                () => resolveClusterConfig(row.component ?? "c", plainArgs(row.args)),
                connectClusterError("invalid-input", row.message),
            );
        });
    }
});

describe("resolveChildOptions", () => {
    it("applies the defaults of the plain switches: secure and keeping the topics, and takes given values", () => {
        assert.deepEqual(resolveChildOptions({}), {
            skipAwait: false,
            networkPolicy: true,
            retainStorageTopicsOnDelete: true,
            adoptStorageTopics: false,
        });
        const flipped = {
            skipAwait: true,
            networkPolicy: false,
            retainStorageTopicsOnDelete: false,
            adoptStorageTopics: true,
        };
        assert.deepEqual(resolveChildOptions(flipped), flipped);
    });
});

describe("validateKafkaSecurity", () => {
    for (const row of rejectedBy("validateKafkaSecurity")) {
        it(`rejects ${row.name}`, () => {
            const security = row.args.kafkaSecurity as KafkaClientSecurity;
            assert.throws(() => validateKafkaSecurity(security), connectClusterError("invalid-input", row.message));
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
    for (const row of rejectedBy("validateRestAccess")) {
        it(`rejects ${row.name}`, () => {
            const { restAccess, restAuth, restTls } = row.args;
            assert.throws(
                () => validateRestAccess(restAccessShape(restAccess), restAuth !== undefined, restTls !== undefined),
                connectClusterError("invalid-input", row.message),
            );
        });
    }
});

describe("resolveRestCredentials", () => {
    const CASES: readonly {
        name: string;
        access: { username?: string; password?: string };
        users?: Record<string, string>;
        expected?: { username: string; password: string };
    }[] = [
        { name: "no restAuth, no credentials", access: {} },
        {
            name: "no restAuth, explicit credentials",
            access: { username: "u", password: "p" },
            expected: { username: "u", password: "p" },
        },
        {
            name: "the only restAuth user",
            access: {},
            users: { ops: "s3cret" },
            expected: { username: "ops", password: "s3cret" },
        },
        {
            name: "a named user's password from restAuth",
            access: { username: "deployer" },
            users: { deployer: "d-pw", viewer: "v-pw" },
            expected: { username: "deployer", password: "d-pw" },
        },
        {
            name: "an explicit password over restAuth's",
            access: { username: "deployer", password: "other" },
            users: { deployer: "d-pw" },
            expected: { username: "deployer", password: "other" },
        },
    ];
    for (const row of CASES) {
        it(`takes ${row.name}`, () => {
            assert.deepEqual(resolveRestCredentials(row.access, row.users), row.expected);
        });
    }
    for (const row of rejectedBy("resolveRestCredentials")) {
        it(`rejects ${row.name}`, () => {
            const access = row.args.restAccess as { username?: string; password?: string };
            const users = row.args.restAuth?.users as Record<string, string>;
            assert.throws(
                () => resolveRestCredentials(access, users),
                connectClusterError("invalid-input", row.message),
            );
        });
    }
    it("needs a user name when restAuth has several users, and names them without passwords", () => {
        assert.throws(
            () => resolveRestCredentials({}, { deployer: "d-pw", viewer: "v-pw" }),
            connectClusterError(
                "invalid-input",
                "restAccess.username is required: restAuth.users has 2 users (deployer, viewer); name the one the " +
                    "provider logs in as.",
            ),
        );
        assert.throws(
            () => resolveRestCredentials({ username: "ghost" }, { deployer: "d-pw" }),
            connectClusterError(
                "invalid-input",
                'restAccess.username "ghost" is not in restAuth.users: add it there, or give restAccess.password.',
            ),
        );
    });
});

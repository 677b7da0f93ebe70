/**
 * The component's REST security wiring (restAccess.ts and the REST parts of connectCluster.ts), with
 * mocks: where the REST users and the keystore go, what the pods and the provider get.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { recordRegistrations, Registration, settle, valueOf } from "./support/pulumiMocks";

// Mocks first, then the code under test.
const registrations = recordRegistrations();
type Module = typeof import("../../components");
let lib: Module;

const PASSWORD = "rest-pw-7c1d";
const KEYSTORE_PASSWORD = "ks-pw-41aa";
const KEYSTORE = Buffer.from("not really PKCS12").toString("base64");
const connectors = [{ name: "sink", config: { "connector.class": "FileStreamSink", topics: "t" } }];

interface Container {
    env: { name: string; value?: string }[];
    volumeMounts: { name: string; mountPath: string }[];
    readinessProbe: Record<string, unknown>;
    livenessProbe: Record<string, unknown>;
    startupProbe: Record<string, unknown>;
}
interface PodSpec {
    template: {
        metadata: { annotations: Record<string, string> };
        spec: { containers: Container[]; volumes: { name: string; secret?: { secretName: string } }[] };
    };
}

async function childrenOf(cluster: InstanceType<Module["ConnectCluster"]>): Promise<Registration[]> {
    const urn = await valueOf(cluster.urn);
    await valueOf(pulumi.output(cluster.connectorStates));
    await settle();
    return registrations.filter((r) => r.parent === urn);
}

function named(children: Registration[], name: string): Registration {
    const match = children.find((r) => r.name === name);
    assert.ok(match, `no child named ${name}`);
    return match;
}

describe("ConnectCluster REST security (mocks)", () => {
    before(async () => {
        lib = await import("../../components");
    });

    it(
        "restAuth: users in their own Secret, the JAAS flag in KAFKA_OPTS, an exec probe, and the provider " +
            "logs in as " +
            "the only user",
        async () => {
            const cluster = new lib.ConnectCluster("auth", {
                bootstrapServers: "b:9092",
                restAuth: { users: { deployer: pulumi.secret(PASSWORD) } },
                restAccess: { url: "http://connect.example:8083" },
                connectors,
            });
            const children = await childrenOf(cluster);
            const authSecret = named(children, "auth-rest-auth");
            assert.deepEqual(Object.keys(authSecret.inputs.stringData as object).sort(), [
                "jaas.conf",
                "probe-authorization",
                "users.properties",
            ]);
            assert.match(
                (authSecret.inputs.stringData as Record<string, string>)["users.properties"],
                new RegExp(`^deployer=${PASSWORD}$`, "m"),
            );
            assert.deepEqual(
                authSecret.additionalSecretOutputs,
                ["data", "stringData"],
                "the Secret's contents are stored encrypted",
            );

            const deployment = named(children, "auth-workers");
            const spec = deployment.inputs.spec as PodSpec;
            const container = spec.template.spec.containers[0];
            assert.deepEqual(
                container.env.find((e) => e.name === "KAFKA_OPTS"),
                {
                    name: "KAFKA_OPTS",
                    value: "-Djava.security.auth.login.config=/etc/kafka-connect-rest-auth/jaas.conf",
                },
            );
            assert.deepEqual(
                spec.template.spec.volumes.find((v) => v.name === "rest-auth"),
                { name: "rest-auth", secret: { secretName: "auth-rest-auth", defaultMode: 0o440 } },
            );
            assert.deepEqual(
                container.volumeMounts.find((m) => m.name === "rest-auth"),
                { name: "rest-auth", mountPath: "/etc/kafka-connect-rest-auth", readOnly: true },
            );
            for (const probe of [container.readinessProbe, container.livenessProbe, container.startupProbe]) {
                assert.deepEqual(
                    Object.keys(probe).filter((k) => ["exec", "httpGet", "tcpSocket"].includes(k)),
                    ["exec"],
                );
            }
            assert.ok(deployment.dependencies.includes(authSecret.urn), "the pods start after their users exist");
            assert.match(
                await valueOf(cluster.workerProperties),
                new RegExp(
                    String.raw`^rest\.extension\.classes=org\.apache\.kafka\.connect\.rest\.basic\.auth\.extension\.` +
                        String.raw`BasicAuthSecurityRestExtension$`,
                    "m",
                ),
            );

            const connector = named(children, "auth-sink");
            assert.deepEqual(connector.inputs.access, {
                url: {
                    baseUrl: "http://connect.example:8083",
                    headers: { Authorization: `Basic ${Buffer.from(`deployer:${PASSWORD}`).toString("base64")}` },
                },
            });
            const encoded = Buffer.from(`deployer:${PASSWORD}`).toString("base64");
            for (const plain of [deployment, named(children, "auth-worker-config"), named(children, "auth-rest")]) {
                const text = JSON.stringify(plain.inputs);
                assert.ok(!text.includes(PASSWORD) && !text.includes(encoded), `${plain.name} holds no REST password`);
            }
            assert.ok(!(await valueOf(cluster.workerProperties)).includes(PASSWORD));
        },
    );

    it("restAuth: a new password rolls the workers (they read the users file only at start)", async () => {
        const checksum = async (name: string, password: string) => {
            const cluster = new lib.ConnectCluster(name, {
                bootstrapServers: "b:9092",
                restAuth: { users: { ops: password } },
                restAccess: { url: "http://c:8083" },
            });
            return (named(await childrenOf(cluster), `${name}-workers`).inputs.spec as PodSpec).template.metadata
                .annotations["connectcluster.io/config-checksum"];
        };
        assert.notEqual(await checksum("roll-pw-a", "one"), await checksum("roll-pw-b", "two"));
    });

    it(
        "restTls: the keystore in its own Secret, an HTTPS listener, TCP probes, no surge, an https " + "serviceUrl",
        async () => {
            const cluster = new lib.ConnectCluster("tls", {
                bootstrapServers: "b:9092",
                namespace: "kc",
                replicas: 1,
                restTls: {
                    keystorePkcs12Base64: pulumi.secret(KEYSTORE),
                    keystorePassword: pulumi.secret(KEYSTORE_PASSWORD),
                },
                restAccess: { url: "https://connect.example:8083", caCertificatePem: "CA" },
                connectors,
            });
            const children = await childrenOf(cluster);
            const tlsSecret = named(children, "tls-rest-tls");
            assert.deepEqual(tlsSecret.inputs.data, { "keystore.p12": KEYSTORE });
            assert.deepEqual(tlsSecret.inputs.stringData, {
                "keystore-password.properties": `password=${KEYSTORE_PASSWORD}\n`,
            });
            const spec = named(children, "tls-workers").inputs.spec as PodSpec;
            const container = spec.template.spec.containers[0];
            assert.deepEqual(
                container.volumeMounts.find((m) => m.name === "rest-tls"),
                { name: "rest-tls", mountPath: "/etc/kafka-connect-rest-tls", readOnly: true },
            );
            // An HTTPS probe would get 400 "Invalid SNI": the kubelet calls the pod IP, which the certificate does not
            // name.
            assert.deepEqual(container.readinessProbe.tcpSocket, { port: "rest" });
            assert.deepEqual((spec as unknown as { strategy: unknown }).strategy, { type: "Recreate" });
            const properties = await valueOf(cluster.workerProperties);
            assert.match(properties, /^listeners=https:\/\/0\.0\.0\.0:8083$/m);
            assert.ok(
                !properties.includes(KEYSTORE_PASSWORD),
                "the properties hold a ${file:...} reference, not the keystore password",
            );
            assert.equal(await valueOf(cluster.serviceUrl), "https://tls.kc.svc:8083");
            assert.deepEqual(named(children, "tls-sink").inputs.access, {
                url: { baseUrl: "https://connect.example:8083", headers: {}, caCertificatePem: "CA" },
            });
            for (const plain of [named(children, "tls-workers"), named(children, "tls-worker-config")]) {
                const text = JSON.stringify(plain.inputs);
                assert.ok(
                    !text.includes(KEYSTORE_PASSWORD) && !text.includes(KEYSTORE),
                    `${plain.name} holds neither the keystore nor its password`,
                );
            }
        },
    );

    it("restAuth and restTls together: a TCP probe (bash cannot speak TLS)", async () => {
        const cluster = new lib.ConnectCluster("both", {
            bootstrapServers: "b:9092",
            replicas: 1,
            restAuth: { users: { ops: "pw" } },
            restTls: { keystorePkcs12Base64: KEYSTORE, keystorePassword: "pw" },
            restAccess: { url: "https://connect.example:8083", caCertificatePem: "CA" },
        });
        const container = (named(await childrenOf(cluster), "both-workers").inputs.spec as PodSpec).template.spec
            .containers[0];
        assert.deepEqual(container.livenessProbe.tcpSocket, { port: "rest" });
    });
});

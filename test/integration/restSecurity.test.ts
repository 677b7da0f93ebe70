/**
 * REST basic auth and the HTTPS listener on real distributed workers, started from the properties,
 * users file and JAAS file (or keystore) the component renders. Requests go through a non-leader, so
 * each test also proves the worker-to-leader forwarding: with basic auth (the caller's Authorization
 * header is forwarded) and over HTTPS (peers trusting only their shared certificate).
 */
import { basicAuthorization } from "../../components/basicAuth";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import { describe, test } from "node:test";
import { resolveRestCredentials } from "../../components/config/restAccess";
import { isConnectClusterError } from "../../components/errors";
import { authenticatedHealthProbeCommand, PROBE_AUTHORIZATION_FILE } from "../../components/render/restAuth";
import { createRunDir, httpGet, LocalCluster, makeRestKeystore, opensslAvailable, useCluster } from "./harness";
import {
    countRecords,
    deliveryReport,
    FILE_SINK,
    ProviderDriver,
    recordValues,
    restClient,
    waitForLagZero,
} from "./support";

const PASSWORD = "pw-3b9e61d0-deployer";
const USERS = { deployer: PASSWORD, viewer: "pw-viewer-5a1c" };

/** A worker that is not the leader: requests it gets for connector configs must be forwarded. */
async function nonLeaderOf(cluster: LocalCluster) {
    const group = await cluster.waitForStableGroup();
    const worker = group.members.find((member) => member !== group.leader);
    assert.ok(worker, "one worker is not the leader");
    return worker;
}

/** The headers the provider sends as ConnectCluster sets them for restAccess `{ url, username: "deployer" }` (no
 * password of its own). */
function deployerHeaders(): Record<string, string> {
    const credentials = resolveRestCredentials({ username: "deployer" }, USERS);
    assert.ok(credentials);
    return { Authorization: basicAuthorization(credentials.username, credentials.password) };
}

/**
 * Creates a FileStreamSink through `driver` (aimed at a non-leader), produces records and checks each
 * arrives once; the leader's request log shows the config PUT the non-leader forwarded to it.
 */
async function sinkMovesRecords(cluster: LocalCluster, driver: ProviderDriver, name: string): Promise<void> {
    const leader = (await cluster.waitForStableGroup()).leader;
    await cluster.broker.createTopic({ name: `${name}-in`, partitions: 2 });
    const sinkFile = `${cluster.runDir}/${name}.txt`;
    await driver.create(name, { "connector.class": FILE_SINK, "tasks.max": "2", topics: `${name}-in`, file: sinkFile });
    const values = recordValues(name, 0, 100);
    await cluster.broker.produce(
        `${name}-in`,
        values.map((value, i) => ({ key: `k${i}`, value })),
    );
    await waitForLagZero(cluster.broker, `connect-${name}`, 2);
    assert.deepEqual(deliveryReport(values, countRecords([sinkFile], name)), {
        missing: [],
        duplicated: [],
        unexpected: [],
    });
    // Connect forwards with ?forward=true and its own user agent; with basic auth it passes the caller's Authorization
    // on. A new connector is created with POST /connectors (initial_state, its declared state).
    assert.match(
        leader.currentLog(),
        new RegExp(`"POST /connectors\\?forward=true HTTP/1\\.1" 201 \\d+ "" "kafka-connect"`),
        "the leader got the create forwarded",
    );
}

describe("REST basic auth on real workers", () => {
    const cluster = useCluster({ workers: 2, groupId: "rest-auth", label: "rest-auth", restAuth: { users: USERS } });
    const responses: string[] = [];

    test("every request needs credentials, /health included; a wrong password is refused", async () => {
        const url = cluster().restUrl(0);
        for (const path of ["/", "/health", "/connectors", "/connector-plugins"]) {
            const anonymous = await httpGet(`${url}${path}`);
            assert.equal(anonymous.status, 401, `GET ${path} without credentials`);
            responses.push(anonymous.text);
        }
        const wrong = await httpGet(`${url}/connectors`, {
            headers: { Authorization: basicAuthorization("deployer", "not-the-password") },
        });
        assert.equal(wrong.status, 401);
        for (const [user, password] of Object.entries(USERS)) {
            const ok = await httpGet(`${url}/health`, {
                headers: { Authorization: basicAuthorization(user, password) },
            });
            assert.equal(ok.status, 200, `${user} logs in`);
            responses.push(ok.text);
        }
    });

    test("the pods' exec probe passes with the mounted credential and fails with a wrong one", () => {
        const probe = (authorizationFile: string) => {
            const [shell, ...args] = authenticatedHealthProbeCommand(
                Number(new URL(cluster().restUrl(1)).port),
                authorizationFile,
            );
            try {
                execFileSync(shell, args, { stdio: "ignore", timeout: 10_000 });
                return 0;
            } catch (error) {
                return (error as { status?: number }).status ?? -1;
            }
        };
        assert.equal(
            probe(`${cluster().restAuthDir}/${PROBE_AUTHORIZATION_FILE}`),
            0,
            "the rendered probe-authorization file opens /health",
        );
        const wrongFile = `${cluster().runDir}/wrong-authorization`;
        fs.writeFileSync(wrongFile, basicAuthorization("deployer", "nope"));
        assert.notEqual(probe(wrongFile), 0);
    });

    test(
        "the provider, with the credentials the component derives from restAuth, creates a connector through a " +
            "non-leader",
        async () => {
            const nonLeader = await nonLeaderOf(cluster());
            const headers = deployerHeaders();
            await sinkMovesRecords(
                cluster(),
                new ProviderDriver(() => nonLeader.restUrl, 90_000, { headers }),
                "auth-sink",
            );
            const client = restClient(nonLeader.restUrl, {}, { headers });
            responses.push(
                JSON.stringify(await client.listConnectorsExpanded()),
                JSON.stringify(await client.getConnectorConfig("auth-sink")),
            );
        },
    );

    test("without credentials the provider fails at once, saying why", async () => {
        const started = Date.now();
        await assert.rejects(
            new ProviderDriver(() => cluster().restUrl(1)).create("anonymous-sink", {
                "connector.class": FILE_SINK,
                topics: "x",
            }),
            (error: Error) => {
                assert.equal(
                    error.message,
                    `Kafka Connect rejected PUT /connector-plugins/${FILE_SINK}/config/validate for connector ` +
                        `"anonymous-sink": HTTP 401: User cannot access the resource. ` +
                        "(the workers require REST basic auth: check restAccess.username and password against " +
                        "restAuth.users)",
                );
                return true;
            },
        );
        assert.ok(Date.now() - started < 10_000, "a 401 is not retried");
    });

    test("no password appears in a worker's log or a REST response", () => {
        assert.ok(responses.length >= 8, "responses were collected");
        for (const worker of cluster().workers) {
            for (const file of [worker.logFile, worker.process.outFile]) {
                const text = fs.readFileSync(file, "utf8");
                for (const password of Object.values(USERS)) {
                    assert.ok(!text.includes(password), `${file} holds no REST password`);
                }
            }
        }
        for (const password of Object.values(USERS)) {
            assert.ok(!responses.join("\n").includes(password), "no REST response holds a password");
        }
    });
});

const hasOpenssl = opensslAvailable();

describe(
    "REST over HTTPS on real workers",
    { skip: hasOpenssl ? false : "openssl is not installed: no test certificates" },
    () => {
        const keystore = hasOpenssl ? makeRestKeystore(createRunDir("rest-tls-certificates"), "ks-pw-9d2f") : undefined;
        const cluster = useCluster({ workers: 2, groupId: "rest-tls", label: "rest-tls", restTls: keystore });

        test("workers listen and advertise https; plain http gets no answer from Connect", async (t) => {
            for (const worker of cluster().workers) {
                assert.match(worker.restUrl, /^https:\/\/127\.0\.0\.1:\d+$/);
                assert.equal(worker.advertisedUrl(), `${worker.restUrl}/`);
                const plain = await httpGet(worker.restUrl.replace("https:", "http:") + "/connectors", 10_000).then(
                    (response) => `HTTP ${response.status}`,
                    (error: Error) => error.message,
                );
                assert.notEqual(plain, "HTTP 200", `plain http to ${worker.name}: ${plain}`);
                t.diagnostic(`plain http to ${worker.name}: ${plain}`);
            }
        });

        test(
            "the provider trusting the CA creates a connector through a non-leader, forwarded to the leader " +
                "over https",
            async () => {
                const nonLeader = await nonLeaderOf(cluster());
                const driver = new ProviderDriver(() => nonLeader.restUrl, 90_000, {
                    caCertificatePem: keystore!.caPem,
                });
                await sinkMovesRecords(cluster(), driver, "tls-rest-sink");
            },
        );

        test(
            "Jetty refuses a request whose Host the certificate does not name (why the certificate must name the " +
                "advertised address)",
            async () => {
                const response = await httpGet(`${cluster().restUrl(0)}/`, {
                    caPem: keystore!.caPem,
                    headers: { Host: "connect.example" },
                    skipHostnameCheck: true,
                });
                assert.equal(response.status, 400);
                assert.match(response.text, /Invalid SNI/);
            },
        );

        test("a client without the CA fails at once, naming the certificate problem and the fix", async () => {
            const url = cluster().restUrl(0);
            await assert.rejects(restClient(url).serverInfo(), (error: Error) => {
                assert.ok(
                    isConnectClusterError(error) && error.kind === "bad-request",
                    `not retried: ${error.message}`,
                );
                assert.match(
                    error.message,
                    new RegExp(
                        `^Kafka Connect REST API at ${url.replace(/\./g, "\\.")} presented a TLS certificate this ` +
                            `client does not accept \\(GET / for the Connect cluster\\): `,
                    ),
                );
                assert.match(
                    error.message,
                    /Set restAccess\.caCertificatePem to the CA that signed the workers' certificate/,
                );
                return true;
            });
        });
    },
);

describe(
    "REST basic auth and HTTPS together on real workers",
    { skip: hasOpenssl ? false : "openssl is not installed: no test certificates" },
    () => {
        const keystore = hasOpenssl
            ? makeRestKeystore(createRunDir("rest-auth-tls-certificates"), "ks-pw-41c7")
            : undefined;
        const cluster = useCluster({
            workers: 2,
            groupId: "rest-auth-tls",
            label: "rest-auth-tls",
            restAuth: { users: USERS },
            restTls: keystore,
        });

        test(
            "over https, a request needs credentials; the provider with both creates a connector through a " +
                "non-leader",
            async () => {
                const nonLeader = await nonLeaderOf(cluster());
                assert.match(nonLeader.restUrl, /^https:/);
                const anonymous = await httpGet(`${nonLeader.restUrl}/connectors`, { caPem: keystore!.caPem });
                assert.equal(anonymous.status, 401, "TLS alone does not let a caller in");
                await sinkMovesRecords(
                    cluster(),
                    new ProviderDriver(() => nonLeader.restUrl, 90_000, {
                        headers: deployerHeaders(),
                        caCertificatePem: keystore!.caPem,
                    }),
                    "auth-tls-sink",
                );
                for (const worker of cluster().workers) {
                    assert.ok(
                        !fs.readFileSync(worker.logFile, "utf8").includes(PASSWORD),
                        `${worker.name}'s log holds no REST password`,
                    );
                }
            },
        );
    },
);

/**
 * A wrong bootstrap address at the first `up` (issue #13, item 4), on real workers of the newest and the oldest
 * supported Kafka, started from our rendered properties with `bootstrap.servers` on a closed loopback port. A worker
 * looks up the Kafka cluster's id before it opens its REST API, so it never answers anything (not even GET /health)
 * and gives up with "Failed to connect to and describe Kafka cluster"; the REST client, after its grace without any
 * answer, fails naming the bootstrap address instead of retrying to its deadline.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import { describe, test } from "node:test";
import { ConnectRestClient, ConnectRestError, DEFAULT_RETRY_POLICY } from "../../components/rest/restClient";
import { freePort, httpGet, newestKafka, OLDEST_KAFKA, useCluster } from "./harness";
import { JavaProcess } from "./harness/processes";

/** Shorter than the default 60 s to keep the test short; the default is the same code with another number. */
const GRACE_MS = 10_000;

describe("workers whose bootstrap address points nowhere", () => {
    // The broker only serves the rendering (storage topics); the workers are pointed away from it.
    const cluster = useCluster({ workers: 0, groupId: "wrong-bootstrap", label: "wrong-bootstrap" });

    test("never answer; the REST client fails after its grace naming the bootstrap address", async (t) => {
        await Promise.all([newestKafka(), OLDEST_KAFKA].map((version) => wrongBootstrap(version, t)));
    });

    async function wrongBootstrap(version: string, t: { diagnostic(message: string): void }): Promise<void> {
        const closed = await freePort();
        const restPort = await freePort();
        const rendered = cluster().renderProperties(restPort);
        assert.equal(rendered.match(/^bootstrap\.servers=/gm)?.length, 1, "one bootstrap.servers line");
        // Our rendering with another address, and Kafka's admin timeouts (60 s; 30 s per request) cut to 12 s and
        // 10 s so the worker gives up within the test: the component renders neither, so its workers wait 60 s.
        const properties =
            rendered.replace(/^bootstrap\.servers=.*$/m, `bootstrap.servers=127.0.0.1\\:${closed}`) +
            "\nrequest.timeout.ms=10000\ndefault.api.timeout.ms=12000\n";
        const name = `worker-${version}`;
        const file = cluster().run.file(`${name}.properties`);
        fs.writeFileSync(file, properties);
        const worker = new JavaProcess({
            name,
            mainClass: "org.apache.kafka.connect.cli.ConnectDistributed",
            args: [file],
            runDir: cluster().run,
            env: { POD_IP: "127.0.0.1" },
            kafkaVersion: version,
        });
        try {
            const baseUrl = `http://127.0.0.1:${restPort}`;
            const client = new ConnectRestClient(
                { baseUrl },
                { ...DEFAULT_RETRY_POLICY, neverAnsweredGraceMs: GRACE_MS },
                undefined,
                undefined,
                `127.0.0.1:${closed}`,
            );
            const started = Date.now();
            await assert.rejects(client.listConnectors(), (error: ConnectRestError) => {
                assert.equal(error.kind, "unreachable");
                assert.ok(
                    error.message.startsWith(
                        `No Kafka Connect worker has answered at ${baseUrl} for 10 s: is the Kafka cluster at ` +
                            `127.0.0.1:${closed} reachable from the workers?`,
                    ),
                    error.message,
                );
                return true;
            });
            t.diagnostic(`Kafka ${version}: the client gave up after ${Date.now() - started} ms`);
            // Connect's side: nothing listens, not even /health (KIP-1017); the worker gives up by itself.
            const health = await httpGet(`${baseUrl}/health`, { timeoutMs: 2_000 }).then(
                (response) => `HTTP ${response.status}`,
                (error: { code?: string }) => error.code,
            );
            assert.equal(health, "ECONNREFUSED");
            const exit = await worker.waitForExit();
            assert.notEqual(exit.code, 0, `Kafka ${version}: the worker exits with an error`);
            const log = fs.readFileSync(cluster().run.file(`${name}.log`), "utf8");
            assert.match(log, /ERROR Stopping due to error/);
            assert.match(log, /Failed to connect to and describe Kafka cluster/);
        } finally {
            await worker.kill();
        }
    }
});

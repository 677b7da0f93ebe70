/**
 * Kafka authentication on a real broker with a SASL listener (SCRAM and PLAIN): workers rendered with
 * `kafkaSecurity` form their cluster, and both a sink (the worker's `consumer.` copy of the settings)
 * and a source (the `producer.` copy) move records. Without the prefixed copies, the sink's task fails:
 * the mistake the renderer exists to prevent. A wrong password keeps the worker from starting. The
 * password never appears in a worker's log (Connect hides PASSWORD-typed settings).
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import { describe, test } from "node:test";
import { ConnectWorker, freePort, useCluster, waitFor } from "./harness";
import {
    assertOnEveryClient,
    assertSinkDeliversOnce,
    FILE_SINK,
    FILE_SOURCE,
    ProviderDriver,
    restClient,
} from "./support";

const USER = { username: "connect", password: "scram-pw-3b7e11aa" };

describe("workers authenticating with SASL/SCRAM-SHA-512", () => {
    const cluster = useCluster({
        workers: 2,
        groupId: "scram",
        label: "scram",
        scramUsers: [USER],
        kafkaSecurity: {
            protocol: "SASL_PLAINTEXT",
            sasl: { mechanism: "SCRAM-SHA-512", username: USER.username, password: USER.password },
        },
    });

    test("the cluster forms over the SCRAM listener, and sink and source tasks authenticate", async () => {
        const properties = cluster().workers[0].properties;
        assert.equal(properties["bootstrap.servers"], cluster().broker.saslBootstrapServers);
        assertOnEveryClient(properties, { "security.protocol": "SASL_PLAINTEXT", "sasl.mechanism": "SCRAM-SHA-512" });
        await cluster().broker.createTopics([
            { name: "scram-in", partitions: 2 },
            { name: "scram-copied", partitions: 1 },
        ]);
        const driver = new ProviderDriver(() => cluster().restUrl(0));
        const sinkFile = `${cluster().runDir}/scram-sink.txt`;
        const values = await assertSinkDeliversOnce(cluster().broker, driver, {
            name: "scram-sink",
            topic: "scram-in",
            file: sinkFile,
            prefix: "scram",
        });

        // The source task's producer authenticates with the producer.* copy: it copies the sink's file back.
        await driver.create("scram-source", {
            "connector.class": FILE_SOURCE,
            "tasks.max": "1",
            file: sinkFile,
            topic: "scram-copied",
        });
        await waitFor(
            "the source to produce every line",
            async () =>
                (await cluster().broker.consume("scram-copied", 10_000)).length >= values.length ? true : undefined,
            {
                timeoutMs: 90_000,
                intervalMs: 1_000,
            },
        );
        for (const worker of cluster().workers) {
            assert.ok(
                !fs.readFileSync(worker.logFile, "utf8").includes(USER.password),
                `${worker.name}'s log holds no password`,
            );
        }
    });

    test("without the consumer.* copy of the settings, a sink task cannot reach Kafka", async () => {
        const rendered = cluster().renderProperties(await freePort());
        const withoutConsumerCopy = rendered
            .split("\n")
            .filter((line) => !/^consumer\.(security\.protocol|sasl\.)/.test(line))
            .join("\n");
        const worker = await ConnectWorker.start({
            name: "no-consumer-copy",
            runDir: cluster().run,
            properties: withoutConsumerCopy,
        });
        try {
            await cluster().waitForStableGroup();
            await restClient(worker.restUrl).putConnectorConfig("blind-sink", {
                "connector.class": FILE_SINK,
                "tasks.max": "4",
                topics: "scram-in",
                file: "/dev/null",
            });
            // Tasks placed on that worker connect to the SASL listener in PLAINTEXT and never get a partition.
            await waitFor(
                "the worker's sink consumer to fail to talk to the SASL listener",
                () =>
                    /connector-consumer-blind-sink-\d+, groupId=connect-blind-sink\] Node -1 disconnected/.test(
                        fs.readFileSync(worker.logFile, "utf8"),
                    )
                        ? true
                        : undefined,
                { timeoutMs: 90_000, intervalMs: 1_000 },
            );
        } finally {
            await restClient(cluster().restUrl(0)).deleteConnector("blind-sink");
            await worker.stop();
        }
    });

    test(
        "SASL/PLAIN (the Confluent Cloud preset's mechanism) authenticates a worker that joins " + "the cluster",
        async () => {
            const plain = cluster().renderProperties(
                await freePort(),
                {},
                {
                    protocol: "SASL_PLAINTEXT",
                    sasl: { mechanism: "PLAIN", username: USER.username, password: USER.password },
                },
            );
            assert.match(
                plain,
                new RegExp(
                    String.raw`^consumer\.sasl\.jaas\.config=org\.apache\.kafka\.common\.security\.plain\.PlainLogin` +
                        String.raw`Module required `,
                    "m",
                ),
            );
            const worker = await ConnectWorker.start({
                name: "plain-worker",
                runDir: cluster().run,
                properties: plain,
            });
            try {
                const leaderUrl = (await cluster().waitForStableGroup()).leaderUrl;
                // It joined the same group: its own assignment names the SCRAM workers' leader.
                const joined = await waitFor(
                    "the PLAIN worker to join the group",
                    () => (worker.assignment()?.leaderUrl === leaderUrl ? worker.assignment() : undefined),
                    {
                        timeoutMs: 60_000,
                    },
                );
                assert.equal(joined.error, 0);
            } finally {
                await worker.stop();
            }
        },
    );

    test("a wrong password keeps a worker from starting, and the log says why", async () => {
        const rendered = cluster().renderProperties(await freePort());
        const wrong = rendered.replaceAll(`password="${USER.password}"`, 'password="not-the-password"');
        await assert.rejects(
            ConnectWorker.start({
                name: "wrong-password",
                runDir: cluster().run,
                properties: wrong,
                startTimeoutMs: 20_000,
            }),
            (error: Error) => {
                assert.match(error.message, /wrong-password/);
                return true;
            },
        );
        const log = fs.readFileSync(cluster().run.file("wrong-password.log"), "utf8");
        assert.match(
            log,
            /Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512/,
        );
    });
});

/**
 * Writes test/unit/fixtures/standalone.offsets: an offsets file written by a real connect-standalone (the
 * newest supported Kafka) running two FileStreamSource connectors, and beside it standalone.offsets.json: what
 * that worker's own offsets API (GET /connectors/<name>/offsets) answered for each just before it stopped, the
 * expectation the unit tests hold the reader to. Given a Kafka version (e.g. OLDEST_KAFKA, 3.9.1), that release's
 * worker writes standalone-<version>.offsets(.json) instead. Run once by hand when the fixture must change:
 *   npm run build && node dist/test/integration/makeStandaloneOffsetsFixture.js [<kafka version>]
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { repoRoot, startCluster, waitFor } from "./harness";
import { fileSourceConfig } from "./migrationSupport";
import { recordValues, restClient } from "./support";

const CONNECTORS = { "orders-source": 120, "customers-source": 45 } as const;

async function main(kafkaVersion: string | undefined): Promise<void> {
    const cluster = await startCluster({
        workers: 0,
        groupId: "fixture",
        label: "standalone-offsets-fixture",
        kafkaVersion,
    });
    const base = kafkaVersion === undefined ? "standalone" : `standalone-${kafkaVersion}`;
    try {
        const connectors = Object.entries(CONNECTORS).map(([name, lines]) => {
            // Relative to the worker's working folder (the run folder): the same path in every run.
            fs.writeFileSync(cluster.runDir + `/${name}.txt`, recordValues(name, 0, lines).join("\n") + "\n");
            return { name, ...fileSourceConfig(`${name}.txt`, name) };
        });
        await cluster.broker.createTopics(connectors.map((c) => ({ name: c.name, partitions: 1 })));
        const standalone = await cluster.startStandaloneWorker({ name: "standalone", connectors });
        const client = restClient(standalone.restUrl);
        const answers: Record<string, unknown> = {};
        for (const [name, lines] of Object.entries(CONNECTORS)) {
            await waitFor(
                `${name} to copy its ${lines} lines`,
                async () => ((await cluster.broker.consume(name, 10_000)).length === lines ? true : undefined),
                { timeoutMs: 120_000, intervalMs: 1_000 },
            );
            // Stopped, its task commits: what the offsets API answers is then what the file holds.
            await client.stopConnector(name);
            await client.waitForState(name, "STOPPED", 60_000);
            answers[name] = await client.getOffsets(name);
        }
        await standalone.stop();
        const dir = path.join(repoRoot(), "test/unit/fixtures");
        fs.mkdirSync(dir, { recursive: true });
        fs.copyFileSync(standalone.offsetsFile, path.join(dir, `${base}.offsets`));
        fs.writeFileSync(path.join(dir, `${base}.offsets.json`), JSON.stringify(answers, null, 4) + "\n");
    } finally {
        await cluster.stop();
    }
}

main(process.argv[2]).catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
});

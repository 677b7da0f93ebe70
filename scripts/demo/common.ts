/**
 * What both of the demo's platforms share: the steps' output, the seed pipeline's records, the database sink's
 * upserts, how long the first worker took to be ready, and the wait for Enter (none without a terminal).
 */
import * as readline from "node:readline";
import { Stack } from "@pulumi/pulumi/automation";
import { Broker, PostgresServer, waitFor } from "../../test/integration/harness";
import { orderRecord } from "../../test/integration/jdbcSinkSupport";
import { ENGINE_BIN } from "../../test/e2e/support";

/** A stack of the repository's own project; its config file is git-ignored and removed at the end. */
export const STACK = "local-demo" as const;
/** The stack's Kafka API key and secret (Pulumi secrets): a SASL user of the demo's broker. */
export const USER = { username: "demo-api-key", password: "demo-api-secret" };
export const NAMESPACE = "kafka-connect";
export const SEED_VALUES = Array.from({ length: 10 }, (_, i) => `hello from the seed pipeline #${i + 1}`);

/** One running platform with the stack on it: what demo.ts drives, whichever runs the workers. */
export interface DemoPlatform {
    readonly stack: Stack;
    readonly broker: Broker;
    /** The stack's state folder (`PULUMI_BACKEND_URL=file://…`) and the passphrase of its secrets. */
    readonly backend: string;
    readonly passphrase: string;
    /** Whether a worker is ready now: what "first worker ready" is timed against. */
    workerReady(): Promise<boolean>;
    /** After `up`: shows the records that reached the seed connector's sink file (waits until all have). */
    showSinkFile(values: readonly string[]): Promise<void>;
    /** After `up`: the database sink's rows, when this platform runs it. */
    readonly databaseSink: DemoDatabaseSink | undefined;
    /** The "Where to look" lines. */
    whereToLook(): Promise<string[]>;
    stop(): Promise<void>;
}

/** The database sink's table: its PostgreSQL and its topic (the table's name). */
export interface DemoDatabaseSink {
    readonly db: PostgresServer;
    readonly topic: string;
}

export function step(text: string): void {
    console.log(`\n==> ${text}`);
}

/** `pulumi up`, timing the first ready worker from the start of `up` (polled every 250 ms, until ready or 15 min). */
export async function upTimed(platform: DemoPlatform): Promise<{ outputs: Record<string, unknown> }> {
    const started = Date.now();
    // Polled until a worker is ready or the deadline, which is 2 min after `up` once it has ended.
    let deadline = started + 15 * 60_000;
    const firstReady = (async () => {
        while (Date.now() < deadline) {
            if (await platform.workerReady().catch(() => false)) {
                return Date.now() - started;
            }
            await new Promise((resolve) => setTimeout(resolve, 250));
        }
        return undefined;
    })();
    try {
        const up = await platform.stack.up({ onOutput: (text) => process.stdout.write(text) });
        const upMs = Date.now() - started;
        deadline = Date.now() + 120_000;
        const readyMs = await firstReady;
        step(
            `pulumi up took ${seconds(upMs)}; the first worker was ready ` +
                (readyMs === undefined ? "not within 2 min after it" : `${seconds(readyMs)} after it started`),
        );
        return { outputs: Object.fromEntries(Object.entries(up.outputs).map(([key, o]) => [key, o.value])) };
    } finally {
        deadline = 0;
    }
}

/** Produces the seed's 10 records to `topic`. */
export async function produceSeedRecords(broker: Broker, topic: string): Promise<void> {
    step(`Producing ${SEED_VALUES.length} records to ${topic}`);
    await broker.produce(topic, SEED_VALUES);
}

/** Upserts 10 keyed JSON records (5 keys, twice) and prints the table once every key holds its second version. */
export async function showDatabaseSink(broker: Broker, sink: DemoDatabaseSink): Promise<void> {
    const { db, topic } = sink;
    step(`Producing 10 keyed JSON records with schemas to ${topic}, 5 keys twice (upserts)`);
    const orders = [1, 2].flatMap((version) => [1, 2, 3, 4, 5].map((id) => orderRecord(id, version)));
    await broker.produce(topic, orders);
    const table = () => db.query(`SELECT id, customer, version FROM ${topic} ORDER BY id`);
    await waitFor(
        "the rows in PostgreSQL",
        () => {
            try {
                const rows = table().split("\n");
                return rows.length === 5 && rows.every((row) => row.endsWith("|2")) ? true : undefined;
            } catch {
                return undefined; // no table yet: the connector creates it with the first batch
            }
        },
        { timeoutMs: 120_000 },
    );
    step(`The table ${topic} in PostgreSQL (${db.jdbcUrl}) now holds (id|customer|version):`);
    console.log(table());
}

/** The `pulumi stack output` line of "Where to look". */
export function stackOutputLine(platform: DemoPlatform, root: string): string {
    const env = `PULUMI_BACKEND_URL=file://${platform.backend} PULUMI_CONFIG_PASSPHRASE=${platform.passphrase}`;
    return `  stack outputs:      cd ${root} && ${env} ${ENGINE_BIN}/pulumi stack output -s ${STACK}`;
}

/** Resolves when Enter is pressed; at once without a terminal (CI, a pipe). */
export function waitForEnter(): Promise<void> {
    if (!process.stdin.isTTY) {
        console.log("\n(no terminal: tearing down at once)");
        return Promise.resolve();
    }
    const rl = readline.createInterface({ input: process.stdin, output: process.stdout });
    return new Promise((resolve) =>
        rl.question("\nPress Enter to tear everything down. ", () => (rl.close(), resolve())),
    );
}

export function seconds(ms: number): string {
    return `${(ms / 1000).toFixed(1)} s`;
}

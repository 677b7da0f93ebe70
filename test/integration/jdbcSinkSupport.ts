/**
 * What the database-sink test and benchmark share: the Debezium JDBC sink plugin as `plugins` declares it (from the
 * harness's loopback Maven repository), and keyed order records in JsonConverter's schema envelope.
 */
import type { PluginArgs } from "../../components/config/plugins";
import { withSecretReferences } from "../../components/provider/connectorConfig";
import { MavenRepoServer, pinnedArtifact, PostgresServer, RecordToProduce, waitFor } from "./harness";

export const PLUGIN = "debezium-jdbc";
export const JDBC_SINK = "io.debezium.connector.jdbc.JdbcSinkConnector";

/** The Debezium JDBC sink as a user declares it, from `repo`, with the pinned SHA-512 unless another is given. */
export function pluginArgs(repo: MavenRepoServer, sha512?: string): PluginArgs[] {
    const artifact = pinnedArtifact("debezium-connector-jdbc");
    return [
        {
            name: PLUGIN,
            artifacts: [{ maven: artifact.coordinates, repository: repo.url, sha512: sha512 ?? artifact.sha512 }],
        },
    ];
}

/**
 * An upserting sink from `topic` into the table of the same name (created by the connector), keyed by the record
 * key's `id`; `connection.password` is a reference into `secretsFile` (the connector's secretConfig).
 */
export function jdbcSinkConfig(
    db: PostgresServer,
    topic: string,
    tasksMax: number,
    secretsFile: string,
): Record<string, string> {
    return withSecretReferences(
        {
            "connector.class": JDBC_SINK,
            "tasks.max": String(tasksMax),
            topics: topic,
            "connection.url": db.jdbcUrl,
            "connection.username": db.user,
            "insert.mode": "upsert",
            "primary.key.mode": "record_key",
            "primary.key.fields": "id",
            "schema.evolution": "basic",
        },
        ["connection.password"],
        secretsFile,
    );
}

/** A record key and value in JsonConverter's schema envelope (schemas.enable=true): `{ schema, payload }`. */
export function orderRecord(id: number, version: number): RecordToProduce {
    const key = {
        schema: { type: "struct", name: "orders.Key", optional: false, fields: [{ field: "id", type: "int64" }] },
        payload: { id },
    };
    const value = {
        schema: {
            type: "struct",
            name: "orders.Value",
            optional: false,
            fields: [
                { field: "id", type: "int64" },
                { field: "customer", type: "string" },
                { field: "version", type: "int32" },
            ],
        },
        payload: { id, customer: `customer-${id}-v${version}`, version },
    };
    return { key: JSON.stringify(key), value: JSON.stringify(value) };
}

/** `versions` rounds over the ids [from, from + count): each id's last record has version `versions`. */
export function orderRounds(from: number, count: number, versions: number): RecordToProduce[] {
    return Array.from({ length: versions }, (_, v) =>
        Array.from({ length: count }, (_, i) => orderRecord(from + i, v + 1)),
    ).flat();
}

/** The rows (`id|customer|version`) that orderRounds() leaves for the ids [from, from + count) at `version`. */
export function orderRows(from: number, count: number, version: number): string[] {
    return Array.from({ length: count }, (_, i) => `${from + i}|customer-${from + i}-v${version}|${version}`);
}

/** The order table's rows as `id|customer|version`, by id. */
export function orderTableRows(db: PostgresServer, table: string): string[] {
    return db.query(`SELECT id, customer, version FROM ${table} ORDER BY id`).split("\n");
}

/** Waits until the order table holds exactly `expected` (orderTableRows()); no table yet counts as not yet. */
export async function waitForOrderRows(db: PostgresServer, table: string, expected: readonly string[]): Promise<void> {
    await waitFor(
        `${expected.length} rows in PostgreSQL`,
        () => {
            try {
                return orderTableRows(db, table).join("\n") === expected.join("\n") ? true : undefined;
            } catch {
                return undefined; // the connector has not created the table yet
            }
        },
        { timeoutMs: 180_000, intervalMs: 1_000 },
    );
}

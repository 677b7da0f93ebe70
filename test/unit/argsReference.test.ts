/**
 * README's argument tables, the `Default:` in each doc comment of cluster/args.ts, and DEFAULTS say the same:
 * changing one of the three alone fails here. args.ts is read with the TypeScript compiler API, the README's
 * tables row by row.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import * as ts from "typescript";
import { DEFAULTS } from "../../components/config/defaults";

const ROOT = path.join(__dirname, "..", "..", "..");
const ARGS_FILE = path.join(ROOT, "components", "cluster", "args.ts");
const README_FILE = path.join(ROOT, "README.md");

/**
 * One README row: its argument cell, the args.ts fields it documents (`Interface.field`), and either the
 * DEFAULTS entry both must show, `required`, or neither (a phrase such as "none": README and args.ts agree).
 */
interface Row {
    readonly readme: string;
    /** Default: the one field the argument cell names, in the table's interface. */
    readonly fields?: readonly string[];
    readonly defaults?: keyof typeof DEFAULTS;
    readonly required?: true;
}

const CLUSTER_ROWS: readonly Row[] = [
    { readme: "`bootstrapServers`", required: true },
    { readme: "`groupId`" },
    { readme: "`namespace`", defaults: "namespace" },
    { readme: "`replicas`", defaults: "replicas" },
    { readme: "`replicationFactor`", defaults: "replicationFactor" },
    { readme: "`storageTopics.{config,offset,status}.name`", fields: ["StorageTopicArgs.name"] },
    {
        readme: "`storageTopics.{config,offset,status}.partitions`",
        fields: ["StorageTopicArgs.partitions"],
        defaults: "storageTopicPartitions",
    },
    { readme: "`storageTopics.*.config`", fields: ["StorageTopicArgs.config"] },
    { readme: "`retainStorageTopicsOnDelete`", defaults: "retainStorageTopicsOnDelete" },
    { readme: "`adoptStorageTopics`", defaults: "adoptStorageTopics" },
    { readme: "`kafkaSecurity`" },
    {
        readme: "`keyConverter`, `valueConverter`",
        fields: ["ConnectClusterArgs.keyConverter", "ConnectClusterArgs.valueConverter"],
        defaults: "converter",
    },
    { readme: "`converterSchemasEnable`", defaults: "converterSchemasEnable" },
    { readme: "`pluginPath`", defaults: "pluginPath" },
    { readme: "`plugins`" },
    { readme: "`pluginInstaller`", defaults: "pluginInstaller" },
    { readme: "`metrics`", defaults: "metrics" },
    { readme: "`topologySpread`", defaults: "topologySpread" },
    { readme: "`scheduledRebalanceMaxDelayMs`", defaults: "scheduledRebalanceMaxDelayMs" },
    { readme: "`workerOverrides`", defaults: "workerOverrides" },
    { readme: "`connectorClientConfigOverridePolicy`", defaults: "clientConfigOverridePolicy" },
    { readme: "`exactlyOnceSourceSupport`", defaults: "exactlyOnceSourceSupport" },
    { readme: "`autoRestart`", defaults: "autoRestart" },
    { readme: "`networkPolicy`", defaults: "networkPolicy" },
    { readme: "`restAllowedFrom`", defaults: "restAllowedFrom" },
    { readme: "`restPort`", defaults: "restPort" },
    { readme: "`restAuth`" },
    { readme: "`restTls`" },
    { readme: "`image`", defaults: "image" },
    { readme: "`connectDistributedPath`", defaults: "connectDistributedPath" },
    { readme: "`heapOptions`", defaults: "heapOptions" },
    { readme: "`resources`", defaults: "resources" },
    { readme: "`labels`", defaults: "labels" },
    { readme: "`connectors`", defaults: "connectors" },
    { readme: "`ignoreUnmanagedConnectors`", defaults: "ignoreUnmanagedConnectors" },
    { readme: "`restAccess`", defaults: "restAccess" },
    { readme: "`connectorReadyTimeoutSeconds`", defaults: "connectorReadyTimeoutSeconds" },
    { readme: "`rolloutTimeoutSeconds`", defaults: "rolloutTimeoutSeconds" },
    { readme: "`skipAwait`", defaults: "skipAwait" },
];

const CONNECTOR_ROWS: readonly Row[] = [
    { readme: "`name`", required: true },
    { readme: "`config`", required: true },
    { readme: "`secretConfig`" },
    { readme: "`previousName` + `onRename`", fields: ["ConnectorArgs.previousName", "ConnectorArgs.onRename"] },
    { readme: "`state`", defaults: "state" },
    { readme: "`deleteOffsetsOnDelete`", defaults: "deleteOffsetsOnDelete" },
    { readme: "`offsets`" },
    { readme: "`readOffsets`", defaults: "readOffsets" },
    { readme: "`adopt`", defaults: "adopt" },
];

/** DEFAULTS entries that are no argument's default: where the component mounts and binds things. */
const INTERNAL_DEFAULTS = [
    "connectorSecretsDir",
    "advertisedHostEnv",
    "listenerHost",
    "restAuthDir",
    "restTlsDir",
    "failoverClientSettings",
    "failoverWorkerSettings",
    "pluginInstallDir",
    "pluginImagesDir",
    "minRolloutTimeoutSeconds",
    // The default of `metrics.agent`, shown in README's *Metrics* (pinned beside scripts/plugins/artifacts).
    "metricsAgent",
    "autoRestartPollSeconds",
    "autoRestartBackoffUnitSeconds",
];

/** A value as TypeScript source, the way README and args.ts show it: `"default"`, `[]`, `{ cpu: "500m" }`. */
function literal(value: unknown): string {
    if (Array.isArray(value)) {
        return `[${value.map(literal).join(", ")}]`;
    }
    if (value !== null && typeof value === "object") {
        const entries = Object.entries(value).map(
            ([key, v]) => `${/^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key)}: ${literal(v)}`,
        );
        return entries.length === 0 ? "{}" : `{ ${entries.join(", ")} }`;
    }
    return JSON.stringify(value);
}

/** Without one trailing "(why ...)": README and args.ts may explain a default differently, not state another. */
function head(text: string): string {
    return text.replace(/\s*\([^()]*(\([^()]*\)[^()]*)*\)$/, "").trim();
}

interface Field {
    readonly optional: boolean;
    /** The doc comment, one line, without comment markers; "" when there is none. */
    readonly doc: string;
}

/** Every property of args.ts, by `Interface.field` (nested type literals: `Interface.field.inner`). */
function argsFields(): Map<string, Field> {
    const text = fs.readFileSync(ARGS_FILE, "utf8");
    const source = ts.createSourceFile(ARGS_FILE, text, ts.ScriptTarget.Latest, true);
    const fields = new Map<string, Field>();
    const docOf = (node: ts.Node): string => {
        const ranges = ts.getLeadingCommentRanges(text, node.getFullStart()) ?? [];
        const last = ranges.filter((r) => text.startsWith("/**", r.pos)).pop();
        if (last === undefined) {
            return "";
        }
        return text
            .slice(last.pos + 3, last.end - 2)
            .split("\n")
            .map((line) => line.replace(/^\s*\*?\s?/, "").trim())
            .join(" ")
            .trim();
    };
    const visit = (node: ts.Node, owner: string): void => {
        if (ts.isPropertySignature(node) && ts.isIdentifier(node.name)) {
            const name = `${owner}.${node.name.text}`;
            fields.set(name, { optional: node.questionToken !== undefined, doc: docOf(node) });
            ts.forEachChild(node, (child) => visit(child, name));
            return;
        }
        ts.forEachChild(node, (child) => visit(child, owner));
    };
    source.statements.filter(ts.isInterfaceDeclaration).forEach((decl) => visit(decl, decl.name.text));
    return fields;
}

/** The text after `Default: ` up to the sentence's end (a "." outside backticks and parentheses). */
function defaultClause(doc: string): string | undefined {
    const start = doc.indexOf("Default: ");
    if (start < 0) {
        return undefined;
    }
    let inCode = false;
    let depth = 0;
    for (let i = start + "Default: ".length; i < doc.length; i++) {
        const c = doc[i];
        inCode = c === "`" ? !inCode : inCode;
        depth += inCode ? 0 : c === "(" ? 1 : c === ")" ? -1 : 0;
        if (!inCode && depth === 0 && c === "." && (i + 1 === doc.length || /\s/.test(doc[i + 1]))) {
            return doc.slice(start + "Default: ".length, i);
        }
    }
    return doc.slice(start + "Default: ".length);
}

/** The rows of the README table that follows `heading`: argument cell → default cell. */
function readmeTable(heading: string): Map<string, string> {
    const lines = fs.readFileSync(README_FILE, "utf8").split("\n");
    const from = lines.indexOf(heading);
    assert.notEqual(from, -1, `README has the heading ${heading}`);
    const first = lines.findIndex((line, i) => i > from && line.startsWith("|"));
    const rows = new Map<string, string>();
    for (const line of lines.slice(first + 2)) {
        if (!line.startsWith("|")) {
            break;
        }
        const cells = line.split(/(?<!\\)\|/).map((cell) => cell.trim());
        rows.set(cells[1], cells[2]);
    }
    return rows;
}

const fields = argsFields();
const tables = [
    { heading: "### `new ConnectCluster(name, args, opts?)`", rows: CLUSTER_ROWS, args: "ConnectClusterArgs" },
    { heading: "### Connectors", rows: CONNECTOR_ROWS, args: "ConnectorArgs" },
];

for (const table of tables) {
    describe(`README's table under ${table.heading}`, () => {
        const readme = readmeTable(table.heading);

        it("has exactly the rows this test knows", () => {
            assert.deepEqual(
                [...readme.keys()],
                table.rows.map((row) => row.readme),
            );
        });

        it(`names every field of ${table.args}`, () => {
            const covered = table.rows.flatMap((row) => row.readme.match(/`[^`.]+/g)!.map((m) => m.slice(1)));
            const own = [...fields.keys()]
                .filter((name) => name.split(".").length === 2 && name.startsWith(`${table.args}.`))
                .map((name) => name.split(".")[1]);
            assert.deepEqual(
                own.filter((name) => !covered.includes(name)),
                [],
            );
        });

        for (const row of table.rows) {
            const also = row.defaults === undefined ? "" : ` and DEFAULTS.${row.defaults}`;
            it(`shows the default of ${row.readme} as args.ts does${also}`, () => {
                const cell = readme.get(row.readme);
                for (const name of row.fields ?? [`${table.args}.${row.readme.slice(1, -1)}`]) {
                    const field = fields.get(name);
                    assert.ok(field !== undefined, `args.ts has ${name}`);
                    if (row.required === true) {
                        assert.equal(cell, "— (required)");
                        assert.equal(field.optional, false, `${name} is not optional`);
                        assert.match(field.doc, /\bRequired\b/, `${name}'s comment says it is required`);
                        assert.equal(defaultClause(field.doc), undefined, `${name}'s comment states no default`);
                        continue;
                    }
                    const clause = defaultClause(field.doc);
                    assert.ok(clause !== undefined, `${name}'s comment states its default`);
                    if (row.defaults !== undefined) {
                        const expected = `\`${literal(DEFAULTS[row.defaults])}\``;
                        assert.equal(head(clause), expected, `args.ts ${name}`);
                        assert.equal(head(cell!), expected, `README ${row.readme}`);
                    } else {
                        assert.equal(head(cell!), head(clause), `README ${row.readme} and args.ts ${name}`);
                    }
                }
            });
        }
    });
}

describe("cluster/args.ts", () => {
    it("states the default of every optional field, and says every other field is required", () => {
        const undocumented = [...fields.entries()]
            .filter(([, field]) =>
                field.optional ? defaultClause(field.doc) === undefined : !/\bRequired\b/.test(field.doc),
            )
            .map(([name]) => name);
        assert.deepEqual(undocumented, []);
    });
});

describe("DEFAULTS", () => {
    it("has each entry shown as an argument's default, or listed as internal", () => {
        const shown = [...CLUSTER_ROWS, ...CONNECTOR_ROWS].map((row) => row.defaults);
        const unshown = Object.keys(DEFAULTS).filter(
            (key) => !shown.includes(key as keyof typeof DEFAULTS) && !INTERNAL_DEFAULTS.includes(key),
        );
        assert.deepEqual(unshown, []);
    });
});

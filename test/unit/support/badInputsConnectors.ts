/**
 * The bad-input catalogue's rows about connectors: names, config keys and values, secretConfig against config,
 * state, offsets and renames. Part of CATALOGUE (badInputCatalogue.ts), second.
 */
import type { ConnectClusterArgs } from "../../../components";
import type { BadInput } from "./badInputCatalogue";

const sink = { "connector.class": "FileStreamSink", topics: "t" };
const base: ConnectClusterArgs = { bootstrapServers: "broker:9092" };

export const CONNECTOR_ROWS: readonly BadInput[] = [
    {
        name: "connector name with a slash",
        rejectedBy: "validateConnectorName",
        args: { ...base, connectors: [{ name: "a/b", config: sink }] },
        message:
            'connectors: name "a/b" must be 1-200 characters from a-z, A-Z, 0-9, ".", "_" and "-" (it is used as a ' +
            "Kubernetes Secret key and in REST paths).",
    },
    {
        name: "empty connector name",
        rejectedBy: "validateConnectorName",
        args: { ...base, connectors: [{ name: "", config: sink }] },
        message:
            'connectors: name "" must be 1-200 characters from a-z, A-Z, 0-9, ".", "_" and "-" (it is used as a ' +
            "Kubernetes Secret key and in REST paths).",
    },
    {
        name: "duplicate connector names",
        rejectedBy: "validateUniqueNames",
        args: {
            ...base,
            connectors: [
                { name: "s", config: sink },
                { name: "s", config: sink },
            ],
        },
        message: 'connectors: the name "s" is used twice; connector names must be unique in a cluster.',
    },
    {
        name: "name inside the config",
        rejectedBy: "validateConnectorConfig",
        args: { ...base, connectors: [{ name: "s", config: { ...sink, name: "s" } }] },
        message: 'connectors["s"].config must not contain "name": the connector\'s name is set by `name`.',
    },
    {
        name: "no connector.class",
        rejectedBy: "validateConnectorConfig",
        args: { ...base, connectors: [{ name: "s", config: { topics: "t" } }] },
        message:
            'connectors["s"].config["connector.class"] is required (e.g. "FileStreamSink" or a fully qualified ' +
            "class name).",
    },
    {
        name: "tasks.max 0",
        rejectedBy: "validateConnectorConfig",
        args: { ...base, connectors: [{ name: "s", config: { ...sink, "tasks.max": 0 } }] },
        message: 'connectors["s"].config["tasks.max"] must be a whole number ≥ 1 (got "0").',
    },
    {
        name: "tasks.max not a number",
        rejectedBy: "validateConnectorConfig",
        args: { ...base, connectors: [{ name: "s", config: { ...sink, "tasks.max": "two" } }] },
        message: 'connectors["s"].config["tasks.max"] must be a whole number ≥ 1 (got "two").',
    },
    {
        name: "empty topics",
        rejectedBy: "validateConnectorConfig",
        args: { ...base, connectors: [{ name: "s", config: { ...sink, topics: "" } }] },
        message: 'connectors["s"].config["topics"] is empty: name at least one topic, or remove the key.',
    },
    {
        name: "blank topics",
        rejectedBy: "validateConnectorConfig",
        args: { ...base, connectors: [{ name: "s", config: { ...sink, topics: " " } }] },
        message: 'connectors["s"].config["topics"] is empty: name at least one topic, or remove the key.',
    },
    {
        name: "nested config value",
        rejectedBy: "normalizeConnectorConfig",
        args: { ...base, connectors: [{ name: "s", config: { ...sink, extra: { a: 1 } as unknown as string } }] },
        message: 'connectors["s"].config["extra"] must be a string, number or boolean (got object).',
    },
    {
        name: "secretConfig key also in config",
        rejectedBy: "validateSecretKeys",
        args: { ...base, connectors: [{ name: "s", config: sink, secretConfig: { topics: "x" } }] },
        message:
            'connectors["s"].secretConfig["topics"] is also set in config: give each key once, in secretConfig if ' +
            "its " +
            "value is secret.",
    },
    {
        name: "connector.class as a secret",
        rejectedBy: "validateSecretKeys",
        args: { ...base, connectors: [{ name: "s", config: sink, secretConfig: { "connector.class": "x" } }] },
        message: 'connectors["s"].secretConfig["connector.class"]: this key cannot be secret; put it in config.',
    },
    {
        name: "rename without a choice",
        rejectedBy: "prepareConnectors",
        args: { ...base, connectors: [{ name: "s2", previousName: "s", config: sink }] },
        message:
            'connectors["s2"].onRename is required with previousName: "copy-offsets" to continue where "s" stopped, ' +
            "or " +
            '"reset" to start afresh.',
    },
    {
        name: "a state Connect has no call for",
        rejectedBy: "prepareConnectors",
        args: { ...base, connectors: [{ name: "s", state: "PAUSED" as "paused", config: sink }] },
        message: 'connectors["s"].state is "PAUSED": use "running", "paused" or "stopped".',
    },
    {
        name: "offsets with an empty set",
        rejectedBy: "prepareConnectors",
        args: { ...base, connectors: [{ name: "s", offsets: { set: [] }, config: sink }] },
        message:
            'connectors["s"].offsets.set must be a non-empty array of { partition, offset }; to delete every ' +
            "offset use reset.",
    },
    {
        name: "offsets with onRename copy-offsets",
        rejectedBy: "prepareConnectors",
        args: {
            ...base,
            connectors: [
                { name: "s", previousName: "r", onRename: "copy-offsets", offsets: { reset: true }, config: sink },
            ],
        },
        message:
            'connectors["s"].offsets cannot be declared with onRename "copy-offsets", which sets the offsets ' +
            "itself: apply the rename first, then declare offsets.",
    },
    {
        name: "onRename without previousName",
        rejectedBy: "prepareConnectors",
        args: { ...base, connectors: [{ name: "s", onRename: "reset", config: sink }] },
        message:
            'connectors["s"].onRename is set without previousName: give the connector\'s old name, or remove onRename.',
    },
    {
        name: "previousName equal to name",
        rejectedBy: "prepareConnectors",
        args: { ...base, connectors: [{ name: "s", previousName: "s", onRename: "reset", config: sink }] },
        message: 'connectors["s"].previousName is the same as name: remove previousName once the rename is done.',
    },
];

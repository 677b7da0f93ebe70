/**
 * The bad-input catalogue (also in the README's troubleshooting section), one row per bad input: what is wrong,
 * the pure function that rejects it, the component name (default "c"), the args and the exact error.
 * badInputs.test.ts checks that the component rejects every row before declaring anything; each module's own
 * test checks that its function rejects the rows it names, with the same message. Inputs only Connect or Kafka
 * can judge are in test/integration/pipeline.test.ts.
 */
import type { ConnectClusterArgs } from "../../../components";
import { CLUSTER_ROWS } from "./badInputsCluster";
import { CONNECTOR_ROWS } from "./badInputsConnectors";
import { SECURITY_ROWS } from "./badInputsSecurity";

export type RejectedBy =
    | "ConnectCluster"
    | "resolveClusterConfig"
    | "storageTopicSpecs"
    | "validateWorkerOverrides"
    | "validateConnectorName"
    | "validateUniqueNames"
    | "validateConnectorConfig"
    | "normalizeConnectorConfig"
    | "validateSecretKeys"
    | "prepareConnectors"
    | "validateRestAccess"
    | "validateRestAuthUsers"
    | "resolveRestCredentials"
    | "validateKafkaSecurity"
    | "validateConnectorsExactlyOnce";

export interface BadInput {
    /** What is wrong. */
    readonly name: string;
    /** The pure function that rejects it (the component calls it before declaring anything). */
    readonly rejectedBy: RejectedBy;
    /** The component's name; "c" when not given. */
    readonly component?: string;
    readonly args: ConnectClusterArgs;
    /** The exact error message. */
    readonly message: string;
}

/** Every row: the cluster's, then the connectors', then security's (the order they had in one list). */
export const CATALOGUE: readonly BadInput[] = [...CLUSTER_ROWS, ...CONNECTOR_ROWS, ...SECURITY_ROWS];

/** The rows a function rejects. */
export function rejectedBy(...functions: RejectedBy[]): BadInput[] {
    return CATALOGUE.filter((row) => functions.includes(row.rejectedBy));
}

/** The only connector of a row's args. */
export function onlyConnector(row: BadInput) {
    const connectors = row.args.connectors ?? [];
    if (connectors.length !== 1) {
        throw new Error(`${row.name}: expected one connector, got ${connectors.length}`);
    }
    return connectors[0];
}

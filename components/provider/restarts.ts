/**
 * Restarts of failed connectors and tasks by `up`: `check` finds them in the one listing of every connector that
 * the snapshot cache keeps per target (O(1) REST calls per stack, not per connector; one failed listing is not
 * asked again by the next connector's check) and names them in the inputs, so the preview shows what will be
 * restarted; `update` restarts exactly the failed ones
 * (KIP-745: `POST /connectors/<name>/restart?includeTasks=true&onlyFailed=true`) and fails with the task's trace
 * when they FAILED again.
 */
import { ConnectorInputs, ConnectorOutputs } from "./connectorTypes";
import { clientFor, declaredState, withStatus } from "./connectorOperations";
import { failedUnits, shortTrace } from "./failures";
import { invalidateSnapshot, snapshotOf } from "./snapshotCache";
import { connectClusterError } from "../errors";
import { ConnectorStatus, ConnectRestClient } from "../rest/restClient";
import { PROVIDER_DEFAULTS } from "../rest/providerDefaults";

/**
 * The units `up` should restart: the FAILED connector and tasks of an existing connector declared running. A
 * connector declared paused or stopped is never restarted into running; one Connect does not know is `create`'s.
 */
export async function failedToRestart(client: ConnectRestClient, inputs: ConnectorInputs): Promise<string[]> {
    if (declaredState(inputs) !== "running") {
        return [];
    }
    // One unreachable target costs one wait per provider process, not one per connector.
    const snapshot = await snapshotOf(client, inputs.name, { reuseFailure: true });
    return failedUnits(snapshot?.status);
}

/** The REST call that restarts only what FAILED. */
export function restartPath(name: string): string {
    return `POST /connectors/${name}/restart?includeTasks=true&onlyFailed=true`;
}

/**
 * Restarts the connector's failed units and waits until the connector and every task have been RUNNING for
 * `restartStableMs`. Fails with the (redacted) trace when one FAILED again: seen FAILED after it had left
 * FAILED, or still FAILED `restartSettleMs` after the restart.
 */
export async function restartFailed(
    inputs: ConnectorInputs,
    failed: readonly string[],
    settleMs: number = PROVIDER_DEFAULTS.restartSettleMs,
): Promise<ConnectorOutputs> {
    const client = clientFor(inputs);
    invalidateSnapshot(client);
    await client.restartConnector(inputs.name, { includeTasks: true, onlyFailed: true });
    const restartedAt = Date.now();
    const giveUpAt = restartedAt + inputs.readyTimeoutMs;
    const recovered = new Set<string>();
    let runningSince: number | undefined;
    for (;;) {
        const status = await client.getConnectorStatus(inputs.name);
        const failedNow = failedUnits(status);
        for (const unit of failed) {
            if (status !== undefined && !failedNow.includes(unit)) {
                recovered.add(unit);
            }
        }
        const now = Date.now();
        const again = failedNow.filter((unit) => recovered.has(unit) || now - restartedAt >= settleMs);
        if (again.length > 0) {
            throw failedAgain(inputs, failed, again, status!);
        }
        const running =
            status !== undefined &&
            status.connector.state === "RUNNING" &&
            status.tasks.every((task) => task.state === "RUNNING") &&
            failed.every((unit) => recovered.has(unit));
        runningSince = running ? (runningSince ?? now) : undefined;
        if (running && now - runningSince! >= PROVIDER_DEFAULTS.restartStableMs) {
            return withStatus(inputs, status);
        }
        if (now >= giveUpAt) {
            throw connectClusterError(
                "timeout",
                `connector "${inputs.name}": after restarting its failed ${failed.join(", ")} (` +
                    `${restartPath(inputs.name)}), it was not RUNNING with all tasks RUNNING within ` +
                    `${inputs.readyTimeoutMs} ms; last states: ${describe(status)}.`,
                { field: `connectors["${inputs.name}"]` },
            );
        }
        await sleep(PROVIDER_DEFAULTS.statusPollMs);
    }
}

function failedAgain(
    inputs: ConnectorInputs,
    restarted: readonly string[],
    again: readonly string[],
    status: ConnectorStatus,
): Error {
    const first = again[0];
    const unit = first === "connector" ? status.connector : status.tasks.find((task) => `task ${task.id}` === first)!;
    const trace = unit.trace === undefined ? "(no trace)" : shortTrace(unit.trace, inputs.secretRedaction);
    return connectClusterError(
        "failed",
        `connector "${inputs.name}": restarting its failed ${restarted.join(", ")} (${restartPath(inputs.name)}) ` +
            `did not help: ${again.join(", ")} FAILED again; ${first} on worker ${unit.worker_id}:\n${trace}\n` +
            `Fix the cause the trace names, then run \`pulumi up\` again (it restarts failed tasks).`,
        { field: `connectors["${inputs.name}"]` },
    );
}

function describe(status: ConnectorStatus | undefined): string {
    if (status === undefined) {
        return "connector not found";
    }
    return [`connector ${status.connector.state}`, ...status.tasks.map((t) => `task ${t.id} ${t.state}`)].join(", ");
}

function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
}

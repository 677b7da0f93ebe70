/**
 * The one client of the Kafka Connect REST API: its operations, typed results and waits for a state, each
 * request made by restCall.ts (timeouts, retries with backoff and a deadline, typed errors whose messages name
 * the connector and the cause). No Pulumi import: the
 * dynamic provider serializes this module, and the test harness and benchmarks use it directly.
 * Credentials live only in `RestTarget`; they never appear in an error message.
 */
import { connectClusterError, isConnectClusterError } from "../errors";
import {
    ConfigValidation,
    ConnectorInfo,
    ConnectorOffset,
    ConnectorStatus,
    RestCredentials,
    DEFAULT_RETRY_POLICY,
    RestTarget,
    RetryPolicy,
    TaskState,
    ValidateResponse,
} from "./restTypes";
import { PROVIDER_DEFAULTS } from "./providerDefaults";
import { CallRequest, callWithRetries, sleep } from "./restCall";
import { HttpResponse } from "./restErrors";
import type { RestObserver } from "./restObserver";

export * from "./restTypes";
export type { RestObserver, RetryEvent } from "./restObserver";

export class ConnectRestClient {
    /**
     * `credentials`, when given, is asked before every attempt (it caches what it can) and merged over `target`;
     * `observer` hears of retries and of the states seen while waiting.
     */
    constructor(
        readonly target: RestTarget,
        readonly retry: RetryPolicy = DEFAULT_RETRY_POLICY,
        private readonly credentials?: () => Promise<RestCredentials>,
        private readonly observer?: RestObserver,
        /** Named in the message of workers that never answer (neverAnswered.ts); absent: "the Kafka cluster". */
        private readonly kafkaBootstrap?: string,
    ) {}

    /** `GET /`: the worker's version, commit and Kafka cluster id. */
    async serverInfo(): Promise<{ version: string; commit: string; kafka_cluster_id: string }> {
        return JSON.parse((await this.call("GET", "/", undefined, "the Connect cluster")).body);
    }

    async listConnectors(): Promise<string[]> {
        return JSON.parse((await this.call("GET", "/connectors", undefined, "the Connect cluster")).body);
    }

    /** Every connector's info and status in one call (`?expand=info&expand=status`). */
    async listConnectorsExpanded(): Promise<Record<string, { info: ConnectorInfo; status: ConnectorStatus }>> {
        return JSON.parse(
            (await this.call("GET", "/connectors?expand=info&expand=status", undefined, "the Connect cluster")).body,
        );
    }

    /** The stored config (with the `name` Connect adds), or undefined when the connector does not exist. */
    async getConnectorConfig(name: string): Promise<Record<string, string> | undefined> {
        return this.parseUnlessMissing(
            this.call("GET", `/connectors/${encodeURIComponent(name)}/config`, undefined, connectorLabel(name)),
        );
    }

    /** The connector's and its tasks' states, or undefined when the connector does not exist. */
    async getConnectorStatus(name: string): Promise<ConnectorStatus | undefined> {
        return this.parseUnlessMissing(
            this.call("GET", `/connectors/${encodeURIComponent(name)}/status`, undefined, connectorLabel(name)),
        );
    }

    /** Creates or replaces the connector's config (idempotent). Returns whether it was created. */
    async putConnectorConfig(
        name: string,
        config: Record<string, string>,
    ): Promise<{ created: boolean; info: ConnectorInfo }> {
        const response = await this.call(
            "PUT",
            `/connectors/${encodeURIComponent(name)}/config`,
            config,
            connectorLabel(name),
        );
        return { created: response.status === 201, info: JSON.parse(response.body) };
    }

    /**
     * Deletes the connector. Returns false when it did not exist; a 404 after an attempt whose answer was lost
     * means that attempt deleted it.
     */
    async deleteConnector(name: string): Promise<boolean> {
        let mayHaveDeleted = false;
        try {
            await this.call("DELETE", `/connectors/${encodeURIComponent(name)}`, undefined, connectorLabel(name), {
                onUncertain: () => (mayHaveDeleted = true),
            });
            return true;
        } catch (error) {
            if (isConnectClusterError(error) && error.kind === "not-found") {
                return mayHaveDeleted;
            }
            throw error;
        }
    }

    /**
     * Asks Connect whether a config is valid for its `connector.class`, without applying it
     * (`PUT /connector-plugins/{class}/config/validate`). An unknown class is a 4xx error.
     */
    async validateConfig(name: string, config: Record<string, string>): Promise<ConfigValidation> {
        const connectorClass = config["connector.class"] ?? "";
        const path = `/connector-plugins/${encodeURIComponent(connectorClass)}/config/validate`;
        const response = JSON.parse(
            (await this.call("PUT", path, { ...config, name }, connectorLabel(name))).body,
        ) as ValidateResponse;
        const errors: Record<string, string[]> = {};
        for (const entry of response.configs) {
            if (entry.value.errors.length > 0) {
                errors[entry.value.name] = [...entry.value.errors];
            }
        }
        const passwordKeys = response.configs
            .filter((entry) => entry.definition.type === "PASSWORD")
            .map((entry) => entry.definition.name);
        return { errorCount: response.error_count, errors, passwordKeys };
    }

    /** Creates a connector in the given state (`initial_state`, Kafka 3.7+); STOPPED runs no task yet. */
    async createConnector(
        name: string,
        config: Record<string, string>,
        initialState: "RUNNING" | "STOPPED" | "PAUSED",
    ): Promise<void> {
        // A create whose answer was lost may have worked: if the connector now exists with this config, it did.
        const created = async (remainingMs: number) => {
            // Asked within what is left of the create's deadline.
            const stored = await new ConnectRestClient(
                this.target,
                { ...this.retry, deadlineMs: Math.max(1, remainingMs) },
                this.credentials,
                this.observer,
            ).getConnectorConfig(name);
            if (stored === undefined) {
                return false;
            }
            const { name: storedName, ...storedConfig } = stored;
            return storedName === name && JSON.stringify(sorted(storedConfig)) === JSON.stringify(sorted(config));
        };
        await this.call("POST", "/connectors", { name, config, initial_state: initialState }, connectorLabel(name), {
            resend: created,
        });
    }

    /** Stops the connector: its tasks shut down and commit their offsets; the config stays. */
    async stopConnector(name: string): Promise<void> {
        await this.call("PUT", `/connectors/${encodeURIComponent(name)}/stop`, undefined, connectorLabel(name));
    }

    /** Pauses the connector and its tasks (`PUT /pause`): they stay assigned but process nothing. */
    async pauseConnector(name: string): Promise<void> {
        await this.call("PUT", `/connectors/${encodeURIComponent(name)}/pause`, undefined, connectorLabel(name));
    }

    /** Resumes a PAUSED or STOPPED connector (`PUT /resume`). */
    async resumeConnector(name: string): Promise<void> {
        await this.call("PUT", `/connectors/${encodeURIComponent(name)}/resume`, undefined, connectorLabel(name));
    }

    /** The connector's committed offsets (Kafka 3.6+). */
    async getOffsets(name: string): Promise<ConnectorOffset[]> {
        const body = (
            await this.call("GET", `/connectors/${encodeURIComponent(name)}/offsets`, undefined, connectorLabel(name))
        ).body;
        return (JSON.parse(body) as { offsets: ConnectorOffset[] }).offsets;
    }

    /** Writes offsets for a STOPPED connector. */
    async alterOffsets(name: string, offsets: readonly ConnectorOffset[]): Promise<void> {
        await this.call("PATCH", `/connectors/${encodeURIComponent(name)}/offsets`, { offsets }, connectorLabel(name));
    }

    /** Deletes every offset of a STOPPED connector (a sink's consumer group offsets, a source's stored positions). */
    async resetOffsets(name: string): Promise<void> {
        await this.call("DELETE", `/connectors/${encodeURIComponent(name)}/offsets`, undefined, connectorLabel(name));
    }

    /**
     * Polls until the connector reports `state`: STOPPED with no task left, PAUSED with every task PAUSED too.
     * Returns the status that showed it.
     */
    async waitForState(name: string, state: TaskState, timeoutMs: number): Promise<ConnectorStatus> {
        const giveUpAt = Date.now() + timeoutMs;
        for (;;) {
            const status = await this.getConnectorStatus(name);
            this.observer?.waiting?.(name, state, status, timeoutMs - (giveUpAt - Date.now()));
            if (
                status?.connector.state === state &&
                (state !== "STOPPED" || status.tasks.length === 0) &&
                (state !== "PAUSED" || status.tasks.every((task) => task.state === "PAUSED"))
            ) {
                return status;
            }
            if (Date.now() >= giveUpAt) {
                throw connectClusterError(
                    "timeout",
                    `${connectorLabel(name)} did not reach ${state} within ${timeoutMs} ms; last status: ` +
                        `${describeStatus(status)}.`,
                );
            }
            await sleep(PROVIDER_DEFAULTS.statePollMs);
        }
    }

    /** Restarts the connector and (by default) all its tasks. */
    async restartConnector(
        name: string,
        options: { includeTasks?: boolean; onlyFailed?: boolean } = {},
    ): Promise<void> {
        const query = `includeTasks=${options.includeTasks ?? true}&onlyFailed=${options.onlyFailed ?? false}`;
        await this.call(
            "POST",
            `/connectors/${encodeURIComponent(name)}/restart?${query}`,
            undefined,
            connectorLabel(name),
        );
    }

    /**
     * Polls the status until the connector and all its tasks are RUNNING, and have stayed so for
     * `stableForMs`: right after an update the status still shows the previous tasks, so one RUNNING
     * answer proves little. A RUNNING connector with no task is RUNNING (it may have nothing to do, e.g. no
     * table matches yet), but a new connector also shows no task for a moment before its tasks start, so
     * that status must hold for `noTasksStableForMs` too. Fails at once with the trace when one of them
     * FAILED, and with the last state seen after `timeoutMs`.
     */
    async waitUntilRunning(
        name: string,
        options: { timeoutMs: number; pollMs?: number; stableForMs?: number; noTasksStableForMs?: number },
    ): Promise<ConnectorStatus> {
        const giveUpAt = Date.now() + options.timeoutMs;
        let last: ConnectorStatus | undefined;
        let runningSince: number | undefined;
        let noTasksSince: number | undefined;
        for (;;) {
            last = await this.getConnectorStatus(name);
            this.observer?.waiting?.(name, "RUNNING", last, options.timeoutMs - (giveUpAt - Date.now()));
            if (last !== undefined) {
                const failed = [last.connector, ...last.tasks].find((unit) => unit.state === "FAILED");
                if (failed !== undefined) {
                    const which = "id" in failed ? `task ${failed.id}` : "the connector";
                    throw connectClusterError(
                        "failed",
                        `${connectorLabel(name)}: ${which} FAILED on worker ` +
                            `${failed.worker_id}:\n${failed.trace ?? "(no trace)"}`,
                    );
                }
            }
            const running =
                last !== undefined &&
                last.connector.state === "RUNNING" &&
                last.tasks.every((task) => task.state === "RUNNING");
            const now = Date.now();
            runningSince = running ? (runningSince ?? now) : undefined;
            noTasksSince = running && last!.tasks.length === 0 ? (noTasksSince ?? now) : undefined;
            // Measured on real workers (2 cores under load): a new sink's tasks appeared up to 2.8 s after
            // the connector was RUNNING.
            const settled = noTasksSince === undefined || now - noTasksSince >= (options.noTasksStableForMs ?? 5_000);
            if (running && settled && now - runningSince! >= (options.stableForMs ?? 0)) {
                return last!;
            }
            if (Date.now() >= giveUpAt) {
                throw connectClusterError(
                    "timeout",
                    `${connectorLabel(name)} was not RUNNING with all tasks RUNNING after ${options.timeoutMs} ms; ` +
                        `last status: ${describeStatus(last)}.`,
                );
            }
            await sleep(options.pollMs ?? PROVIDER_DEFAULTS.statusPollMs);
        }
    }

    private async parseUnlessMissing<T>(request: Promise<HttpResponse>): Promise<T | undefined> {
        try {
            return JSON.parse((await request).body) as T;
        } catch (error) {
            if (isConnectClusterError(error) && error.kind === "not-found") {
                return undefined;
            }
            throw error;
        }
    }

    /** One logical call with retries (restCall.ts): the client's target, policy, credentials and observer. */
    private call(...request: CallRequest): Promise<HttpResponse> {
        const { target, retry, credentials, observer, kafkaBootstrap } = this;
        return callWithRetries({ target, retry, credentials, observer, kafkaBootstrap }, ...request);
    }
}

/** The config with its keys in order, to compare two configs as JSON. */
function sorted(config: Record<string, string>): Record<string, string> {
    return Object.fromEntries(Object.entries(config).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function connectorLabel(name: string): string {
    return `connector "${name}"`;
}

function describeStatus(status: ConnectorStatus | undefined): string {
    if (status === undefined) {
        return "not found";
    }
    const tasks = status.tasks.map((task) => `task ${task.id} ${task.state}`).join(", ");
    return `connector ${status.connector.state}${tasks ? `, ${tasks}` : ", no tasks yet"}`;
}

/**
 * The one place that talks HTTP to the Kafka Connect REST API: timeouts, retries with backoff and a
 * deadline, typed errors whose messages name the connector and the cause. No Pulumi import: the
 * dynamic provider serializes this module, and the test harness and benchmarks use it directly.
 * Credentials live only in `RestTarget`; they never appear in an error message.
 */
import * as http from "http";
import * as https from "https";
import {
    ConfigValidation,
    ConnectorInfo,
    ConnectorOffset,
    ConnectorStatus,
    ConnectRestError,
    connectRestError,
    DEFAULT_RETRY_POLICY,
    isConnectRestError,
    RestTarget,
    RetryPolicy,
    TaskState,
    ValidateResponse,
} from "./restTypes";

import { HttpResponse, httpError, networkError } from "./restErrors";
import { PROVIDER_DEFAULTS } from "./providerDefaults";

export * from "./restTypes";

export class ConnectRestClient {
    constructor(
        readonly target: RestTarget,
        readonly retry: RetryPolicy = DEFAULT_RETRY_POLICY,
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

    /** Deletes the connector. Returns false when it did not exist. */
    async deleteConnector(name: string): Promise<boolean> {
        try {
            await this.call("DELETE", `/connectors/${encodeURIComponent(name)}`, undefined, connectorLabel(name));
            return true;
        } catch (error) {
            if (isConnectRestError(error) && error.kind === "not-found") {
                return false;
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
        await this.call("POST", "/connectors", { name, config, initial_state: initialState }, connectorLabel(name));
    }

    /** Stops the connector: its tasks shut down and commit their offsets; the config stays. */
    async stopConnector(name: string): Promise<void> {
        await this.call("PUT", `/connectors/${encodeURIComponent(name)}/stop`, undefined, connectorLabel(name));
    }

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

    /** Polls until the connector reports `state` (e.g. STOPPED after stopConnector). */
    async waitForState(name: string, state: TaskState, timeoutMs: number): Promise<void> {
        const giveUpAt = Date.now() + timeoutMs;
        for (;;) {
            const status = await this.getConnectorStatus(name);
            if (status?.connector.state === state && (state !== "STOPPED" || status.tasks.length === 0)) {
                return;
            }
            if (Date.now() >= giveUpAt) {
                throw connectRestError(
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
     * Polls the status until the connector and all its tasks (at least one) are RUNNING, and have stayed
     * so for `stableForMs`: right after an update the status still shows the previous tasks, so one
     * RUNNING answer proves little. Fails at once with the trace when one of them FAILED, and with the
     * last state seen after `timeoutMs`.
     */
    async waitUntilRunning(
        name: string,
        options: { timeoutMs: number; pollMs?: number; stableForMs?: number },
    ): Promise<ConnectorStatus> {
        const giveUpAt = Date.now() + options.timeoutMs;
        let last: ConnectorStatus | undefined;
        let runningSince: number | undefined;
        for (;;) {
            last = await this.getConnectorStatus(name);
            if (last !== undefined) {
                const failed = [last.connector, ...last.tasks].find((unit) => unit.state === "FAILED");
                if (failed !== undefined) {
                    const which = "id" in failed ? `task ${failed.id}` : "the connector";
                    throw connectRestError(
                        "failed",
                        `${connectorLabel(name)}: ${which} FAILED on worker ` +
                            `${failed.worker_id}:\n${failed.trace ?? "(no trace)"}`,
                    );
                }
            }
            const running =
                last !== undefined &&
                last.connector.state === "RUNNING" &&
                last.tasks.length > 0 &&
                last.tasks.every((task) => task.state === "RUNNING");
            runningSince = running ? (runningSince ?? Date.now()) : undefined;
            if (running && Date.now() - runningSince! >= (options.stableForMs ?? 0)) {
                return last!;
            }
            if (Date.now() >= giveUpAt) {
                throw connectRestError(
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
            if (isConnectRestError(error) && error.kind === "not-found") {
                return undefined;
            }
            throw error;
        }
    }

    /** One logical call: retried with exponential backoff while failures are transient and the deadline allows. */
    private async call(method: string, path: string, body: unknown, subject: string): Promise<HttpResponse> {
        const started = Date.now();
        let backoff = this.retry.initialBackoffMs;
        for (let attempt = 1; ; attempt++) {
            let failure: ConnectRestError;
            try {
                const response = await this.send(method, path, body);
                if (response.status < 300) {
                    return response;
                }
                failure = httpError(method, path, subject, response);
            } catch (error) {
                failure = isConnectRestError(error) ? error : networkError(method, subject, this.target.baseUrl, error);
            }
            const retriable =
                failure.kind === "conflict" || failure.kind === "server" || failure.kind === "unreachable";
            const remaining = started + this.retry.deadlineMs - Date.now();
            if (!retriable || remaining <= 0) {
                if (retriable) {
                    failure.message += ` (gave up after ${attempt} attempts in ${Date.now() - started} ms)`;
                }
                throw failure;
            }
            await sleep(Math.min(backoff, remaining));
            backoff = Math.min(backoff * 2, this.retry.maxBackoffMs);
        }
    }

    private send(method: string, path: string, body: unknown): Promise<HttpResponse> {
        const url = new URL(this.target.baseUrl.replace(/\/+$/, "") + path);
        const payload = body === undefined ? undefined : JSON.stringify(body);
        const headers: Record<string, string> = { Accept: "application/json", ...this.target.headers };
        if (payload !== undefined) {
            headers["Content-Type"] = "application/json";
            headers["Content-Length"] = String(Buffer.byteLength(payload));
        }
        const isHttps = url.protocol === "https:";
        const options: https.RequestOptions = { method, headers, timeout: this.retry.requestTimeoutMs };
        if (isHttps) {
            options.ca = this.target.caCertificatePem;
            options.cert = this.target.clientCertificatePem;
            options.key = this.target.clientKeyPem;
            options.rejectUnauthorized = !this.target.insecureSkipTlsVerify;
        }
        return new Promise((resolve, reject) => {
            const request = (isHttps ? https : http).request(url, options, (response) => {
                const chunks: Buffer[] = [];
                response.on("data", (chunk: Buffer) => chunks.push(chunk));
                response.on("end", () =>
                    resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }),
                );
                response.on("error", reject);
            });
            request.on("timeout", () =>
                request.destroy(
                    Object.assign(new Error(`no answer within ${this.retry.requestTimeoutMs} ms`), {
                        code: "ETIMEDOUT",
                    }),
                ),
            );
            request.on("error", reject);
            request.end(payload);
        });
    }
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

function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
}

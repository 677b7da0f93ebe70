/**
 * An in-memory stand-in for the Connect REST API, for unit tests of the REST client and the
 * provider only (real behaviour is proven in test/integration against real workers). Failures are
 * scripted per test: queued HTTP statuses, slow answers, tasks that fail.
 */
import * as http from "http";
import { AddressInfo } from "net";

interface Stored {
    config: Record<string, string>;
    taskState: "RUNNING" | "FAILED" | "UNASSIGNED";
    /** How many tasks the connector runs (default 1); 0 like a connector with nothing to do yet. */
    taskCount?: number;
    /** Set by PUT /stop (or `initial_state` STOPPED): the connector is STOPPED and runs no task. */
    stopped?: boolean;
    /** Set by PUT /pause (or `initial_state` PAUSED): the connector and its RUNNING tasks are PAUSED. */
    paused?: boolean;
    /** The connector itself FAILED (its tasks keep `taskState`). */
    connectorFailed?: boolean;
    /** Its committed offsets, as GET /offsets lists them. */
    offsets?: { partition: Record<string, unknown>; offset: Record<string, unknown> | null }[];
}

export interface RecordedRequest {
    readonly method: string;
    readonly path: string;
    readonly body: string;
    readonly headers: http.IncomingHttpHeaders;
}

/** What the validate endpoint answers (HTTP 500) for a plugin whose connector class misses a class it uses. */
export const BROKEN_PLUGIN_MESSAGE =
    "java.lang.NoClassDefFoundError: com/example/broken/MissingHelper\n\tat com.example.broken.BrokenSink.config" +
    "(BrokenSink.java:12)";

export class FakeConnect {
    readonly connectors = new Map<string, Stored>();
    readonly requests: RecordedRequest[] = [];
    /** Statuses to answer next, whatever the request (e.g. 409 during a rebalance). */
    readonly queuedFailures: { status: number; message: string }[] = [];
    /** Milliseconds to wait before answering (to exercise request timeouts). */
    delayMs = 0;
    /** Delays for the next requests, in order, before `delayMs` applies again. */
    readonly queuedDelaysMs: number[] = [];
    /** State new or updated connectors' tasks get. */
    nextTaskState: Stored["taskState"] = "RUNNING";
    /** How many tasks new or updated connectors run. */
    nextTaskCount = 1;
    /** False: the offsets endpoints answer 404 like a Connect before 3.6 (KIP-875). */
    offsetsEndpoint = true;
    /** State FAILED tasks get from `POST /restart?...&onlyFailed=true` (undefined: they stay FAILED). */
    taskStateAfterRestart: Stored["taskState"] | undefined = undefined;
    private server?: http.Server;

    async start(): Promise<string> {
        this.server = http.createServer((req, res) => {
            let body = "";
            req.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
            req.on("end", () => {
                this.requests.push({ method: req.method ?? "", path: req.url ?? "", body, headers: req.headers });
                // The request takes effect at once; only the answer is late, like a worker whose answer is lost.
                const delay = this.queuedDelaysMs.shift() ?? this.delayMs;
                this.answer(req.method ?? "", req.url ?? "", body, (status, payload) =>
                    setTimeout(() => {
                        if (!res.destroyed) {
                            res.writeHead(status, { "Content-Type": "application/json" });
                            res.end(JSON.stringify(payload));
                        }
                    }, delay),
                );
            });
        });
        await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
        return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
    }

    async stop(): Promise<void> {
        this.server?.closeAllConnections();
        await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    }

    private answer(method: string, url: string, body: string, send: (status: number, payload: unknown) => void): void {
        const failure = this.queuedFailures.shift();
        if (failure !== undefined) {
            return send(failure.status, { error_code: failure.status, message: failure.message });
        }
        const path = url.split("?")[0];
        if (path === "/") {
            return send(200, { version: "fake", commit: "0", kafka_cluster_id: "fake" });
        }
        if (path === "/connectors" && method === "GET") {
            if (url.includes("expand")) {
                return send(
                    200,
                    Object.fromEntries(
                        [...this.connectors.keys()].map((name) => [
                            name,
                            { info: this.info(name), status: this.status(name) },
                        ]),
                    ),
                );
            }
            return send(200, [...this.connectors.keys()]);
        }
        if (path === "/connectors" && method === "POST") {
            const request = JSON.parse(body) as {
                name: string;
                config: Record<string, string>;
                initial_state?: string;
            };
            if (this.connectors.has(request.name)) {
                return send(409, { error_code: 409, message: `Connector ${request.name} already exists` });
            }
            this.connectors.set(request.name, {
                config: { ...request.config, name: request.name },
                taskState: this.nextTaskState,
                taskCount: this.nextTaskCount,
                stopped: request.initial_state === "STOPPED",
                paused: request.initial_state === "PAUSED",
            });
            return send(201, this.info(request.name));
        }
        const validate = /^\/connector-plugins\/([^/]+)\/config\/validate$/.exec(path);
        if (validate !== null && method === "PUT") {
            return this.validate(decodeURIComponent(validate[1]), JSON.parse(body) as Record<string, string>, send);
        }
        const match = /^\/connectors\/([^/]+)(\/config|\/status|\/restart|\/stop|\/pause|\/resume|\/offsets)?$/.exec(
            path,
        );
        if (match === null) {
            return send(404, { error_code: 404, message: `no route for ${path}` });
        }
        if (match[2] === "/offsets" && !this.offsetsEndpoint) {
            return send(404, { error_code: 404, message: "HTTP 404 Not Found" });
        }
        const name = decodeURIComponent(match[1]);
        const stored = this.connectors.get(name);
        const missing = () => send(404, { error_code: 404, message: `Connector ${name} not found` });
        switch (`${method} ${match[2] ?? ""}`) {
            case "PUT /config": {
                const config = JSON.parse(body) as Record<string, string>;
                if (config["connector.class"] === "NoSuchConnector") {
                    return send(400, {
                        error_code: 400,
                        message:
                            "Connector configuration is invalid and contains the following 1 error(s):\nInvalid " +
                            "value NoSuchConnector for configuration connector.class",
                    });
                }
                // Like Connect, a config update keeps the connector's target state (paused, stopped).
                this.connectors.set(name, {
                    config: { ...config, name },
                    taskState: this.nextTaskState,
                    taskCount: this.nextTaskCount,
                    stopped: stored?.stopped,
                    paused: stored?.paused,
                });
                return send(stored ? 200 : 201, this.info(name));
            }
            case "GET /config":
                return stored ? send(200, stored.config) : missing();
            case "GET /status":
                return stored ? send(200, this.status(name)) : missing();
            case "POST /restart":
                if (stored && url.includes("onlyFailed=true") && stored.taskState === "FAILED") {
                    stored.taskState = this.taskStateAfterRestart ?? "FAILED";
                }
                return stored ? send(202, { name, connector: { state: "RESTARTING" }, tasks: [] }) : missing();
            case "PUT /stop":
                return stored ? ((stored.stopped = true), (stored.paused = false), send(204, {})) : missing();
            case "PUT /pause":
                return stored ? ((stored.paused = true), (stored.stopped = false), send(202, {})) : missing();
            case "PUT /resume":
                return stored ? ((stored.paused = false), (stored.stopped = false), send(202, {})) : missing();
            case "DELETE /offsets":
                if (stored === undefined) {
                    return missing();
                }
                if (!stored.stopped) {
                    return send(400, {
                        error_code: 400,
                        message: "Connectors must be in the STOPPED state before their offsets can be modified.",
                    });
                }
                stored.offsets = [];
                return send(200, { message: "The offsets for this connector have been reset successfully" });
            case "GET /offsets":
                return stored ? send(200, { offsets: stored.offsets ?? [] }) : missing();
            case "PATCH /offsets":
                return stored ? this.alterOffsets(stored, body, send) : missing();
            case "DELETE ":
                return stored ? (this.connectors.delete(name), send(204, {})) : missing();
            default:
                return send(405, { error_code: 405, message: "method not allowed" });
        }
    }

    /** Like Connect: only for a STOPPED connector; a null offset deletes that partition's, others replace or add. */
    private alterOffsets(stored: Stored, body: string, send: (status: number, payload: unknown) => void): void {
        if (!stored.stopped) {
            return send(400, {
                error_code: 400,
                message: "Connectors must be in the STOPPED state before their offsets can be modified.",
            });
        }
        const request = JSON.parse(body) as { offsets: NonNullable<Stored["offsets"]> };
        const key = (partition: Record<string, unknown>) => JSON.stringify(Object.entries(partition).sort());
        const byPartition = new Map((stored.offsets ?? []).map((entry) => [key(entry.partition), entry]));
        for (const entry of request.offsets) {
            if (entry.offset === null) {
                byPartition.delete(key(entry.partition));
            } else {
                byPartition.set(key(entry.partition), entry);
            }
        }
        stored.offsets = [...byPartition.values()];
        send(200, { message: "The offsets for this connector have been altered successfully" });
    }

    /**
     * Unknown class → 400; `BrokenPlugin` → the 500 Connect answers when the plugin misses a class; a key
     * named `bad.key` → a per-key error; `*.password` keys are PASSWORD-typed.
     */
    private validate(
        connectorClass: string,
        config: Record<string, string>,
        send: (status: number, payload: unknown) => void,
    ): void {
        if (connectorClass === "BrokenPlugin") {
            return send(500, { error_code: 500, message: BROKEN_PLUGIN_MESSAGE });
        }
        if (connectorClass === "NoSuchConnector") {
            return send(400, {
                error_code: 400,
                message: `Failed to find any class that implements Connector and which name matches ${connectorClass}`,
            });
        }
        const configs = Object.keys(config).map((key) => ({
            definition: { name: key, type: key.endsWith(".password") ? "PASSWORD" : "STRING" },
            value: {
                name: key,
                errors: key === "bad.key" ? [`Invalid value ${config[key]} for configuration bad.key`] : [],
            },
        }));
        send(200, {
            name: connectorClass,
            error_count: configs.filter((c) => c.value.errors.length > 0).length,
            groups: [],
            configs,
        });
    }

    private info(name: string) {
        const stored = this.connectors.get(name)!;
        const tasks = this.taskIds(stored).map((task) => ({ connector: name, task }));
        return { name, config: stored.config, tasks, type: "sink" };
    }

    private status(name: string) {
        const stored = this.connectors.get(name)!;
        const trace =
            stored.taskState === "FAILED"
                ? "org.apache.kafka.connect.errors.ConnectException: boom\n\tat Fake.task(Fake.java:1)"
                : undefined;
        return {
            name,
            connector: { state: this.connectorState(stored), worker_id: "127.0.0.1:8083" },
            tasks: this.taskIds(stored).map((id) => ({
                id,
                state: stored.paused && stored.taskState === "RUNNING" ? "PAUSED" : stored.taskState,
                worker_id: "127.0.0.1:8083",
                trace,
            })),
            type: "sink",
        };
    }

    private connectorState(stored: Stored): string {
        if (stored.connectorFailed) {
            return "FAILED";
        }
        return stored.stopped ? "STOPPED" : stored.paused ? "PAUSED" : "RUNNING";
    }

    private taskIds(stored: Stored): number[] {
        return stored.stopped ? [] : Array.from({ length: stored.taskCount ?? 1 }, (_, id) => id);
    }
}

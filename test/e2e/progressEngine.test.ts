/**
 * Progress and the unmanaged report through the real Pulumi engine (CLI from scripts/setup-engine, a local file
 * backend) against 2 real Connect workers from the harness: an `up` whose REST calls get Connect's rebalance 409
 * from a loopback proxy for a while shows `progress:` lines naming the connector, the retried request and the
 * reason, then succeeds; a connector made by hand that the stack does not declare is named in a warning and in
 * the `unmanaged` output, and left running; the REST password appears nowhere in the output. Then failed tasks
 * restarted by `up`: the sink's tasks fail on purpose (their output directory removed, the connector restarted by
 * hand), the preview names them in `restartFailed`, and once the directory is back `up` restarts them and records
 * flow again.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as http from "node:http";
import { AddressInfo } from "node:net";
import * as path from "node:path";
import { after, before, describe, test } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { Stack } from "@pulumi/pulumi/automation";
import { UnmanagedReport } from "../../components/cluster/unmanagedReport";
import { Connector } from "../../components/provider/connector";
import { createRunDir, httpRequest, useCluster, waitFor } from "../integration/harness";
import { countRecords, deliveryReport, FILE_SINK, recordValues, restClient } from "../integration/support";
import { inlineStack, prepareEngine } from "./support";

const REST_PASSWORD = "e2e-progress-pw-5b20c7";
/** Connect's answer while the group rebalances (RebalanceNeededException), which the client retries. */
const REBALANCE_409 = JSON.stringify({
    error_code: 409,
    message:
        "Cannot complete request momentarily due to stale configuration (typically caused by a concurrent " +
        "config change)",
});
const built = prepareEngine(["cli"]);

/**
 * A loopback proxy to `target` that answers 409 (rebalancing) to every request for `rebalanceForMs` from the first
 * request it gets once armed (the engine takes its time to start on a loaded machine), then forwards.
 */
class RebalancingProxy {
    rebalanceForMs = 0;
    answered409 = 0;
    private rebalancingUntil: number | undefined;
    private readonly server = http.createServer((req, res) => {
        if (this.rebalancingUntil === undefined && this.rebalanceForMs > 0) {
            this.rebalancingUntil = Date.now() + this.rebalanceForMs;
        }
        if (Date.now() < (this.rebalancingUntil ?? 0)) {
            this.answered409++;
            req.resume();
            res.writeHead(409, { "Content-Type": "application/json" }).end(REBALANCE_409);
            return;
        }
        const upstream = http.request(
            `${this.target()}${req.url ?? "/"}`,
            { method: req.method, headers: req.headers },
            (answer) => {
                res.writeHead(answer.statusCode ?? 502, answer.headers);
                answer.pipe(res);
            },
        );
        upstream.on("error", () => res.writeHead(502).end());
        req.pipe(upstream);
    });

    constructor(private readonly target: () => string) {}

    async start(): Promise<string> {
        await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
        return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    }

    async stop(): Promise<void> {
        this.server.closeAllConnections();
        await new Promise<void>((resolve) => this.server.close(() => resolve()));
    }
}

describe(
    "progress and the unmanaged report through the real Pulumi engine",
    { skip: built.ok ? false : built.reason },
    () => {
        const cluster = useCluster({ workers: 2, groupId: "e2e-progress", label: "e2e-progress" });
        const proxy = new RebalancingProxy(() => cluster().restUrl(1));
        let stack: Stack;
        /** The sink's output directory: removed to fail its tasks. */
        const outDir = () => `${cluster().runDir}/progress-out`;
        const sinkFile = () => `${outDir()}/p.txt`;

        before(async () => {
            await cluster().broker.createTopic({ name: "progress-in", partitions: 2 });
            fs.mkdirSync(outDir());
            const proxyUrl = await proxy.start();
            const run = createRunDir("e2e-progress");
            const backend = path.join(run.path, "state");
            fs.mkdirSync(backend);
            const program = async () => {
                const authorization = pulumi.secret(
                    `Basic ${Buffer.from(`admin:${REST_PASSWORD}`).toString("base64")}`,
                );
                const access = authorization.apply((value) => ({
                    url: { baseUrl: proxyUrl, headers: { "X-Unused-Authorization": value } },
                }));
                const sink = new Connector("progress-sink", {
                    name: "progress-sink",
                    config: {
                        "connector.class": FILE_SINK,
                        "tasks.max": "2",
                        topics: "progress-in",
                        file: sinkFile(),
                    },
                    access,
                    readyTimeoutMs: 120_000,
                });
                const report = new UnmanagedReport(
                    "unmanaged",
                    { access, readyTimeoutMs: 60_000, declared: ["progress-sink"], ignore: ["ignored-*"] },
                    { dependsOn: [sink] },
                );
                return { state: sink.connectorState, unmanaged: report.unmanaged };
            };
            stack = await inlineStack("connectcluster-e2e-progress", program, run.path, backend, "e2e-passphrase");
        });

        after(async () => {
            await stack?.workspace.removeStack("dev", { force: true }).catch(() => undefined);
            await proxy.stop();
        });

        test("an up held up by a rebalance shows why in progress lines, and reports the stray connector", async (t) => {
            const direct = restClient(cluster().restUrl(0));
            for (const name of ["stray-sink", "ignored-sink"]) {
                await direct.createConnector(
                    name,
                    { "connector.class": FILE_SINK, topics: "progress-in", file: "/dev/null" },
                    "RUNNING",
                );
            }
            proxy.rebalanceForMs = 20_000;
            const up = await stack.up();
            t.diagnostic(`${proxy.answered409} answers 409 from the proxy`);
            const progress = up.stdout.split("\n").filter((line) => line.includes("progress: "));
            t.diagnostic(up.stdout);
            assert.equal(up.summary.result, "succeeded");
            assert.equal(up.outputs.state.value, "RUNNING");
            assert.ok(proxy.answered409 > 0);
            assert.ok(
                progress.some((line) =>
                    new RegExp(
                        'progress: connector "progress-sink": GET failed \\(HTTP 409, rebalance in progress\\); ' +
                            "retrying, attempt \\d+ in \\d+ s \\(\\d+ s so far\\)",
                    ).test(line),
                ),
                up.stdout,
            );
            assert.match(up.stdout, /left untouched: stray-sink; declare them/);
            assert.deepEqual(up.outputs.unmanaged.value, ["stray-sink"]);
            assert.equal((await direct.getConnectorStatus("stray-sink"))?.connector.state, "RUNNING");
            for (const secret of [REST_PASSWORD, Buffer.from(`admin:${REST_PASSWORD}`).toString("base64")]) {
                assert.ok(!up.stdout.includes(secret) && !up.stderr.includes(secret), "no secret in the up output");
            }
        });

        test("failed tasks: the preview names them in restartFailed; up restarts them and records flow", async () => {
            const direct = restClient(cluster().restUrl(0));
            const taskStates = async () =>
                (await direct.getConnectorStatus("progress-sink"))?.tasks.map((t) => t.state);
            // Both tasks fail on purpose: their directory is gone when they start again.
            fs.rmSync(outDir(), { recursive: true, force: true });
            const restart = await httpRequest(
                "POST",
                `${cluster().restUrl(0)}/connectors/progress-sink/restart?includeTasks=true`,
            );
            assert.equal(restart.status < 300, true, `hand-made restart answered ${restart.status}`);
            await waitFor(
                "both tasks FAILED",
                async () => ((await taskStates())?.join() === "FAILED,FAILED" ? true : undefined),
                { timeoutMs: 60_000, intervalMs: 500 },
            );

            const preview = await stack.preview({ diff: true });
            assert.deepEqual(preview.changeSummary, { same: preview.changeSummary.same, update: 1 }, preview.stdout);
            // An added input naming both tasks: `+ restartFailed : [`, `+     [0]: "task 0"`, `+     [1]: "task 1"`.
            assert.match(
                preview.stdout,
                /\+ restartFailed\s*: \[\s*\+\s*\[0\]: "task 0"\s*\+\s*\[1\]: "task 1"\s*\]/,
                preview.stdout,
            );

            fs.mkdirSync(outDir());
            const up = await stack.up();
            assert.equal(up.summary.result, "succeeded");
            assert.equal(up.outputs.state.value, "RUNNING");
            assert.deepEqual(await taskStates(), ["RUNNING", "RUNNING"]);
            const values = recordValues("restarted", 0, 20);
            await cluster().broker.produce(
                "progress-in",
                values.map((value, i) => ({ key: `k${i}`, value })),
            );
            await waitFor(
                "the records in the sink's file",
                () => (countRecords([sinkFile()], "restarted").size === values.length ? true : undefined),
                { timeoutMs: 60_000, intervalMs: 500 },
            );
            assert.deepEqual(deliveryReport(values, countRecords([sinkFile()], "restarted")), {
                missing: [],
                duplicated: [],
                unexpected: [],
            });
        });
    },
);

/**
 * The `auto-restart` container's script (components/render/autoRestart.ts), rendered as the pod gets it and run
 * with sh, curl and awk beside each of 2 real workers (one copy per worker, as one container per pod), with its
 * backoff shortened to 2 s per "minute" and a 1 s poll. A FileStreamSink's task is failed on purpose (its output
 * directory removed, the task restarted by hand): only the script beside the task's own worker restarts it, with
 * Strimzi's backoff between restarts (min(n² + n, 60) units), and once the directory is back a restart makes it
 * RUNNING and records flow again. The workers require REST basic auth (`restAuth`): each copy gets the
 * Authorization value as the container does (from the rest-auth Secret's file, as an environment variable), and
 * no process's command line ever shows it.
 */
import assert from "node:assert/strict";
import { ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { after, describe, test } from "node:test";
import { basicAuthorization } from "../../components/basicAuth";
import { autoRestartScript } from "../../components/render/autoRestart";
import { PROBE_AUTHORIZATION_FILE } from "../../components/render/restAuth";
import { httpRequest, useCluster, waitFor } from "./harness";
import { FILE_SINK, ProviderDriver, recordValues, restClient } from "./support";

const NAME = "auto-restart-sink";
const TOPIC = "auto-restart-in";
const UNIT_SECONDS = 2;
const PASSWORD = "pw-auto-restart-6d1e";

interface Line {
    readonly at: number;
    readonly text: string;
}

describe("the auto-restart script beside 2 real workers", () => {
    const cluster = useCluster({
        workers: 2,
        groupId: "auto-restart",
        label: "auto-restart",
        restAuth: { users: { deployer: PASSWORD } },
    });
    const headers = { Authorization: basicAuthorization("deployer", PASSWORD) };
    /** The probe user's Authorization value, as the container's env gets it from the rest-auth Secret. */
    const authorization = () => readFileSync(`${cluster().restAuthDir}/${PROBE_AUTHORIZATION_FILE}`, "utf8");
    /** Command lines seen while the scripts run that show the password or an Authorization value. */
    const leaks: string[] = [];
    /** Samples that caught one of the scripts' curl calls (a measure of how much the sampling saw). */
    let curlSeen = 0;
    let sampler: NodeJS.Timeout | undefined;
    const dir = () => `${cluster().runDir}/auto-restart-out`;
    const file = () => `${dir()}/out.txt`;
    const scripts: ChildProcess[] = [];
    const logs = new Map<string, Line[]>();
    after(() => {
        clearInterval(sampler);
        for (const script of scripts) {
            script.kill("SIGKILL");
        }
    });

    /** Starts one copy of the rendered script for the worker at `restUrl`, as its pod's container would run. */
    const startScript = (restUrl: string) => {
        const workerId = restUrl.replace(/^https?:\/\//, "");
        const lines: Line[] = [];
        logs.set(workerId, lines);
        const args = shell() === "busybox" ? ["sh", "-c"] : ["-c"];
        const script = spawn(
            shell(),
            [...args, autoRestartScript({ pollSeconds: 1, backoffUnitSeconds: UNIT_SECONDS })],
            {
                env: {
                    PATH: pathWithBusybox(),
                    CONNECT_URL: restUrl,
                    WORKER_ID: workerId,
                    CONNECT_AUTHORIZATION: authorization(),
                },
                stdio: ["ignore", "pipe", "pipe"],
            },
        );
        scripts.push(script);
        let buffered = "";
        const onData = (chunk: Buffer) => {
            buffered += chunk.toString("utf8");
            const complete = buffered.split("\n");
            buffered = complete.pop()!;
            lines.push(...complete.map((text) => ({ at: Date.now(), text })));
        };
        script.stdout!.on("data", onData);
        script.stderr!.on("data", onData);
    };
    /**
     * The image's tools are busybox's (sh, awk, date, sleep) beside curl: with busybox on this machine, the script
     * runs under them (curl from this machine); without it, under this machine's sh and awk.
     */
    const busybox = () => {
        try {
            return execFileSync("sh", ["-c", "command -v busybox"]).toString().trim() || undefined;
        } catch {
            return undefined;
        }
    };
    const shell = () => (busybox() === undefined ? "sh" : "busybox");
    const pathWithBusybox = () => {
        const bin = busybox();
        if (bin === undefined) {
            return process.env.PATH;
        }
        const dir = `${cluster().runDir}/busybox-bin`;
        mkdirSync(dir, { recursive: true });
        for (const tool of ["sh", "awk", "date", "sleep"]) {
            if (!existsSync(`${dir}/${tool}`)) {
                symlinkSync(bin, `${dir}/${tool}`);
            }
        }
        return `${dir}:${process.env.PATH}`;
    };
    const restarts = (workerId: string) =>
        (logs.get(workerId) ?? []).filter((line) => line.text.includes(`restarted task 0 of connector ${NAME}`));
    const status = () => restClient(cluster().restUrl(0), {}, { headers }).getConnectorStatus(NAME);

    test("restarts only its own worker's failed task, with backoff, until the task runs again", async (t) => {
        await cluster().broker.createTopic({ name: TOPIC, partitions: 1 });
        mkdirSync(dir(), { recursive: true });
        const driver = new ProviderDriver(() => cluster().restUrl(0), 120_000, { headers });
        const created = await driver.create(NAME, {
            "connector.class": FILE_SINK,
            "tasks.max": "1",
            topics: TOPIC,
            file: file(),
        });
        const owner = created.tasks[0].workerId;
        for (const worker of cluster().runningWorkers) {
            startScript(worker.restUrl);
        }
        const secrets = [
            PASSWORD,
            authorization().replace(/^Basic /, ""),
            headers.Authorization.replace(/^Basic /, ""),
        ];
        sampler = setInterval(() => {
            const lines = execFileSync("ps", ["-eo", "args"]).toString().split("\n");
            leaks.push(...lines.filter((line) => secrets.some((secret) => line.includes(secret))));
            curlSeen += lines.some((line) => line.startsWith("curl -sSf -k")) ? 1 : 0;
        }, 250);
        assert.equal(logs.has(owner), true, `the task's worker ${owner} is one of the workers`);
        const other = [...logs.keys()].find((id) => id !== owner)!;

        // The task fails on purpose, and again at each restart while its directory is missing.
        rmSync(dir(), { recursive: true, force: true });
        const manual = await httpRequest(
            "POST",
            `${cluster().restUrl(0)}/connectors/${NAME}/tasks/0/restart`,
            undefined,
            {
                headers,
            },
        );
        assert.equal(manual.status < 300, true, `hand-made task restart answered ${manual.status}`);
        await waitFor("two restarts by the owner's script", () => (restarts(owner).length >= 2 ? true : undefined), {
            timeoutMs: 180_000,
            intervalMs: 500,
        });
        mkdirSync(dir(), { recursive: true });
        await waitFor(
            "the task RUNNING again",
            async () => ((await status())?.tasks[0]?.state === "RUNNING" ? true : undefined),
            { timeoutMs: 180_000, intervalMs: 500 },
        );
        await cluster().broker.produce(TOPIC, recordValues("auto", 0, 5));
        await waitFor(
            "records in the sink's file",
            () => {
                try {
                    const written = readFileSync(file(), "utf8");
                    return recordValues("auto", 0, 5).every((value) => written.includes(value)) ? true : undefined;
                } catch {
                    return undefined;
                }
            },
            { timeoutMs: 120_000, intervalMs: 500 },
        );

        const seen = restarts(owner);
        // Each restart counted, and the next one announced after Strimzi's backoff: min(n² + n, 60) units.
        assert.deepEqual(
            seen.slice(0, 2).map((line) => line.text),
            [
                `auto-restart: restarted task 0 of connector ${NAME} (restart 1; the next no sooner than ` +
                    `${2 * UNIT_SECONDS}s after this one)`,
                `auto-restart: restarted task 0 of connector ${NAME} (restart 2; the next no sooner than ` +
                    `${6 * UNIT_SECONDS}s after this one)`,
            ],
        );
        // The second restart waited for the backoff (a lower bound, so a loaded machine cannot break it; `date +%s`
        // counts whole seconds).
        assert.equal(seen[1].at - seen[0].at >= (2 * UNIT_SECONDS - 1) * 1000, true);
        // The other worker's script restarted nothing: it is not its task.
        assert.deepEqual(restarts(other), []);
        assert.equal((await status())?.tasks[0]?.state, "RUNNING");
        // Every call was authenticated (a 401 would have been logged as unreadable statuses), and the credential
        // never showed on a command line nor in the scripts' output.
        const output = [...logs.values()].flat().map((line) => line.text);
        assert.deepEqual(
            output.filter((text) => text.includes("cannot read the statuses")),
            [],
        );
        assert.deepEqual(leaks, []);
        t.diagnostic(`command lines sampled every 250 ms; ${curlSeen} samples caught a curl call of the scripts`);
        assert.equal(
            output.some((text) => text.includes(PASSWORD) || text.includes(authorization())),
            false,
        );
    });
});

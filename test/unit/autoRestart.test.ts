/**
 * components/render/autoRestart.ts: the opt-in `auto-restart` container beside each worker and its script. Its
 * behaviour beside real workers: test/integration/autoRestart.test.ts.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { describe, it } from "node:test";
import { resolveClusterConfig } from "../../components/config/clusterConfig";
import { DEFAULTS } from "../../components/config/defaults";
import {
    AUTO_RESTART_CONTAINER,
    autoRestartScript,
    renderAutoRestartContainers,
    withAutoRestart,
} from "../../components/render/autoRestart";

const config = (extra: Record<string, unknown> = {}) =>
    resolveClusterConfig("c", { bootstrapServers: "b:9092", ...extra } as Parameters<typeof resolveClusterConfig>[1]);

describe("autoRestart: the container", () => {
    it("is off by default: no container, and the Deployment spec is the very same object", () => {
        assert.equal(DEFAULTS.autoRestart, false);
        assert.equal(config().autoRestart, undefined);
        assert.deepEqual(renderAutoRestartContainers(config(), undefined), []);
        const spec = { template: { spec: { containers: [{ name: "connect" }] } } };
        assert.equal(withAutoRestart(spec, config(), undefined), spec);
    });

    it("on: one container after the worker's, in the plugin installer's image, calling its own worker", () => {
        const resolved = config({ autoRestart: true });
        assert.deepEqual(resolved.autoRestart, {
            pollSeconds: DEFAULTS.autoRestartPollSeconds,
            backoffUnitSeconds: DEFAULTS.autoRestartBackoffUnitSeconds,
        });
        const spec = withAutoRestart(
            { template: { spec: { containers: [{ name: "connect" }] } } },
            resolved,
            undefined,
        );
        const containers = spec.template.spec.containers as { name: string }[];
        assert.deepEqual(
            containers.map((c) => c.name),
            ["connect", AUTO_RESTART_CONTAINER],
        );
        const [container] = renderAutoRestartContainers(resolved, undefined);
        assert.equal(container.image, DEFAULTS.pluginInstaller.image);
        assert.deepEqual(container.command, ["sh", "-c", autoRestartScript(resolved.autoRestart!)]);
        assert.deepEqual(container.env, [
            { name: "POD_IP", valueFrom: { fieldRef: { fieldPath: "status.podIP" } } },
            { name: "CONNECT_URL", value: "http://127.0.0.1:8083" },
            { name: "WORKER_ID", value: "$(POD_IP):8083" },
        ]);
        assert.deepEqual(container.securityContext, {
            allowPrivilegeEscalation: false,
            readOnlyRootFilesystem: true,
            capabilities: { drop: ["ALL"] },
        });
    });

    it("with restAuth: the Authorization value from the rest-auth Secret as env, never in the spec", () => {
        const [container] = renderAutoRestartContainers(
            config({ autoRestart: true, restAuthEnabled: true, restPort: 9000 }),
            "c-rest-auth",
        );
        assert.deepEqual(container.env.slice(1), [
            { name: "CONNECT_URL", value: "http://127.0.0.1:9000" },
            { name: "WORKER_ID", value: "$(POD_IP):9000" },
            {
                name: "CONNECT_AUTHORIZATION",
                valueFrom: { secretKeyRef: { name: "c-rest-auth", key: "probe-authorization" } },
            },
        ]);
    });

    it("with restTls: HTTPS to its own worker", () => {
        const [container] = renderAutoRestartContainers(
            config({ autoRestart: true, restTlsEnabled: true, replicas: 1 }),
            undefined,
        );
        assert.deepEqual(container.env[1], { name: "CONNECT_URL", value: "https://127.0.0.1:8083" });
    });
});

describe("autoRestart: the script", () => {
    const script = autoRestartScript({ pollSeconds: 30, backoffUnitSeconds: 60 });

    it("hands the credential to curl on its standard input, never as an argument", () => {
        const uses = script.split("\n").filter((line) => line.includes("CONNECT_AUTHORIZATION"));
        assert.deepEqual(uses, [
            `    { [ -n "\${CONNECT_AUTHORIZATION:-}" ] && printf 'header = "Authorization: %s"\\n' ` +
                `"$CONNECT_AUTHORIZATION"; printf ''; } | curl -sSf -k --max-time 30 -K - -X "$1" "$CONNECT_URL$2"`,
        ]);
    });

    it("is valid POSIX sh", () => {
        execFileSync("sh", ["-n", "-c", script]);
    });

    it("backs off like Strimzi: min(n² + n, 60) units after the n-th restart", () => {
        const backoff = script.split("\n").find((line) => line.startsWith("backoff()"))!;
        const out = execFileSync("sh", [
            "-c",
            `unit=60\n${backoff}\nfor n in 0 1 2 3 4 5 6 7 8 20; do backoff $n; done`,
        ]);
        assert.deepEqual(
            out.toString().trim().split("\n").map(Number),
            [0, 2, 6, 12, 20, 30, 42, 56, 60, 60].map((minutes) => minutes * 60),
        );
    });

    it("reads units from the statuses whatever a trace holds, names URL-encoded", () => {
        const start = script.indexOf("awk '") + 5;
        const program = script.slice(start, script.indexOf("')\n", start)).replace(/'\\''/g, "'");
        const statuses = JSON.stringify({
            "a sink": {
                status: {
                    name: "a sink",
                    connector: { state: "RUNNING", worker_id: "10.0.0.1:8083" },
                    tasks: [
                        {
                            id: 0,
                            state: "FAILED",
                            worker_id: "10.0.0.2:8083",
                            trace: 'E: bad "x" {"name":"evil","connector":{}} ]\n\tat X',
                        },
                        { id: 1, state: "RUNNING", worker_id: "10.0.0.1:8083" },
                    ],
                    type: "sink",
                },
            },
            b: {
                status: {
                    name: "b",
                    connector: { state: "FAILED", worker_id: "10.0.0.2:8083", trace: "}" },
                    tasks: [],
                },
            },
        });
        const lines = execFileSync("awk", [program], { input: statuses }).toString().trim().split("\n");
        assert.deepEqual(lines, [
            "a%20sink connector RUNNING 10.0.0.1:8083",
            "a%20sink 0 FAILED 10.0.0.2:8083",
            "a%20sink 1 RUNNING 10.0.0.1:8083",
            "b connector FAILED 10.0.0.2:8083",
        ]);
    });
});

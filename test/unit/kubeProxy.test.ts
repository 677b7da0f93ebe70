import assert from "node:assert/strict";
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as os from "node:os";
import * as path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { clientFor } from "../../components/provider/connectorOperations";
import { kubernetesProxyTarget } from "../../components/rest/kubeProxy";
import { execPlugin, kubeconfigFor, proxyInputs } from "./support/execPlugin";
import { useFakeServiceProxy } from "./support/fakeServiceProxy";

const b64 = (text: string) => Buffer.from(text).toString("base64");
const kubeconfig = `
apiVersion: v1
kind: Config
current-context: dev
clusters:
- name: dev-cluster
  cluster:
    server: https://api.dev.example:6443/
    certificate-authority-data: ${b64("CA-PEM")}
- name: prod-cluster
  cluster:
    server: https://api.prod.example
contexts:
- name: dev
  context: { cluster: dev-cluster, user: dev-user }
- name: prod
  context: { cluster: prod-cluster, user: prod-user }
users:
- name: dev-user
  user:
    client-certificate-data: ${b64("CERT-PEM")}
    client-key-data: ${b64("KEY-PEM")}
- name: prod-user
  user:
    token: t0ken
`;
const access = { namespace: "kc", service: "local-file-sink", port: "rest" };

/** A script in a fresh folder; removed by the returned function. */
function script(body: string): { file: string; remove: () => void } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kubeproxy-"));
    const file = path.join(dir, "plugin");
    fs.writeFileSync(file, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
    return { file, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** The kubeconfig above with the prod user's token replaced by `userYaml` (indented four spaces). */
const prodUser = (userYaml: string) => kubeconfig.replace("    token: t0ken\n", userYaml);

describe("kubernetesProxyTarget", () => {
    it("builds the service-proxy URL with the current context's cluster and client certificate", async () => {
        const proxy = kubernetesProxyTarget({ ...access, kubeconfig });
        assert.deepEqual(proxy.target, {
            baseUrl: "https://api.dev.example:6443/api/v1/namespaces/kc/services/local-file-sink%3Arest/proxy",
        });
        assert.deepEqual(await proxy.credentials(), {
            headers: {},
            caCertificatePem: "CA-PEM",
            clientCertificatePem: "CERT-PEM",
            clientKeyPem: "KEY-PEM",
            insecureSkipTlsVerify: false,
        });
    });

    it("uses a named context and its bearer token", async () => {
        const proxy = kubernetesProxyTarget({ ...access, kubeconfig, context: "prod" });
        assert.deepEqual(proxy.target, {
            baseUrl: "https://api.prod.example/api/v1/namespaces/kc/services/local-file-sink%3Arest/proxy",
        });
        assert.deepEqual(await proxy.credentials(), {
            headers: { Authorization: "Bearer t0ken" },
            caCertificatePem: undefined,
            clientCertificatePem: undefined,
            clientKeyPem: undefined,
            insecureSkipTlsVerify: false,
        });
    });

    it("takes a token from an exec credential plugin, with the plugin's env", async () => {
        const plugin = script(
            `echo '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential",` +
                `"status":{"token":"from-exec-'"$REGION"'"}}'`,
        );
        try {
            const withExec = prodUser(
                `    exec:\n      command: ${plugin.file}\n      env: [{ name: REGION, value: eu }]\n`,
            );
            const proxy = kubernetesProxyTarget({ ...access, kubeconfig: withExec, context: "prod" });
            assert.deepEqual((await proxy.credentials()).headers, { Authorization: "Bearer from-exec-eu" });
        } finally {
            plugin.remove();
        }
    });

    it("reads a tokenFile (relative to the kubeconfig) for every request, without its newline", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kubeproxy-"));
        fs.writeFileSync(path.join(dir, "token"), "first\n");
        fs.writeFileSync(path.join(dir, "config"), prodUser("    tokenFile: token\n"));
        const saved = process.env.KUBECONFIG;
        process.env.KUBECONFIG = path.join(dir, "config");
        try {
            const proxy = kubernetesProxyTarget({ ...access, context: "prod" });
            assert.deepEqual((await proxy.credentials()).headers, { Authorization: "Bearer first" });
            fs.writeFileSync(path.join(dir, "token"), "rotated\n");
            assert.deepEqual((await proxy.credentials()).headers, { Authorization: "Bearer rotated" });
        } finally {
            restoreKubeconfigVariable(saved);
            fs.rmSync(dir, { recursive: true });
        }
    });

    it("sends basic auth for a username and password", async () => {
        const proxy = kubernetesProxyTarget({
            ...access,
            kubeconfig: prodUser("    username: admin\n    password: s3cret\n"),
            context: "prod",
        });
        assert.deepEqual((await proxy.credentials()).headers, {
            Authorization: `Basic ${b64("admin:s3cret")}`,
        });
    });

    const SOURCE = "kubeconfig (restAccess.kubernetesServiceProxy.kubeconfig)";
    const refusals = [
        {
            what: "names the missing context without printing the kubeconfig",
            access: { ...access, kubeconfig, context: "staging" },
            message: `${SOURCE} has no context "staging"; set restAccess.kubernetesServiceProxy.context.`,
        },
        {
            what: "names a context's missing cluster",
            access: { ...access, kubeconfig: kubeconfig.replace("- name: dev-cluster", "- name: other") },
            message: `${SOURCE} context "dev" names cluster "dev-cluster", which it does not define.`,
        },
        {
            what: "says where invalid YAML is without quoting it (it may hold a token)",
            access: { ...access, kubeconfig: prodUser("    token: t0ken\n  : [oops\n") },
            message: `${SOURCE} cannot be read: it is not valid YAML (line 26).`,
        },
        {
            what: "refuses a plain-HTTP API server unless TLS verification is skipped, as client-node does",
            access: {
                ...access,
                kubeconfig: kubeconfig.replace("https://api.prod.example", "http://api.prod.example"),
                context: "prod",
            },
            message:
                `${SOURCE} cluster "prod-cluster" has a plain-HTTP server; ` +
                "use https, or set insecure-skip-tls-verify: true to accept it.",
        },
    ];
    for (const { what, access, message } of refusals) {
        it(what, () => {
            assert.throws(() => kubernetesProxyTarget(access), { message });
        });
    }

    it("reads $KUBECONFIG when no contents are given", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kubeproxy-"));
        const file = path.join(dir, "config");
        fs.writeFileSync(file, kubeconfig);
        const saved = process.env.KUBECONFIG;
        process.env.KUBECONFIG = file;
        try {
            assert.equal((await kubernetesProxyTarget(access).credentials()).clientKeyPem, "KEY-PEM");
            process.env.KUBECONFIG = path.join(dir, "absent");
            assert.throws(() => kubernetesProxyTarget(access), {
                message:
                    `no kubeconfig at ${path.join(dir, "absent")}: set KUBECONFIG, pass ` +
                    `restAccess.kubernetesServiceProxy.kubeconfig, or use restAccess.url.`,
            });
        } finally {
            restoreKubeconfigVariable(saved);
            fs.rmSync(dir, { recursive: true });
        }
    });
});

describe("exec credential plugin failures (messages carry no credential)", () => {
    const cases = [
        {
            what: "a non-zero exit: the first line of stderr",
            body: 'echo "token expired: run aws sso login" >&2; echo "second line" >&2; exit 1',
            message: 'the exec credential plugin "PLUGIN" failed: token expired: run aws sso login.',
        },
        {
            what: "output that is not JSON: not quoted",
            body: "echo 'status: {token: s3cret-token}'",
            message: 'the exec credential plugin "PLUGIN" did not print an ExecCredential (not JSON).',
        },
        {
            what: "no token and no certificate",
            body: `echo '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{}}'`,
            message: 'the exec credential plugin "PLUGIN" returned no status.token and no client certificate.',
        },
    ];
    for (const { what, body, message } of cases) {
        it(what, async () => {
            const plugin = script(body);
            try {
                const proxy = kubernetesProxyTarget({
                    ...access,
                    kubeconfig: prodUser(`    exec:\n      command: ${plugin.file}\n`),
                    context: "prod",
                });
                await assert.rejects(proxy.credentials(), {
                    message:
                        'kubeconfig (restAccess.kubernetesServiceProxy.kubeconfig) user "prod-user": ' +
                        message.replace("PLUGIN", plugin.file),
                });
            } finally {
                plugin.remove();
            }
        });
    }

    it("a plugin that is not there: the spawn error", async () => {
        const proxy = kubernetesProxyTarget({
            ...access,
            kubeconfig: prodUser("    exec:\n      command: /nonexistent/get-token\n"),
            context: "prod",
        });
        await assert.rejects(proxy.credentials(), {
            message:
                'kubeconfig (restAccess.kubernetesServiceProxy.kubeconfig) user "prod-user": spawn ' +
                "/nonexistent/get-token ENOENT.",
        });
    });
});

function restoreKubeconfigVariable(saved: string | undefined): void {
    if (saved === undefined) {
        delete process.env.KUBECONFIG;
    } else {
        process.env.KUBECONFIG = saved;
    }
}

describe("exec credential caching (through clientFor, one client per provider operation)", () => {
    const { proxy, server } = useFakeServiceProxy();

    it("runs the exec plugin once for many requests, and again once its credential expired", async () => {
        const plugin = execPlugin(2);
        try {
            const inputs = proxyInputs(kubeconfigFor(server(), plugin.userYaml));
            for (let i = 0; i < 5; i++) {
                assert.deepEqual(await clientFor(inputs).listConnectors(), []);
            }
            assert.equal(plugin.runs(), 1);
            // Valid for 2 s at second precision: expired after 2.1 s.
            await sleep(2_100);
            assert.deepEqual(await clientFor(inputs).listConnectors(), []);
            assert.equal(plugin.runs(), 2);
            assert.deepEqual(
                proxy.requests.map((r) => `${r.authorization} ${r.path}`),
                [...Array(5).fill("Bearer token-1"), "Bearer token-2"].map(
                    (header) => `${header} /api/v1/namespaces/kc/services/connect%3Arest/proxy/connectors`,
                ),
            );
        } finally {
            plugin.remove();
        }
    });

    it("runs the exec plugin once for concurrent first requests (a refresh reads connectors in parallel)", async () => {
        const plugin = execPlugin(60);
        try {
            const inputs = proxyInputs(kubeconfigFor(server(), plugin.userYaml));
            const requestsBefore = proxy.requests.length;
            await Promise.all([...Array(8).keys()].map(() => clientFor(inputs).listConnectors()));
            assert.equal(plugin.runs(), 1);
            assert.deepEqual(
                proxy.requests.slice(requestsBefore).map((r) => r.authorization),
                Array(8).fill("Bearer token-1"),
            );
        } finally {
            plugin.remove();
        }
    });

    it("does not retry a plugin that failed: the request fails at once with the plugin's message", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kubeproxy-"));
        const plugin = script(`echo run >> ${dir}/runs; echo "no SSO session" >&2; exit 1`);
        try {
            const inputs = proxyInputs(kubeconfigFor(server(), `    exec:\n      command: ${plugin.file}\n`));
            const requestsBefore = proxy.requests.length;
            await assert.rejects(clientFor(inputs).listConnectors(), {
                message:
                    'kubeconfig (restAccess.kubernetesServiceProxy.kubeconfig) user "test-user": the exec credential ' +
                    `plugin "${plugin.file}" failed: no SSO session.`,
            });
            assert.equal(fs.readFileSync(path.join(dir, "runs"), "utf8"), "run\n");
            assert.equal(proxy.requests.length, requestsBefore);
        } finally {
            plugin.remove();
            fs.rmSync(dir, { recursive: true });
        }
    });
});

describe("as Pulumi serializes the dynamic provider", () => {
    const { proxy, server } = useFakeServiceProxy();

    it("requires client-node when it runs instead of capturing it, and keeps the exec credential", async () => {
        type Inputs = Parameters<typeof clientFor>[0];
        const serialized = await pulumi.runtime.serializeFunction(async (inputs: Inputs) =>
            clientFor(inputs).listConnectors(),
        );
        assert.match(serialized.text, /const k8s = require\("@kubernetes\/client-node"\);/);
        assert.doesNotMatch(serialized.text, /class KubeConfig/);
        const module = { exports: {} as Record<string, (inputs: Inputs) => Promise<string[]>> };
        new Function("exports", "require", "module", serialized.text)(
            module.exports,
            createRequire(__filename),
            module,
        );
        const plugin = execPlugin(60);
        try {
            const inputs = proxyInputs(kubeconfigFor(server(), plugin.userYaml));
            for (let i = 0; i < 3; i++) {
                assert.deepEqual(await module.exports[serialized.exportName](inputs), []);
            }
            assert.equal(plugin.runs(), 1);
            assert.deepEqual(
                proxy.requests.map((r) => r.authorization),
                ["Bearer token-1", "Bearer token-1", "Bearer token-1"],
            );
        } finally {
            plugin.remove();
        }
    });
});

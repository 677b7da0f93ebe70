import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, it } from "node:test";
import { kubernetesProxyTarget } from "../../components/rest/kubeProxy";

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

describe("kubernetesProxyTarget", () => {
    it("builds the service-proxy URL with the current context's cluster and client certificate", () => {
        assert.deepEqual(kubernetesProxyTarget({ ...access, kubeconfig }), {
            baseUrl: "https://api.dev.example:6443/api/v1/namespaces/kc/services/local-file-sink%3Arest/proxy",
            headers: {},
            caCertificatePem: "CA-PEM",
            clientCertificatePem: "CERT-PEM",
            clientKeyPem: "KEY-PEM",
            insecureSkipTlsVerify: false,
        });
    });

    it("uses a named context and its bearer token", () => {
        const target = kubernetesProxyTarget({ ...access, kubeconfig, context: "prod" });
        assert.equal(
            target.baseUrl,
            "https://api.prod.example/api/v1/namespaces/kc/services/local-file-sink%3Arest/proxy",
        );
        assert.deepEqual(target.headers, { Authorization: "Bearer t0ken" });
    });

    it("takes a token from an exec credential plugin", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kubeproxy-"));
        const plugin = path.join(dir, "get-token");
        fs.writeFileSync(
            plugin,
            `#!/bin/sh\necho ` +
                `'{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"from-exec-'"$REGION"'"}}'\n`,
            { mode: 0o755 },
        );
        const withExec = kubeconfig.replace(
            "    token: t0ken",
            `    exec:\n      command: ${plugin}\n      env: [{ name: REGION, value: eu }]`,
        );
        assert.deepEqual(kubernetesProxyTarget({ ...access, kubeconfig: withExec, context: "prod" }).headers, {
            Authorization: "Bearer from-exec-eu",
        });
        fs.rmSync(dir, { recursive: true });
    });

    it("names the missing context without printing the kubeconfig", () => {
        assert.throws(() => kubernetesProxyTarget({ ...access, kubeconfig, context: "staging" }), {
            message:
                'kubeconfig (restAccess.kubernetesServiceProxy.kubeconfig) has no context "staging"; set ' +
                "restAccess.kubernetesServiceProxy.context.",
        });
    });

    it("reads $KUBECONFIG when no contents are given", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kubeproxy-"));
        const file = path.join(dir, "config");
        fs.writeFileSync(file, kubeconfig);
        const saved = process.env.KUBECONFIG;
        process.env.KUBECONFIG = file;
        try {
            assert.equal(kubernetesProxyTarget(access).clientKeyPem, "KEY-PEM");
            process.env.KUBECONFIG = path.join(dir, "absent");
            assert.throws(() => kubernetesProxyTarget(access), {
                message:
                    `no kubeconfig at ${path.join(dir, "absent")}: set KUBECONFIG, pass ` +
                    `restAccess.kubernetesServiceProxy.kubeconfig, or use restAccess.url.`,
            });
        } finally {
            if (saved === undefined) {
                delete process.env.KUBECONFIG;
            } else {
                process.env.KUBECONFIG = saved;
            }
            fs.rmSync(dir, { recursive: true });
        }
    });
});

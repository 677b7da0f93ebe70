/**
 * A kubeconfig exec credential plugin for tests: a shell script that appends a line to a counter file on
 * every run and prints an ExecCredential whose token is `token-<run number>`, valid for `LIFETIME` seconds.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export interface ExecPlugin {
    readonly dir: string;
    /** The kubeconfig `user:` entry that runs the plugin. */
    readonly userYaml: string;
    /** How many times the plugin has run. */
    runs(): number;
    remove(): void;
}

/** `lifetimeSeconds` 0 makes every credential expire at once (a token that rotates on every request). */
export function execPlugin(lifetimeSeconds: number): ExecPlugin {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "exec-plugin-"));
    const counter = path.join(dir, "runs");
    const plugin = path.join(dir, "get-token");
    fs.writeFileSync(
        plugin,
        [
            "#!/bin/sh",
            'echo run >> "$COUNTER"',
            'n=$(wc -l < "$COUNTER" | tr -d " ")',
            'expires=$(date -u -d "@$(( $(date +%s) + LIFETIME ))" +%Y-%m-%dT%H:%M:%SZ)',
            'printf \'{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential",' +
                '"status":{"token":"token-%s","expirationTimestamp":"%s"}}\\n\' "$n" "$expires"',
            "",
        ].join("\n"),
        { mode: 0o755 },
    );
    const env = [
        { name: "COUNTER", value: counter },
        { name: "LIFETIME", value: String(lifetimeSeconds) },
    ];
    const exec = { apiVersion: "client.authentication.k8s.io/v1", command: plugin, env };
    return {
        dir,
        userYaml: `    exec: ${JSON.stringify(exec)}\n`,
        runs: () => (fs.existsSync(counter) ? fs.readFileSync(counter, "utf8").split("\n").length - 1 : 0),
        remove: () => fs.rmSync(dir, { recursive: true, force: true }),
    };
}

/** A kubeconfig with one context whose API server is `server` (plain HTTP allowed) and whose user is `userYaml`. */
export function kubeconfigFor(server: string, userYaml: string): string {
    return [
        "apiVersion: v1",
        "kind: Config",
        "current-context: test",
        "clusters:",
        "- name: test-cluster",
        "  cluster:",
        `    server: ${server}`,
        "    insecure-skip-tls-verify: true",
        "contexts:",
        "- name: test",
        "  context: { cluster: test-cluster, user: test-user }",
        "users:",
        "- name: test-user",
        "  user:",
        userYaml,
    ].join("\n");
}

/** A connector's inputs for the service proxy (namespace kc, service connect, port rest) with this kubeconfig. */
export function proxyInputs(kubeconfig: string) {
    return {
        access: { kubernetesServiceProxy: { kubeconfig, namespace: "kc", service: "connect", port: "rest" } },
        readyTimeoutMs: 3_000,
    };
}

/**
 * Reaching the Connect REST API through the Kubernetes API server's service proxy, with the user's
 * kubeconfig: `https://<api>/api/v1/namespaces/<ns>/services/<svc>:<port>/proxy`. No ingress and no
 * port-forward needed. Resolved when the dynamic provider runs, on the machine running `pulumi up`.
 */
import { connectClusterError } from "../errors";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { execFileSync } from "child_process";
import * as yaml from "js-yaml";
import { basicAuthorization } from "../basicAuth";
import type { RestTarget } from "./restClient";

export interface KubernetesProxyAccess {
    /** Kubeconfig contents. Default: `$KUBECONFIG` (first file) or `~/.kube/config`. */
    readonly kubeconfig?: string;
    /** Context name. Default: the kubeconfig's current-context. */
    readonly context?: string;
    readonly namespace: string;
    readonly service: string;
    /** Service port name or number. */
    readonly port: string;
}

interface Kubeconfig {
    readonly "current-context"?: string;
    readonly contexts?: { name: string; context: { cluster: string; user: string } }[];
    readonly clusters?: { name: string; cluster: ClusterEntry }[];
    readonly users?: { name: string; user: UserEntry }[];
}

interface ClusterEntry {
    readonly server: string;
    readonly "certificate-authority-data"?: string;
    readonly "certificate-authority"?: string;
    readonly "insecure-skip-tls-verify"?: boolean;
}

interface UserEntry {
    readonly token?: string;
    readonly tokenFile?: string;
    readonly "client-certificate-data"?: string;
    readonly "client-certificate"?: string;
    readonly "client-key-data"?: string;
    readonly "client-key"?: string;
    readonly username?: string;
    readonly password?: string;
    readonly exec?: { command: string; args?: string[]; env?: { name: string; value: string }[] };
}

/** Builds the REST target for the service proxy from a kubeconfig. Errors never include credentials. */
export function kubernetesProxyTarget(access: KubernetesProxyAccess): RestTarget {
    const { text, source } = readKubeconfig(access.kubeconfig);
    const config = (yaml.load(text) ?? {}) as Kubeconfig;
    const contextName = access.context ?? config["current-context"];
    const context = config.contexts?.find((entry) => entry.name === contextName)?.context;
    if (context === undefined) {
        throw connectClusterError(
            "invalid-input",
            `kubeconfig (${source}) has no context "${contextName ?? "(no current-context)"}"; set ` +
                `restAccess.kubernetesServiceProxy.context.`,
            { field: "restAccess.kubernetesServiceProxy.context" },
        );
    }
    const cluster = config.clusters?.find((entry) => entry.name === context.cluster)?.cluster;
    if (cluster === undefined) {
        throw connectClusterError(
            "invalid-input",
            `kubeconfig (${source}) context "${contextName}" names cluster "${context.cluster}", which it does ` +
                `not define.`,
            { field: "restAccess.kubernetesServiceProxy.context" },
        );
    }
    const user = config.users?.find((entry) => entry.name === context.user)?.user ?? {};
    const base = cluster.server.replace(/\/+$/, "");
    const proxyPath = `/api/v1/namespaces/${encodeURIComponent(access.namespace)}/services/${encodeURIComponent(`${access.service}:${access.port}`)}/proxy`;
    return {
        baseUrl: base + proxyPath,
        headers: authorizationHeader(user),
        caCertificatePem: dataOrFile(cluster["certificate-authority-data"], cluster["certificate-authority"]),
        clientCertificatePem: dataOrFile(user["client-certificate-data"], user["client-certificate"]),
        clientKeyPem: dataOrFile(user["client-key-data"], user["client-key"]),
        insecureSkipTlsVerify: cluster["insecure-skip-tls-verify"] === true,
    };
}

function readKubeconfig(contents: string | undefined): { text: string; source: string } {
    if (contents !== undefined) {
        return { text: contents, source: "restAccess.kubernetesServiceProxy.kubeconfig" };
    }
    const file =
        process.env.KUBECONFIG?.split(path.delimiter).find((entry) => entry !== "") ??
        path.join(os.homedir(), ".kube", "config");
    if (!fs.existsSync(file)) {
        throw connectClusterError(
            "invalid-input",
            `no kubeconfig at ${file}: set KUBECONFIG, pass restAccess.kubernetesServiceProxy.kubeconfig, or use ` +
                `restAccess.url.`,
            { field: "restAccess.kubernetesServiceProxy.kubeconfig" },
        );
    }
    return { text: fs.readFileSync(file, "utf8"), source: file };
}

function authorizationHeader(user: UserEntry): Record<string, string> {
    if (user.token !== undefined) {
        return { Authorization: `Bearer ${user.token}` };
    }
    if (user.tokenFile !== undefined) {
        return { Authorization: `Bearer ${fs.readFileSync(user.tokenFile, "utf8").trim()}` };
    }
    if (user.exec !== undefined) {
        return { Authorization: `Bearer ${execCredentialToken(user.exec)}` };
    }
    if (user.username !== undefined && user.password !== undefined) {
        return { Authorization: basicAuthorization(user.username, user.password) };
    }
    return {};
}

/** Runs a client-go credential plugin (e.g. `aws eks get-token`) and takes its bearer token. */
function execCredentialToken(exec: NonNullable<UserEntry["exec"]>): string {
    const env = { ...process.env };
    for (const entry of exec.env ?? []) {
        env[entry.name] = entry.value;
    }
    const output = execFileSync(exec.command, exec.args ?? [], {
        env,
        encoding: "utf8",
        stdio: ["ignore", "pipe", "inherit"],
        timeout: 60_000,
    });
    const token = (JSON.parse(output) as { status?: { token?: string } }).status?.token;
    if (token === undefined) {
        throw connectClusterError(
            "invalid-input",
            `kubeconfig exec plugin "${exec.command}" returned no status.token.`,
            { field: "restAccess.kubernetesServiceProxy.kubeconfig" },
        );
    }
    return token;
}

function dataOrFile(base64: string | undefined, file: string | undefined): string | undefined {
    if (base64 !== undefined) {
        return Buffer.from(base64, "base64").toString("utf8");
    }
    return file !== undefined ? fs.readFileSync(file, "utf8") : undefined;
}

/**
 * Reaching the Connect REST API through the Kubernetes API server's service proxy, with the user's
 * kubeconfig: `https://<api>/api/v1/namespaces/<ns>/services/<svc>:<port>/proxy`. No ingress and no
 * port-forward needed. Resolved when the dynamic provider runs, on the machine running `pulumi up`.
 *
 * The kubeconfig is interpreted by `@kubernetes/client-node`'s `KubeConfig`, the maintained implementation of
 * contexts, cluster CAs, client certificates, tokens and exec credential plugins (e.g. `aws eks get-token`),
 * which runs a plugin asynchronously and keeps its credential until `status.expirationTimestamp` (a credential
 * without one is fetched again for every request, as client-node does). Measured for version 1.4.0: it is
 * ESM-only and loads with `require` on Node 20.19+ (require(esm)) in about 1 s, once per provider process and
 * only on this access path; it adds about 70 MB to node_modules. It is required inside the functions below, at
 * run time: the serialized dynamic provider must not capture the module. Two gaps of client-node 1.4.0 are
 * filled here: it ignores a user's `tokenFile` (it reads a non-standard `token-file` and keeps its trailing
 * newline), and it makes a new `KubeConfig`'s credential cache empty, so one instance per kubeconfig and
 * context is kept for the provider process.
 */
import type { KubeConfig } from "@kubernetes/client-node";
import { createHash } from "crypto";
import { connectClusterError } from "../errors";
import * as fs from "fs";
import type * as https from "https";
import * as os from "os";
import * as path from "path";
import { basicAuthorization } from "../basicAuth";
import type { RestCredentials, RestTarget } from "./restTypes";
import { processShared } from "./processShared";

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

/** The service-proxy URL, and the credentials to send with each request (cached until they expire). */
export interface KubernetesProxyTarget {
    readonly target: RestTarget;
    readonly credentials: () => Promise<RestCredentials>;
}

/** A loaded kubeconfig with its context set, and each user's `tokenFile` (absolute), which client-node ignores. */
interface LoadedKubeconfig {
    readonly config: KubeConfig;
    readonly tokenFiles: Readonly<Record<string, string>>;
    readonly source: string;
    /** The credentials being resolved now, shared by concurrent requests. */
    inFlight?: Promise<RestCredentials>;
}

/** Builds the service-proxy target from a kubeconfig. Errors name the kubeconfig, never a credential. */
export function kubernetesProxyTarget(access: KubernetesProxyAccess): KubernetesProxyTarget {
    const loaded = loadKubeconfig(access);
    const server = loaded.config.getCurrentCluster()!.server.replace(/\/+$/, "");
    const proxyPath =
        `/api/v1/namespaces/${encodeURIComponent(access.namespace)}/services/` +
        `${encodeURIComponent(`${access.service}:${access.port}`)}/proxy`;
    return { target: { baseUrl: server + proxyPath }, credentials: () => sharedCredentialsOf(loaded) };
}

/**
 * Concurrent requests (a refresh reads every connector in parallel) share one lookup: client-node's exec
 * authenticator caches a credential only once its plugin has answered, so 8 parallel first requests ran the
 * plugin 8 times.
 */
function sharedCredentialsOf(loaded: LoadedKubeconfig): Promise<RestCredentials> {
    if (loaded.inFlight === undefined) {
        loaded.inFlight = credentialsOf(loaded).finally(() => {
            loaded.inFlight = undefined;
        });
    }
    return loaded.inFlight;
}

/**
 * Reads the kubeconfig and selects the context; returns the instance kept for the same content and context,
 * whose exec credential cache is still warm.
 */
function loadKubeconfig(access: KubernetesProxyAccess): LoadedKubeconfig {
    const { text, source, directory } = readKubeconfig(access.kubeconfig);
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded at run time, see the module comment
    const k8s = require("@kubernetes/client-node") as typeof import("@kubernetes/client-node");
    const config = new k8s.KubeConfig();
    let tokenFiles: Record<string, string>;
    try {
        tokenFiles = tokenFilesOf(text, directory);
        config.loadFromString(text);
    } catch (error) {
        throw connectClusterError("invalid-input", `kubeconfig (${source}) cannot be read: ${loadFailure(error)}.`);
    }
    if (directory !== undefined) {
        config.makePathsAbsolute(directory);
    }
    const contextName = access.context ?? config.getCurrentContext();
    const context = config.getContextObject(contextName);
    if (context === null) {
        throw connectClusterError(
            "invalid-input",
            `kubeconfig (${source}) has no context "${contextName ?? "(no current-context)"}"; set ` +
                `restAccess.kubernetesServiceProxy.context.`,
            { field: "restAccess.kubernetesServiceProxy.context" },
        );
    }
    const cluster = config.getCluster(context.cluster);
    if (cluster === null) {
        throw connectClusterError(
            "invalid-input",
            `kubeconfig (${source}) context "${contextName}" names cluster "${context.cluster}", which it does ` +
                `not define.`,
            { field: "restAccess.kubernetesServiceProxy.context" },
        );
    }
    if (cluster.server.startsWith("http:") && !cluster.skipTLSVerify) {
        // client-node refuses it too (when it builds the connection options), with a message naming no cluster.
        throw connectClusterError(
            "invalid-input",
            `kubeconfig (${source}) cluster "${cluster.name}" has a plain-HTTP server; ` +
                `use https, or set insecure-skip-tls-verify: true to accept it.`,
        );
    }
    config.setCurrentContext(contextName);
    const key = createHash("sha256")
        .update(JSON.stringify([config.exportConfig(), tokenFiles, source]))
        .digest("hex");
    const kept = keptKubeconfigs();
    const found = kept.get(key);
    if (found !== undefined) {
        return found;
    }
    const loaded = { config, tokenFiles, source };
    kept.set(key, loaded);
    return loaded;
}

/** Kubeconfigs by digest of content and context, for the provider process (./processShared). */
function keptKubeconfigs(): Map<string, LoadedKubeconfig> {
    return processShared("kubeconfigs@1", () => new Map<string, LoadedKubeconfig>());
}

function readKubeconfig(contents: string | undefined): { text: string; source: string; directory?: string } {
    if (contents !== undefined) {
        return { text: contents, source: "restAccess.kubernetesServiceProxy.kubeconfig" };
    }
    // The first file only: client-node's merge of several lets the last current-context win, kubectl the first.
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
    return { text: fs.readFileSync(file, "utf8"), source: file, directory: path.dirname(file) };
}

/** Each user's `tokenFile` (client-go's name for it), relative paths resolved against the kubeconfig's folder. */
function tokenFilesOf(text: string, directory: string | undefined): Record<string, string> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded at run time, see the module comment
    const yaml = require("js-yaml") as typeof import("js-yaml");
    const users = (yaml.load(text) as { users?: unknown } | null)?.users;
    const files: Record<string, string> = {};
    for (const entry of Array.isArray(users) ? (users as { name?: string; user?: { tokenFile?: string } }[]) : []) {
        const file = entry?.user?.tokenFile;
        if (typeof entry?.name === "string" && typeof file === "string") {
            files[entry.name] = directory === undefined ? file : path.resolve(directory, file);
        }
    }
    return files;
}

/** Why a kubeconfig could not be loaded, without quoting it (a YAML error would print the lines around it). */
function loadFailure(error: unknown): string {
    const failure = error as { name?: string; mark?: { line?: number } };
    if (failure.name === "YAMLException") {
        return `it is not valid YAML (line ${(failure.mark?.line ?? 0) + 1})`;
    }
    // client-node's own messages name entries only, e.g. "clusters[0].cluster.server is missing".
    return (error as Error).message;
}

/** What the current context's user sends: CA, client certificate, Authorization (exec plugin, token, basic). */
async function credentialsOf(loaded: LoadedKubeconfig): Promise<RestCredentials> {
    const { config, source } = loaded;
    const user = config.getCurrentUser();
    const options: https.RequestOptions = {};
    try {
        await config.applyToHTTPSOptions(options);
    } catch (error) {
        throw connectClusterError(
            "invalid-input",
            `kubeconfig (${source}) user "${user?.name}": ${credentialFailure(user?.exec, error)}.`,
        );
    }
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(options.headers ?? {})) {
        headers[name] = String(value).trim();
    }
    const tokenFile = user === null ? undefined : loaded.tokenFiles[user.name];
    if (headers.Authorization === undefined && tokenFile !== undefined) {
        // Read for every request, as a projected service-account token is rotated in place.
        headers.Authorization = `Bearer ${fs.readFileSync(tokenFile, "utf8").trim()}`;
    }
    if (headers.Authorization === undefined && user?.username && user.password) {
        headers.Authorization = basicAuthorization(user.username, user.password);
    }
    if (user?.exec && headers.Authorization === undefined && options.cert === undefined) {
        throw connectClusterError(
            "invalid-input",
            `kubeconfig (${source}) user "${user.name}": the exec credential plugin "${user.exec.command}" returned ` +
                `no status.token and no client certificate.`,
        );
    }
    return {
        headers,
        caCertificatePem: pem(options.ca),
        clientCertificatePem: pem(options.cert),
        clientKeyPem: pem(options.key),
        insecureSkipTlsVerify: options.rejectUnauthorized === false,
    };
}

/**
 * Why no credential could be had, without a credential: of an exec plugin's failure, its first line on stderr
 * (where plugins explain themselves; the credential goes to stdout, which is never quoted).
 */
function credentialFailure(exec: { command?: string } | undefined, error: unknown): string {
    const failure = error as { name?: string; code?: unknown; message?: string };
    if (typeof failure.code === "string") {
        // A plugin that cannot be started ("spawn … ENOENT") or a certificate file that cannot be read.
        return failure.message ?? failure.code;
    }
    if (exec === undefined) {
        return `no credential (${failure.name ?? "error"})`;
    }
    if (failure.name === "SyntaxError") {
        return `the exec credential plugin "${exec.command}" did not print an ExecCredential (not JSON)`;
    }
    const stderr = (failure.message ?? "").trim().split("\n")[0].slice(0, 300);
    return `the exec credential plugin "${exec.command}" failed: ${stderr === "" ? "(nothing on stderr)" : stderr}`;
}

function pem(value: string | Buffer | (string | Buffer | object)[] | undefined): string | undefined {
    if (value === undefined) {
        return undefined;
    }
    return Buffer.isBuffer(value) ? value.toString("utf8") : typeof value === "string" ? value : undefined;
}

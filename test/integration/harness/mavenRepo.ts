/**
 * Connector plugin artifacts for the tests (scripts/plugins/artifacts, fetched by scripts/fetch-plugins from Maven
 * Central into .cache/plugins/repository), and a Maven-layout repository serving them on 127.0.0.1: the URL a user
 * would point `plugins` at for a private repository, so the install script downloads over real HTTP.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import * as path from "node:path";
import { repoRoot } from "./kafkaJars";
import { freePort } from "./ports";

/** One line of scripts/plugins/artifacts. */
export interface PinnedArtifact {
    readonly group: string;
    readonly artifact: string;
    readonly version: string;
    readonly classifier?: string;
    readonly type: string;
    /** Hex SHA-512 of the file, as pinned in the list. */
    readonly sha512: string;
    /** `group:artifact:version[:classifier]:type`, as written in the list. */
    readonly coordinates: string;
    /** The file's path below the repository root, e.g. io/debezium/debezium-connector-jdbc/3.4.3.Final/<fileName>. */
    readonly repositoryPath: string;
    /** The file name, e.g. debezium-connector-jdbc-3.4.3.Final-plugin.tar.gz. */
    readonly fileName: string;
}

/** The artifacts scripts/plugins/artifacts pins. */
export function pinnedArtifacts(): PinnedArtifact[] {
    const text = fs.readFileSync(path.join(repoRoot(), "scripts", "plugins", "artifacts"), "utf8");
    return text
        .split("\n")
        .map((line) => line.trim())
        .filter((line) => line !== "" && !line.startsWith("#"))
        .map((line) => {
            const [coordinates, sha512] = line.split(/\s+/);
            const [group, artifact, version, classifier, type] = coordinates.split(":");
            const fileName = `${artifact}-${version}${classifier ? `-${classifier}` : ""}.${type}`;
            return {
                group,
                artifact,
                version,
                classifier: classifier || undefined,
                type,
                sha512,
                coordinates,
                repositoryPath: [...group.split("."), artifact, version, fileName].join("/"),
                fileName,
            };
        });
}

/** The pinned artifact with this artifact id. */
export function pinnedArtifact(artifact: string): PinnedArtifact {
    const found = pinnedArtifacts().find((a) => a.artifact === artifact);
    if (found === undefined) {
        throw new Error(`harness: scripts/plugins/artifacts pins no ${artifact}`);
    }
    return found;
}

let cachedRepository: string | undefined;

/** Runs scripts/fetch-plugins once per process (itself cached on disk) and returns the repository folder. */
export function pluginRepository(): string {
    if (cachedRepository === undefined) {
        const output = execFileSync(path.join(repoRoot(), "scripts", "fetch-plugins"), [], {
            encoding: "utf8",
            stdio: ["ignore", "pipe", "inherit"],
            timeout: 15 * 60_000,
        });
        const dir = output.trim().split("\n").pop() ?? "";
        const missing = pinnedArtifacts().filter((a) => !fs.existsSync(path.join(dir, a.repositoryPath)));
        if (dir === "" || missing.length > 0) {
            throw new Error(
                `harness: scripts/fetch-plugins printed "${dir}", which lacks ` +
                    missing.map((a) => a.coordinates).join(", "),
            );
        }
        cachedRepository = dir;
    }
    return cachedRepository;
}

/** A read-only HTTP server over a Maven-layout folder on 127.0.0.1. */
export class MavenRepoServer {
    private constructor(
        /** Every request path answered, with its status, in order. */
        readonly requests: readonly { readonly path: string; readonly status: number }[],
        private readonly server: http.Server,
        readonly root: string,
        readonly port: number,
    ) {}

    /** Serves `root` (default: the fetched plugin repository) on a free loopback port. */
    static async start(root: string = pluginRepository()): Promise<MavenRepoServer> {
        const port = await freePort();
        const resolvedRoot = fs.realpathSync(root);
        const requests: { path: string; status: number }[] = [];
        const server = http.createServer((request, response) => {
            requests.push({ path: request.url ?? "", status: serveMavenFile(resolvedRoot, request, response) });
        });
        await new Promise<void>((resolve, reject) => {
            server.once("error", reject);
            server.listen({ host: "127.0.0.1", port }, () => resolve());
        });
        server.unref();
        return new MavenRepoServer(requests, server, resolvedRoot, port);
    }

    /** The repository URL, e.g. http://127.0.0.1:23456/maven2 (no trailing slash). */
    get url(): string {
        return `http://127.0.0.1:${this.port}/maven2`;
    }

    async stop(): Promise<void> {
        this.server.closeAllConnections();
        await new Promise<void>((resolve) => this.server.close(() => resolve()));
    }
}

/**
 * Answers GET/HEAD for files below `/maven2/` of `root` (a real path); anything else is 404 (or 405 for other
 * methods). Returns the status. Also used by the real node's https repository (test/e2e/fixtures/nodeMavenRepo.ts).
 */
export function serveMavenFile(root: string, request: http.IncomingMessage, response: http.ServerResponse): number {
    const finish = (status: number): number => {
        response.writeHead(status, { "Content-Type": "text/plain" }).end(`${status}\n`);
        return status;
    };
    if (request.method !== "GET" && request.method !== "HEAD") {
        return finish(405);
    }
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    const relative = decodeURIComponent(url.pathname).replace(/^\/maven2\//, "");
    const file = path.resolve(root, relative);
    if (
        !url.pathname.startsWith("/maven2/") ||
        !file.startsWith(root + path.sep) ||
        !fs.existsSync(file) ||
        !fs.statSync(file).isFile()
    ) {
        return finish(404);
    }
    const size = fs.statSync(file).size;
    response.writeHead(200, { "Content-Type": "application/octet-stream", "Content-Length": size });
    if (request.method === "HEAD") {
        response.end();
    } else {
        fs.createReadStream(file).pipe(response);
    }
    return 200;
}

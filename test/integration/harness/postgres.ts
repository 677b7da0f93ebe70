/**
 * A PostgreSQL server on 127.0.0.1 (or an address in a network namespace) for sink tests, from the binaries on this
 * machine (Debian's `postgresql` package: initdb, postgres, psql). PostgreSQL refuses to run as root, so when the tests
 * run as root (CI) the server runs as `nobody` (setpriv), its data in a fresh folder under the OS temp dir that only it
 * can read. No Unix socket: clients use TCP on loopback and a password (scram-sha-256), as the connector does. Cleanup
 * as for the JVMs (processes.ts): SIGQUIT (immediate shutdown) on process exit or signal, and a watchdog whose stdin is
 * a pipe from this process stops the server and deletes its data if this process dies by SIGKILL.
 */
import { ChildProcess, execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { freePort } from "./ports";
import { RunDir, tail } from "./runDir";
import { waitFor } from "./wait";

/** Where Debian puts the server binaries when they are not on PATH (newest major version first). */
const DEBIAN_BIN_ROOT = "/usr/lib/postgresql";
const UNPRIVILEGED_USER = "nobody";

export interface PostgresBinaries {
    readonly initdb: string;
    readonly postgres: string;
    readonly psql: string;
    /** e.g. "15.18", from `postgres --version`. */
    readonly version: string;
}

/**
 * The server and client binaries, or a reason (with how to install them) when they are missing. Looks on `searchPath`
 * (default: PATH), then in Debian's `<debianRoot>/<major>/bin` (default /usr/lib/postgresql).
 */
export function findPostgres(
    searchPath = process.env.PATH ?? "",
    debianRoot = DEBIAN_BIN_ROOT,
): PostgresBinaries | { readonly missing: string } {
    const onPath = (name: string): string | undefined =>
        searchPath
            .split(path.delimiter)
            .map((dir) => path.join(dir, name))
            .find((file) => isExecutable(file));
    const debianBins = fs.existsSync(debianRoot)
        ? fs
              .readdirSync(debianRoot)
              .filter((major) => /^\d+$/.test(major))
              .sort((a, b) => Number(b) - Number(a))
              .map((major) => path.join(debianRoot, major, "bin"))
        : [];
    const find = (name: string): string | undefined =>
        onPath(name) ?? debianBins.map((dir) => path.join(dir, name)).find((file) => isExecutable(file));
    const [initdb, postgres, psql] = ["initdb", "postgres", "psql"].map(find);
    if (initdb === undefined || postgres === undefined || psql === undefined) {
        const absent = Object.entries({ initdb, postgres, psql }).flatMap(([name, file]) =>
            file === undefined ? [name] : [],
        );
        return {
            missing:
                `PostgreSQL binaries not found (${absent.join(", ")}): on Debian or Ubuntu, ` +
                "`apt-get install postgresql` (server binaries land in /usr/lib/postgresql/<major>/bin)",
        };
    }
    const version = /(\d+(?:\.\d+)?)/.exec(execFileSync(postgres, ["--version"], { encoding: "utf8" }))?.[1] ?? "?";
    return { initdb, postgres, psql, version };
}

export interface PostgresOptions {
    readonly runDir: RunDir;
    /** The role the tests (and the connector) use, owner of `database`. Default "sink". */
    readonly user?: string;
    /** Default "sink". */
    readonly database?: string;
    /** Default 30 s. */
    readonly startTimeoutMs?: number;
    /**
     * Where it listens and how it is started, for a server inside a network namespace (the real node's, for its
     * pods): its address there and the command that enters it; clients from any address may then log in with a
     * password. Default: 127.0.0.1 only, started directly.
     */
    readonly network?: { readonly host: string; readonly launcher: readonly string[] };
}

/** Servers of this process not yet stopped: stopped at once if the process exits. */
const liveServers = new Set<PostgresServer>();
let hooksInstalled = false;

function installExitHooks(): void {
    if (hooksInstalled) {
        return;
    }
    hooksInstalled = true;
    process.on("exit", () => {
        for (const server of liveServers) {
            server.stopNow();
        }
    });
    for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
        process.once(signal, () => {
            for (const server of liveServers) {
                server.stopNow();
            }
            process.kill(process.pid, signal);
        });
    }
}

export class PostgresServer {
    /** The role's password: give it to the connector through secretConfig only. */
    readonly password: string;
    private exited = false;
    private readonly exit: Promise<void>;

    private constructor(
        readonly binaries: PostgresBinaries,
        readonly port: number,
        /** Where it listens: 127.0.0.1, or the address in its network namespace. */
        readonly host: string,
        readonly user: string,
        readonly database: string,
        /** Under the OS temp dir: the cluster's data and the password files; deleted by stop(). */
        private readonly baseDir: string,
        readonly logFile: string,
        private readonly child: ChildProcess,
        private readonly watchdog: ChildProcess,
        private readonly superPassword: string,
        password: string,
    ) {
        this.password = password;
        this.exit = new Promise((resolve) => {
            child.once("exit", () => {
                this.exited = true;
                resolve();
            });
            child.once("error", () => {
                this.exited = true;
                resolve();
            });
        });
        child.unref();
    }

    /** Creates a cluster (initdb), starts the server, creates the role and its database. */
    static async start(options: PostgresOptions): Promise<PostgresServer> {
        const binaries = findPostgres();
        if ("missing" in binaries) {
            throw new Error(`harness: ${binaries.missing}`);
        }
        installExitHooks();
        const user = options.user ?? "sink";
        const database = options.database ?? "sink";
        const port = await freePort();
        const host = options.network?.host ?? "127.0.0.1";
        const baseDir = fs.mkdtempSync(path.join(os.tmpdir(), "harness-postgres-"));
        const dataDir = path.join(baseDir, "data");
        const logFile = options.runDir.file("postgres.log");
        const superPassword = randomBytes(12).toString("hex");
        const password = `pw-${randomBytes(12).toString("hex")}`;
        const asUser = unprivileged();
        fs.chmodSync(baseDir, 0o700);
        const pwFile = path.join(baseDir, "superuser-password");
        fs.writeFileSync(pwFile, `${superPassword}\n`, { mode: 0o600 });
        if (asUser !== undefined) {
            fs.chownSync(baseDir, asUser.uid, asUser.gid);
            fs.chownSync(pwFile, asUser.uid, asUser.gid);
        }
        const logFd = fs.openSync(logFile, "a");
        let child: ChildProcess | undefined;
        let watchdog: ChildProcess | undefined;
        try {
            const initdbArgs = [
                ...["-D", dataDir, "-U", "postgres", `--pwfile=${pwFile}`],
                ...["--auth=scram-sha-256", "--encoding=UTF8", "--locale=C", "--no-sync"],
            ];
            execFileSync(...command(asUser, binaries.initdb, initdbArgs), {
                stdio: ["ignore", logFd, logFd],
                cwd: baseDir,
                timeout: 60_000,
            });
            fs.rmSync(pwFile);
            if (options.network !== undefined) {
                // The namespace's pods and the host end of its link: any address, with the password.
                fs.appendFileSync(path.join(dataDir, "pg_hba.conf"), "host all all 0.0.0.0/0 scram-sha-256\n");
            }
            const serverArgs = [
                ...["-D", dataDir, "-p", String(port), "-c", `listen_addresses=${host}`],
                ...["-c", "unix_socket_directories=", "-c", "fsync=off", "-c", "max_connections=50"],
            ];
            const [file, args] = command(asUser, binaries.postgres, serverArgs);
            // nsenter without --fork execs the program: the child's pid stays the server's.
            const [launched, ...prefix] = [...(options.network?.launcher ?? []), file];
            child = spawn(launched, [...prefix, ...args], { cwd: baseDir, stdio: ["ignore", logFd, logFd] });
            // Stops the server and deletes its files when its stdin (a pipe from this process) closes: this process
            // died without running its exit hooks (SIGKILL).
            watchdog = spawn(
                "sh",
                [
                    "-c",
                    'cat >/dev/null; kill -QUIT "$1" 2>/dev/null; sleep 1; rm -rf "$2"',
                    "watchdog",
                    String(child.pid),
                    baseDir,
                ],
                { stdio: ["pipe", "ignore", "ignore"], detached: true },
            );
            watchdog.unref();
            watchdog.stdin?.on("error", () => undefined);
            (watchdog.stdin as unknown as { unref?: () => void }).unref?.();
            const server = new PostgresServer(
                binaries,
                port,
                host,
                user,
                database,
                baseDir,
                logFile,
                child,
                watchdog,
                superPassword,
                password,
            );
            liveServers.add(server);
            await waitFor(
                `PostgreSQL on ${host}:${port}`,
                () => (server.superQuery("postgres", "SELECT 1") === "1" ? true : undefined),
                {
                    timeoutMs: options.startTimeoutMs ?? 30_000,
                    intervalMs: 250,
                    abortIf: () => (server.exited ? `postgres exited; ${tail(logFile, 10)}` : undefined),
                    hint: () => `see ${logFile}`,
                },
            );
            // The password travels in the SQL text, to the server: never in argv or a file.
            server.superQuery("postgres", `CREATE ROLE ${user} LOGIN PASSWORD '${password}'`);
            server.superQuery("postgres", `CREATE DATABASE ${database} OWNER ${user}`);
            return server;
        } catch (error) {
            child?.kill("SIGQUIT");
            watchdog?.stdin?.destroy();
            fs.rmSync(baseDir, { recursive: true, force: true });
            throw error;
        } finally {
            fs.closeSync(logFd);
        }
    }

    get running(): boolean {
        return !this.exited;
    }

    /** A JDBC URL for the connector (the credentials go in separate settings). */
    get jdbcUrl(): string {
        return `jdbc:postgresql://${this.host}:${this.port}/${this.database}`;
    }

    /** Runs SQL as the test role in its database; returns psql's unaligned, tuples-only output (rows by line). */
    query(sql: string): string {
        return this.psql(this.user, this.password, this.database, sql);
    }

    /** Fast shutdown (SIGINT: clients disconnected, then a clean stop), then deletes the data folder. */
    async stop(timeoutMs = 20_000): Promise<void> {
        if (!this.exited) {
            this.child.kill("SIGINT");
            const timer = setTimeout(() => this.child.kill("SIGQUIT"), timeoutMs);
            this.child.ref();
            await this.exit;
            clearTimeout(timer);
        }
        this.cleanUp();
    }

    /** Immediate shutdown, synchronous (for exit handlers). */
    stopNow(): void {
        if (!this.exited) {
            try {
                this.child.kill("SIGQUIT");
            } catch {
                // Already gone.
            }
        }
        this.cleanUp();
    }

    private cleanUp(): void {
        liveServers.delete(this);
        this.watchdog.kill("SIGKILL");
        this.watchdog.stdin?.destroy();
        fs.rmSync(this.baseDir, { recursive: true, force: true });
    }

    private superQuery(database: string, sql: string): string {
        return this.psql("postgres", this.superPassword, database, sql);
    }

    private psql(user: string, password: string, database: string, sql: string): string {
        const args = ["-h", this.host, "-p", String(this.port), "-U", user, "-d", database];
        return execFileSync(this.binaries.psql, [...args, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1"], {
            input: sql,
            encoding: "utf8",
            env: { ...process.env, PGPASSWORD: password, PGCONNECT_TIMEOUT: "5" },
            stdio: ["pipe", "pipe", "pipe"],
            timeout: 30_000,
        }).trim();
    }
}

export function startPostgres(options: PostgresOptions): Promise<PostgresServer> {
    return PostgresServer.start(options);
}

/** The user to run the server as when this process is root (PostgreSQL refuses root), else undefined. */
function unprivileged(): { readonly name: string; readonly uid: number; readonly gid: number } | undefined {
    if (process.getuid?.() !== 0) {
        return undefined;
    }
    const [uid, gid] = ["-u", "-g"].map((flag) =>
        Number(execFileSync("id", [flag, UNPRIVILEGED_USER], { encoding: "utf8" }).trim()),
    );
    return { name: UNPRIVILEGED_USER, uid, gid };
}

/** `file args` as the given user (setpriv: exec in place, so the child's pid is the program's). */
function command(asUser: ReturnType<typeof unprivileged>, file: string, args: readonly string[]): [string, string[]] {
    if (asUser === undefined) {
        return [file, [...args]];
    }
    return [
        "setpriv",
        [`--reuid=${asUser.uid}`, `--regid=${asUser.gid}`, "--clear-groups", "--reset-env", file, ...args],
    ];
}

function isExecutable(file: string): boolean {
    try {
        fs.accessSync(file, fs.constants.X_OK);
        return fs.statSync(file).isFile();
    } catch {
        return false;
    }
}

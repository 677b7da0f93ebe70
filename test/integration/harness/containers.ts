/**
 * Containers without Kubernetes: the OCI images scripts/build-images makes, unpacked with umoci and run with runc in
 * this host's network namespace (so they reach the harness's broker on loopback, and listen on loopback only). No
 * container outlives the test process: live ones are killed on 'exit' and on SIGINT/SIGTERM/SIGHUP, and ones a
 * killed test process left behind are deleted when the next one starts (their ids carry the owner's pid).
 */
import { ChildProcess, execFile, execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { repoRoot } from "./kafkaJars";
import { RunDir, tail } from "./runDir";

/** runc's state folder for the harness's containers, apart from containerd's. */
const RUNC_ROOT = "/run/connectcluster-harness-runc";
const ID_PREFIX = "cc-harness-";

export interface ImageArchives {
    /** The Kafka Connect image the pod spec names (DEFAULTS.image). */
    readonly connect: string;
    /** The plugin installer / auto-restart image (DEFAULTS.pluginInstaller.image). */
    readonly installer: string;
}

/**
 * Runs scripts/build-images (cached on disk) and returns the archives, or the reason this machine cannot build or
 * run them (the script's exit 3: not root, no apt-get; or no runc): the caller skips and prints it.
 */
export async function buildImages(): Promise<ImageArchives | { readonly unavailable: string }> {
    const script = path.join(repoRoot(), "scripts", "build-images");
    const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
        execFile(script, ["connect", "installer"], { timeout: 20 * 60_000, maxBuffer: 16 << 20 }, (error, out, err) =>
            resolve({
                code: error === null ? 0 : typeof error.code === "number" ? error.code : null,
                stdout: out,
                stderr: err,
            }),
        ),
    );
    if (result.code === 3) {
        return { unavailable: result.stderr.trim().split("\n").pop() ?? "scripts/build-images exited 3" };
    }
    const [connect, installer] = result.stdout.trim().split("\n");
    if (result.code !== 0 || installer === undefined) {
        throw new Error(`harness: scripts/build-images failed (exit ${result.code}):\n${result.stderr.slice(-3000)}`);
    }
    try {
        execFileSync("runc", ["--version"], { stdio: "ignore" });
    } catch {
        return { unavailable: "runc is not installed" };
    }
    return { connect, installer };
}

/** An image unpacked once (cached beside its archive, keyed by the archive's stamp): its root and its config. */
export interface UnpackedImage {
    readonly rootfs: string;
    /** The runtime config umoci generated from the image's config (user, environment, working directory). */
    readonly config: RuntimeConfig;
}

/** The parts of an OCI runtime config (config.json) the harness reads and writes. */
export interface RuntimeConfig {
    process: {
        terminal: boolean;
        user: { uid: number; gid: number; additionalGids?: number[] };
        args: string[];
        env: string[];
        cwd: string;
        capabilities?: Record<string, string[]>;
        rlimits?: { type: string; hard: number; soft: number }[];
        noNewPrivileges?: boolean;
    };
    root: { path: string; readonly: boolean };
    hostname?: string;
    mounts: { destination: string; type?: string; source?: string; options?: string[] }[];
    linux: { namespaces: { type: string; path?: string }[]; [key: string]: unknown };
    [key: string]: unknown;
}

export function unpackImage(archive: string): UnpackedImage {
    const stamp = fs.readFileSync(`${archive}.stamp`, "utf8").trim();
    const dir = path.join(path.dirname(archive), "unpacked", path.basename(archive, ".oci.tar"));
    const done = path.join(dir, ".unpacked");
    if (!fs.existsSync(done) || fs.readFileSync(done, "utf8") !== stamp) {
        fs.rmSync(dir, { recursive: true, force: true });
        fs.mkdirSync(path.join(dir, "layout"), { recursive: true });
        execFileSync("tar", ["-xf", archive, "-C", path.join(dir, "layout")]);
        const index = JSON.parse(fs.readFileSync(path.join(dir, "layout", "index.json"), "utf8"));
        const tag = index.manifests[0].annotations["org.opencontainers.image.ref.name"];
        execFileSync("umoci", ["unpack", "--image", `${path.join(dir, "layout")}:${tag}`, path.join(dir, "bundle")], {
            stdio: ["ignore", "ignore", "pipe"],
        });
        fs.rmSync(path.join(dir, "layout"), { recursive: true });
        fs.writeFileSync(done, stamp);
    }
    const config = JSON.parse(fs.readFileSync(path.join(dir, "bundle", "config.json"), "utf8")) as RuntimeConfig;
    return { rootfs: path.join(dir, "bundle", "rootfs"), config };
}

export interface ContainerSpec {
    /** Names the container (with the owner's pid) and its files: <name>.out, <name>-bundle/. */
    readonly name: string;
    readonly runDir: RunDir;
    readonly image: UnpackedImage;
    readonly command: readonly string[];
    /** Added to the image's environment (later entries win). */
    readonly env: Readonly<Record<string, string>>;
    readonly user: { readonly uid: number; readonly gid: number; readonly additionalGids: readonly number[] };
    readonly readOnlyRoot: boolean;
    /** Bind mounts of host folders or files. */
    readonly mounts: readonly { readonly destination: string; readonly source: string; readonly readOnly: boolean }[];
}

const live = new Map<string, Container>();
let hooksInstalled = false;

function runc(args: readonly string[]): string {
    return execFileSync("runc", ["--root", RUNC_ROOT, ...args], {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "pipe"],
    });
}

/** Kills and deletes every live container at once (synchronous: safe in an 'exit' handler). */
export function killAllContainers(): void {
    for (const id of live.keys()) {
        for (const args of [
            ["kill", id, "KILL"],
            ["delete", "--force", id],
        ]) {
            try {
                runc(args);
            } catch {
                // Already gone.
            }
        }
    }
}

function installHooks(): void {
    if (hooksInstalled) {
        return;
    }
    hooksInstalled = true;
    process.on("exit", killAllContainers);
    for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
        process.once(signal, () => {
            killAllContainers();
            process.kill(process.pid, signal);
        });
    }
    // Containers of test processes that died without cleaning up (SIGKILL): their owner pid is gone.
    let listed: { id: string }[] = [];
    try {
        listed = JSON.parse(runc(["list", "--format", "json"]) || "[]") ?? [];
    } catch {
        listed = [];
    }
    for (const { id } of listed) {
        const owner = new RegExp(`^${ID_PREFIX}(\\d+)-`).exec(id)?.[1];
        if (owner !== undefined && !pidAlive(Number(owner))) {
            try {
                runc(["delete", "--force", id]);
            } catch {
                // Gone meanwhile.
            }
        }
    }
}

function pidAlive(pid: number): boolean {
    try {
        process.kill(pid, 0);
        return true;
    } catch {
        return false;
    }
}

/** One container run with `runc run` (foreground): output to <name>.out, stopped by stop()/kill(). */
export class Container {
    readonly id: string;
    readonly outFile: string;
    private readonly child: ChildProcess;
    private readonly exit: Promise<number | null>;
    private exitCode: number | null | undefined;

    constructor(readonly spec: ContainerSpec) {
        installHooks();
        this.id = `${ID_PREFIX}${process.pid}-${spec.name}`;
        this.outFile = spec.runDir.file(`${spec.name}.out`);
        const bundle = spec.runDir.file(`${spec.name}-bundle`);
        fs.mkdirSync(bundle, { recursive: true });
        fs.writeFileSync(path.join(bundle, "config.json"), JSON.stringify(runtimeConfig(spec), null, 1));
        const out = fs.openSync(this.outFile, "a");
        this.child = spawn("runc", ["--root", RUNC_ROOT, "run", "--bundle", bundle, this.id], {
            stdio: ["ignore", out, out],
        });
        fs.closeSync(out);
        live.set(this.id, this);
        this.exit = new Promise((resolve) => {
            const done = (code: number | null) => {
                this.exitCode = code;
                live.delete(this.id);
                resolve(code);
            };
            this.child.once("exit", done);
            this.child.once("error", () => done(null));
        });
        this.child.unref();
    }

    get running(): boolean {
        return this.exitCode === undefined;
    }

    /** Resolves with the exit code of the container's process once it has exited. */
    async waitForExit(): Promise<number | null> {
        this.child.ref();
        try {
            return await this.exit;
        } finally {
            this.child.unref();
        }
    }

    /**
     * Runs a command in the running container (`runc exec`, as the kubelet runs an exec probe) as the container's
     * user, with its environment; resolves with the exit code and output.
     */
    exec(command: readonly string[], timeoutMs = 10_000): Promise<{ code: number | null; output: string }> {
        const { uid, gid } = this.spec.user;
        const args = ["--root", RUNC_ROOT, "exec", "--user", `${uid}:${gid}`, this.id, ...command];
        return new Promise((resolve) =>
            execFile("runc", args, { timeout: timeoutMs, encoding: "utf8" }, (error, stdout, stderr) =>
                resolve({
                    code: error === null ? 0 : typeof error.code === "number" ? error.code : null,
                    output: stdout + stderr,
                }),
            ),
        );
    }

    /** SIGTERM to the container's process (a pod's graceful stop), SIGKILL after `timeoutMs`; then deleted. */
    async stop(timeoutMs = 30_000): Promise<number | null> {
        if (this.running) {
            this.signal("TERM");
            const timer = setTimeout(() => this.signal("KILL"), timeoutMs);
            await this.waitForExit();
            clearTimeout(timer);
        }
        try {
            runc(["delete", "--force", this.id]);
        } catch {
            // runc run deletes the container itself when its process exits.
        }
        return this.exitCode ?? null;
    }

    /** How it ended (or that it runs) and the tail of its output, for messages. */
    describe(): string {
        const state = this.running ? "is running" : `exited with code ${this.exitCode}`;
        return `container ${this.spec.name} ${state}; output ${this.outFile}:\n${tail(this.outFile, 20)}`;
    }

    private signal(signal: "TERM" | "KILL"): void {
        try {
            runc(["kill", this.id, signal]);
        } catch {
            // Exited meanwhile.
        }
    }
}

/** The image's runtime config with the spec's process, user, root and mounts; the host's network namespace. */
function runtimeConfig(spec: ContainerSpec): RuntimeConfig {
    const base = spec.image.config;
    const env = new Map(base.process.env.map((entry) => [entry.slice(0, entry.indexOf("=")), entry]));
    for (const [key, value] of Object.entries(spec.env)) {
        env.set(key, `${key}=${value}`);
    }
    const none = { bounding: [], effective: [], inheritable: [], permitted: [], ambient: [] };
    return {
        ...base,
        process: {
            ...base.process,
            terminal: false,
            args: [...spec.command],
            env: [...env.values()],
            user: { uid: spec.user.uid, gid: spec.user.gid, additionalGids: [...spec.user.additionalGids] },
            // capabilities: drop ALL; allowPrivilegeEscalation: false. Limits inherited from this process, as a
            // containerd container's are from containerd (umoci's 1024 open files would be lower than in a pod).
            capabilities: none,
            noNewPrivileges: true,
            rlimits: [],
        },
        root: { path: spec.image.rootfs, readonly: spec.readOnlyRoot },
        hostname: spec.name,
        mounts: [
            ...base.mounts,
            ...spec.mounts.map((m) => ({
                destination: m.destination,
                type: "bind",
                source: m.source,
                options: ["rbind", m.readOnly ? "ro" : "rw"],
            })),
        ],
        linux: { ...base.linux, namespaces: base.linux.namespaces.filter((ns) => ns.type !== "network") },
    };
}

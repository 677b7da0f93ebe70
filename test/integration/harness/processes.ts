/**
 * Every JVM the harness starts, and the guarantees that none outlives the test process:
 *  1. a registry of live children, SIGKILLed on process 'exit' and on SIGINT/SIGTERM/SIGHUP;
 *  2. a watchdog inside each JVM (java/HarnessLauncher.java): its stdin is a pipe from this process,
 *     and end-of-file on it (this process died, even by SIGKILL) halts the JVM;
 *  3. children are unref()'d, so a forgotten JVM never keeps `node --test` from exiting (and 1 then
 *     kills it). Waiting for a child's exit refs it for the duration of the wait.
 */
import { ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import { JAVA, javaArgs } from "./javaBuild";
import { RunDir, tail } from "./runDir";

export interface JavaProcessSpec {
    /** Names the log files: <name>.log (log4j) and <name>.out (stdout and stderr). */
    readonly name: string;
    readonly mainClass: string;
    readonly args: readonly string[];
    readonly runDir: RunDir;
    /** Added to this process's environment. */
    readonly env?: Readonly<Record<string, string>>;
    readonly heapMb?: number;
    readonly systemProperties?: Readonly<Record<string, string>>;
    /** Whose jars the JVM runs (default: the newest supported Kafka). */
    readonly kafkaVersion?: string;
    /** A command the JVM runs under, e.g. ["nsenter", "--net=/var/run/netns/x"] to start it in a network namespace. */
    readonly launcher?: readonly string[];
}

export interface ExitInfo {
    readonly code: number | null;
    readonly signal: NodeJS.Signals | null;
}

const liveChildren = new Set<ChildProcess>();
let hooksInstalled = false;

/** SIGKILLs every live child at once (synchronous, so it is safe in an 'exit' handler). */
export function killAllJavaProcesses(): void {
    for (const child of liveChildren) {
        try {
            child.kill("SIGKILL");
        } catch {
            // Already gone.
        }
    }
}

/** The pids of the JVMs still running. */
export function liveJavaPids(): number[] {
    return [...liveChildren].map((child) => child.pid).filter((pid): pid is number => pid !== undefined);
}

function installExitHooks(): void {
    if (hooksInstalled) {
        return;
    }
    hooksInstalled = true;
    process.on("exit", killAllJavaProcesses);
    for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
        process.once(signal, () => {
            killAllJavaProcesses();
            process.kill(process.pid, signal);
        });
    }
}

/** With `capture`, stdout and stderr are pipes (runJava collects them); otherwise both go to <name>.out. */
function spawnJava(spec: JavaProcessSpec, capture: boolean): { child: ChildProcess; outFile: string; logFile: string } {
    installExitHooks();
    const logFile = spec.runDir.file(`${spec.name}.log`);
    const outFile = spec.runDir.file(`${spec.name}.out`);
    const outFd = fs.openSync(outFile, "a");
    const args = javaArgs(spec.mainClass, spec.args, {
        heapMb: spec.heapMb,
        log4jConfig: spec.runDir.log4jConfig,
        logFile,
        systemProperties: spec.systemProperties,
        kafkaVersion: spec.kafkaVersion,
    });
    fs.writeSync(
        outFd,
        `\n--- ${new Date().toISOString()} ${JAVA} ... HarnessLauncher ${spec.mainClass} ${spec.args.join(" ")}\n`,
    );
    const [command, ...prefix] = [...(spec.launcher ?? []), JAVA];
    const child = spawn(command, [...prefix, ...args], {
        cwd: spec.runDir.path,
        env: { ...process.env, ...spec.env },
        stdio: capture ? ["pipe", "pipe", "pipe"] : ["pipe", outFd, outFd],
    });
    fs.closeSync(outFd);
    liveChildren.add(child);
    child.once("exit", () => liveChildren.delete(child));
    child.once("error", () => liveChildren.delete(child));
    child.stdin?.on("error", () => undefined);
    return { child, outFile, logFile };
}

/** A long-running JVM (broker, Connect worker). */
export class JavaProcess {
    readonly name: string;
    readonly logFile: string;
    readonly outFile: string;
    private readonly child: ChildProcess;
    private readonly exit: Promise<ExitInfo>;
    private exitInfo: ExitInfo | undefined;

    constructor(spec: JavaProcessSpec) {
        this.name = spec.name;
        const { child, outFile, logFile } = spawnJava(spec, false);
        this.child = child;
        this.outFile = outFile;
        this.logFile = logFile;
        this.exit = new Promise((resolve) => {
            child.once("exit", (code, signal) => {
                this.exitInfo = { code, signal };
                child.stdin?.destroy();
                resolve(this.exitInfo);
            });
            child.once("error", (error) => {
                this.exitInfo = { code: null, signal: null };
                fs.appendFileSync(this.outFile, `harness: could not start ${JAVA}: ${error.message}\n`);
                resolve(this.exitInfo);
            });
        });
        child.unref();
        if (child.stdin instanceof net.Socket) {
            child.stdin.unref();
        }
    }

    get pid(): number {
        return this.child.pid ?? -1;
    }

    get running(): boolean {
        return this.exitInfo === undefined;
    }

    /** Undefined while running; otherwise how it ended. */
    get exited(): ExitInfo | undefined {
        return this.exitInfo;
    }

    /** Resolves when the JVM has exited. */
    async waitForExit(): Promise<ExitInfo> {
        if (this.exitInfo !== undefined) {
            return this.exitInfo;
        }
        this.child.ref();
        try {
            return await this.exit;
        } finally {
            this.child.unref();
        }
    }

    /** SIGTERM (graceful shutdown hooks run), then SIGKILL if still alive after `timeoutMs`. */
    async stop(timeoutMs = 20_000): Promise<ExitInfo> {
        if (this.exitInfo !== undefined) {
            return this.exitInfo;
        }
        this.child.kill("SIGTERM");
        const timer = setTimeout(() => this.child.kill("SIGKILL"), timeoutMs);
        try {
            return await this.waitForExit();
        } finally {
            clearTimeout(timer);
        }
    }

    /** SIGKILL: the JVM dies at once, as a crashed pod would. */
    async kill(): Promise<ExitInfo> {
        if (this.exitInfo === undefined) {
            this.child.kill("SIGKILL");
        }
        return this.waitForExit();
    }

    /** A message for errors: how it exited and the tail of its output. */
    describeExit(): string {
        const info = this.exitInfo;
        const how = info === undefined ? "is running" : `exited (code ${info.code}, signal ${info.signal})`;
        return `${this.name} ${how}; log ${this.logFile}, output ${this.outFile}:\n${tail(this.outFile, 15)}`;
    }
}

/**
 * Runs a short JVM program to completion and returns its stdout; throws on a non-zero exit or
 * timeout with its stderr. Stderr is also appended to <name>.out.
 */
export function runJava(spec: JavaProcessSpec & { readonly timeoutMs: number }): Promise<string> {
    const { child, outFile } = spawnJava(spec, true);
    return new Promise((resolve, reject) => {
        const stdout: Buffer[] = [];
        const stderr: Buffer[] = [];
        child.stdout?.on("data", (chunk: Buffer) => stdout.push(chunk));
        child.stderr?.on("data", (chunk: Buffer) => stderr.push(chunk));
        const timer = setTimeout(() => child.kill("SIGKILL"), spec.timeoutMs);
        child.once("error", (error) => {
            clearTimeout(timer);
            reject(new Error(`harness: could not start ${JAVA} for ${spec.mainClass}: ${error.message}`));
        });
        child.once("close", (code, signal) => {
            clearTimeout(timer);
            child.stdin?.destroy();
            const errors = Buffer.concat(stderr).toString("utf8");
            fs.appendFileSync(outFile, errors);
            if (code === 0) {
                resolve(Buffer.concat(stdout).toString("utf8"));
            } else {
                const why =
                    signal === "SIGKILL"
                        ? `timed out after ${spec.timeoutMs} ms`
                        : `exited with code ${code} (signal ${signal})`;
                const lastLines = errors.trimEnd().split("\n").slice(-20).join("\n");
                reject(
                    new Error(
                        `harness: ${spec.mainClass} ${why}; see ${outFile} and ` +
                            `${spec.runDir.file(`${spec.name}.log`)}:\n${lastLines}`,
                    ),
                );
            }
        });
    });
}

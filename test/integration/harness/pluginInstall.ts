/**
 * The stand-in kubelet's init container: runs the `install-plugins` init container the component renders
 * (renderPluginInitContainers over resolvePlugins: its command, with the rendered install script as an argument)
 * on this machine, with a fresh folder per worker standing in for the pod's emptyDir. Download, checksum check
 * and unpacking are the real code path; only sh, curl, sha512sum, tar and unzip come from this machine instead of
 * the installer image.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import type { PluginArgs } from "../../../components/config/plugins";
import { resolvePlugins } from "../../../components/config/plugins";
import { pluginPathEntries, renderPluginInitContainers, withPluginEnv } from "../../../components/render/pluginPod";
import type { ResolvedPlugin } from "../../../components/render/plugins";
import { RunDir } from "./runDir";

export interface PluginInstall {
    /** The stand-in for the pod's plugins emptyDir (one folder per target, one subfolder per plugin). */
    readonly dir: string;
    /** The plugin.path entries `plugins` adds, as the component renders them for this folder. */
    readonly pluginPath: readonly string[];
    /**
     * The `-javaagent:` flags of java-agent plugins, as the component renders KAFKA_OPTS for this folder; undefined
     * without such plugins. kafka-run-class.sh puts KAFKA_OPTS on the java command line; the harness starts java
     * itself and passes them in JDK_JAVA_OPTIONS, which the java launcher reads as command-line options.
     */
    readonly kafkaOpts?: string;
    /** From start to exit of the init container's command: download, verify, unpack. */
    readonly ms: number;
    /** What it printed (stdout then stderr), also kept in <name>.log. */
    readonly output: string;
}

/** Thrown when the init container's command exits non-zero: the pod's worker must not start. */
export class PluginInstallError extends Error {
    constructor(
        message: string,
        /** What the command wrote to stderr (the install script's message names the plugin and artifact). */
        readonly stderr: string,
    ) {
        super(message);
        this.name = "PluginInstallError";
    }
}

/**
 * Runs the rendered init container's command with <run folder>/<name>/ as its emptyDir and returns where it
 * installed; throws PluginInstallError (the worker is then not started) when it fails.
 */
export async function installPlugins(
    runDir: RunDir,
    name: string,
    plugins: readonly PluginArgs[] | readonly ResolvedPlugin[],
): Promise<PluginInstall> {
    // Plugins the component resolved itself (e.g. the metrics exporter agent) are taken as they are.
    const resolved = plugins.every((p) => "images" in p)
        ? (plugins as readonly ResolvedPlugin[])
        : resolvePlugins(plugins as readonly PluginArgs[]);
    const dir = runDir.file(name);
    const layout = { installDir: dir, imagesDir: `${dir}-images` };
    const [init] = renderPluginInitContainers(resolved, { image: "not pulled: the harness runs the command" }, layout);
    if (init === undefined) {
        throw new Error(`harness: ${name}: these plugins render no init container (nothing to download)`);
    }
    const [file, ...args] = init.command;
    fs.writeFileSync(runDir.file(`${name}.command.json`), JSON.stringify(init.command, null, 1));
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir);
    const began = Date.now();
    const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>(
        (resolve) => {
            execFile(file, args, { timeout: 5 * 60_000, maxBuffer: 1 << 20 }, (error, out, err) =>
                resolve({
                    code: error === null ? 0 : typeof error.code === "number" ? error.code : null,
                    stdout: out,
                    stderr: err,
                }),
            );
        },
    );
    const ms = Date.now() - began;
    const output = stdout + stderr;
    fs.writeFileSync(runDir.file(`${name}.log`), output);
    if (code !== 0) {
        throw new PluginInstallError(
            `harness: ${name} (the install-plugins init container) failed with exit code ${code}, so the worker ` +
                `was not started: ${stderr.trim()}`,
            stderr,
        );
    }
    const kafkaOpts = withPluginEnv([], resolved, layout).find((e) => e.name === "KAFKA_OPTS")?.value;
    return { dir, pluginPath: pluginPathEntries(resolved, layout), kafkaOpts, ms, output };
}

/**
 * Shared by the end-to-end tests: the engine pieces from scripts/setup-engine, the environment every
 * Pulumi run gets (local file backend, passphrase secrets, no update checks or plugin downloads), and
 * searching state files for leaked secrets.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { LocalWorkspace, PulumiCommand, PulumiFn, Stack } from "@pulumi/pulumi/automation";
import { repoRoot } from "../integration/harness";

export const ENGINE_ROOT = path.join(repoRoot(), ".cache", "engine");
export const ENGINE_BIN = path.join(ENGINE_ROOT, "bin");

/** A kubeconfig whose API server nobody listens on: for previews that reach no cluster. */
export const UNREACHABLE_KUBECONFIG = JSON.stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: "none", cluster: { server: "https://127.0.0.1:9" } }],
    contexts: [{ name: "none", context: { cluster: "none", user: "none" } }],
    "current-context": "none",
    users: [{ name: "none", user: { token: "none" } }],
});

export type EngineCheck = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/** Builds (or finds, cached) the given setup-engine components; the reason when they cannot be built here. */
export function prepareEngine(components: readonly string[]): EngineCheck {
    try {
        execFileSync(path.join(repoRoot(), "scripts", "setup-engine"), [...components], {
            stdio: ["ignore", "ignore", "inherit"],
            timeout: 60 * 60_000,
        });
        return { ok: true };
    } catch (error) {
        return {
            ok: false,
            reason: `scripts/setup-engine ${components.join(" ")} failed: ${(error as Error).message.split("\n")[0]}`,
        };
    }
}

/** The environment of a Pulumi run with its state in `backendDir`. */
export function engineEnv(
    backendDir: string,
    passphrase: string,
    extra: Readonly<Record<string, string>> = {},
): Record<string, string> {
    return {
        PULUMI_BACKEND_URL: `file://${backendDir}`,
        PULUMI_CONFIG_PASSPHRASE: passphrase,
        PULUMI_SKIP_UPDATE_CHECK: "true",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
        // Ambient plugins (pulumi-resource-kubernetes, -kafka) are found on PATH whatever version the SDK asks for.
        PATH: `${ENGINE_BIN}:${process.env.PATH ?? ""}`,
        ...extra,
    };
}

/**
 * The stack `dev` of an inline `program` in `workDir`, its state in `backendDir`, run by the engine from
 * scripts/setup-engine.
 */
export async function inlineStack(
    projectName: string,
    program: PulumiFn,
    workDir: string,
    backendDir: string,
    passphrase = "e2e-passphrase",
): Promise<Stack> {
    return LocalWorkspace.createOrSelectStack(
        { projectName, stackName: "dev", program },
        {
            workDir,
            pulumiCommand: await PulumiCommand.get({ root: ENGINE_ROOT }),
            envVars: engineEnv(backendDir, passphrase),
        },
    );
}

/** The stack state files (and their backups) a file backend wrote under `backendDir`. */
export function stateFiles(backendDir: string): string[] {
    return filesUnder(path.join(backendDir, ".pulumi")).filter((file) => file.endsWith(".json"));
}

function filesUnder(dir: string): string[] {
    if (!fs.existsSync(dir)) {
        return [];
    }
    return fs
        .readdirSync(dir, { withFileTypes: true })
        .flatMap((entry) =>
            entry.isDirectory() ? filesUnder(path.join(dir, entry.name)) : [path.join(dir, entry.name)],
        );
}

/** JSON paths of the string values that contain `needle` (names where a secret leaked, not the secret). */
export function pathsContaining(value: unknown, needle: string, at = "$"): string[] {
    if (typeof value === "string") {
        return value.includes(needle) ? [at] : [];
    }
    if (value !== null && typeof value === "object") {
        return Object.entries(value).flatMap(([key, child]) => pathsContaining(child, needle, `${at}.${key}`));
    }
    return [];
}

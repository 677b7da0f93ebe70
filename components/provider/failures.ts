/**
 * Failed connectors and tasks as the provider reports them: which units FAILED in a status, and their traces
 * cut to their first lines with every `secretConfig` value taken out. The provider never holds the secret values:
 * it gets an HMAC of each (keyed by the component's salt) and its length, and finds the values in a trace by
 * comparing the HMAC of every substring of that length. No Pulumi import: serialized with the provider.
 */
import { createHmac } from "crypto";
import type { ConnectorStatus } from "../rest/restTypes";
import { PROVIDER_DEFAULTS } from "../rest/providerDefaults";

/** What the provider knows of the secret values: a keyed digest and the length of each; stored as a secret. */
export interface SecretRedaction {
    readonly salt: string;
    readonly values: readonly { readonly length: number; readonly digest: string }[];
}

/** What replaces a secret value in a trace. */
export const REDACTED = "[redacted]";

/** The digest of one secret value (domain-separated from the pod template's checksum, which uses the same key). */
function digestOf(salt: string, value: string): string {
    return createHmac("sha256", salt).update("redact\0").update(value).digest("hex");
}

/** The redaction data for secret values (for the component; pure). Empty values are left out. */
export function secretRedaction(values: readonly string[], salt: string): SecretRedaction {
    const distinct = [...new Set(values.filter((value) => value.length > 0))].sort();
    return { salt, values: distinct.map((value) => ({ length: value.length, digest: digestOf(salt, value) })) };
}

/** `text` with every occurrence of a secret value replaced by `[redacted]`, longest values first. */
export function redactSecrets(text: string, redaction: SecretRedaction | undefined): string {
    if (redaction === undefined || redaction.values.length === 0) {
        return text;
    }
    const lengths = [...new Set(redaction.values.map((value) => value.length))].sort((a, b) => b - a);
    let result = text;
    for (const length of lengths) {
        const digests = new Set(redaction.values.filter((v) => v.length === length).map((v) => v.digest));
        let out = "";
        let i = 0;
        while (i < result.length) {
            if (i + length <= result.length && digests.has(digestOf(redaction.salt, result.slice(i, i + length)))) {
                out += REDACTED;
                i += length;
            } else {
                out += result[i];
                i += 1;
            }
        }
        result = out;
    }
    return result;
}

/**
 * A trace as outputs and errors show it: its first `traceLines` lines (the exception, its message and where it
 * was thrown), secret values redacted, at most `traceMaxChars` characters. Whole lines are redacted before
 * they are cut, so no value is cut in half first.
 */
export function shortTrace(trace: string, redaction: SecretRedaction | undefined): string {
    const lines = trace.split("\n");
    const kept = lines.slice(0, PROVIDER_DEFAULTS.traceLines).join("\n");
    let short = redactSecrets(kept, redaction);
    if (short.length > PROVIDER_DEFAULTS.traceMaxChars) {
        short = `${short.slice(0, PROVIDER_DEFAULTS.traceMaxChars)}…`;
    }
    const more = lines.length - PROVIDER_DEFAULTS.traceLines;
    return more > 0 ? `${short}\n\t... (${more} more lines)` : short;
}

/** The units of a status that FAILED, as `connector` and `task <id>`, connector first. */
export function failedUnits(status: ConnectorStatus | undefined): string[] {
    if (status === undefined) {
        return [];
    }
    return [
        ...(status.connector.state === "FAILED" ? ["connector"] : []),
        ...status.tasks.filter((task) => task.state === "FAILED").map((task) => `task ${task.id}`),
    ];
}

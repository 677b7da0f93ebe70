/** Polling with a deadline, and the error messages that point at the logs. */

export interface WaitOptions {
    readonly timeoutMs: number;
    readonly intervalMs?: number;
    /** Called each round; a returned message aborts the wait at once (e.g. "the JVM exited"). */
    readonly abortIf?: () => string | undefined;
    /** Appended to the error (evaluated when it is thrown), typically the tail of a log file. */
    readonly hint?: () => string;
}

/** Calls `probe` until it returns a value other than undefined; throws after the timeout. */
export async function waitFor<T>(
    what: string,
    probe: () => Promise<T | undefined> | T | undefined,
    options: WaitOptions,
): Promise<T> {
    const deadline = Date.now() + options.timeoutMs;
    let lastError: unknown;
    for (;;) {
        const abort = options.abortIf?.();
        if (abort !== undefined) {
            throw new Error(`harness: gave up waiting for ${what}: ${abort}${hintOf(options)}`);
        }
        try {
            const value = await probe();
            if (value !== undefined) {
                return value;
            }
        } catch (error) {
            lastError = error;
        }
        if (Date.now() > deadline) {
            const cause = lastError instanceof Error ? ` (last error: ${lastError.message})` : "";
            throw new Error(
                `harness: timed out after ${options.timeoutMs} ms waiting for ${what}${cause}${hintOf(options)}`,
            );
        }
        await sleep(options.intervalMs ?? 200);
    }
}

export function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
}

function hintOf(options: WaitOptions): string {
    return options.hint === undefined ? "" : `; ${options.hint()}`;
}

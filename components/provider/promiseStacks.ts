/**
 * Pulumi's Node.js SDK formats a stack trace for every promise it makes while a resource is constructed (four per
 * property), kept only for its report of promises still pending when the program exits. The language host formats
 * each through source maps: in a no-change preview of 500 connectors that was a third of the program's CPU
 * (bench/RESULTS.md, P4). A `Connector` is constructed with those traces left empty; the SDK takes the resource's
 * source position with its own limit, so that is kept. Set `PULUMI_DEBUG_PROMISE_LEAKS` (the SDK's switch for
 * debugging that report) to keep them.
 */

/** Leaves the stack traces of errors made from now on empty; returns the function that restores the limit. */
export function suspendPromiseStackTraces(env: NodeJS.ProcessEnv = process.env): () => void {
    if (env.PULUMI_DEBUG_PROMISE_LEAKS) {
        return () => undefined;
    }
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    return () => {
        Error.stackTraceLimit = limit;
    };
}

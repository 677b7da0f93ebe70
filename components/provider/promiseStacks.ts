/**
 * Pulumi's Node.js SDK formats a stack trace for every promise it makes while a resource is constructed (four per
 * property), kept only for its report of promises still pending when the program exits. The language host formats
 * each through source maps: in a no-change preview of 500 connectors that was a third of the program's CPU
 * (bench/RESULTS.md, P4). A `Connector` is constructed with those traces left empty; the SDK takes the resource's
 * source position with its own limit, so that is kept. What else is made in that window has no trace either:
 *  - an error the construction throws gets one afterwards, from the `Connector`'s caller (`withStackTrace`);
 *  - an error the SDK makes there and rejects later (a failed registration, such as a duplicate name) keeps only its
 *    message, which names the resource;
 *  - errors made by resource transformations (`transformations`, not `transforms`) run inside the constructor.
 * Set `PULUMI_DEBUG_PROMISE_LEAKS` (the SDK's switch for debugging that report) to keep every trace.
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

type StackTraceCaller = NonNullable<Parameters<typeof Error.captureStackTrace>[1]>;

/** The error, given a stack trace from `caller`'s caller if it was made without one (an error with frames as is). */
export function withStackTrace(error: unknown, caller: StackTraceCaller): unknown {
    if (error instanceof Error && !/\n\s+at /.test(error.stack ?? "")) {
        Error.captureStackTrace(error, caller);
    }
    return error;
}

/**
 * The package's one error type: every error the component, its config checks, the REST client and the
 * dynamic provider raise is made by `connectClusterError`. No imports: the dynamic provider's code is
 * serialized into the stack state, and this module with it.
 *
 * A factory, not `class … extends Error`: serialized, such a class made objects that were not Errors
 * (no `message`, `instanceof` false, printed as "[object Object]"). The factory returns a real Error,
 * recognised by its name (`isConnectClusterError`, or `instanceof ConnectClusterError`, which asks the same).
 *
 * Messages name the field and the fix and never contain a secret value. The error carries no stack frames:
 * Pulumi's dynamic provider host prints `${error}: ${error.stack}`, and frames of serialized code
 * (`at __connectRestError (<anonymous>:185:34)`) tell a reader of `pulumi up` nothing.
 */

/**
 * What went wrong. `invalid-input`: an argument the component cannot accept (see `field`). The others come
 * from the Kafka Connect REST API or the provider's operations:
 * - permanent: `not-found` (404), `conflict` (409 such as "already exists"), `bad-request` (4xx, or a client
 *   error Connect wraps in a 500), `server` (a 5xx with an exception that is no known transient condition,
 *   e.g. `NoClassDefFoundError` from a broken plugin), `failed` (a connector or task FAILED), `timeout`
 *   (a connector did not reach a state in time);
 * - transient, retried until the deadline: `rebalancing` (409 while the workers rebalance or have no leader),
 *   `kafka-unavailable` (500 "Request timed out": the workers cannot complete the request against Kafka),
 *   `unavailable` (502/503/504: the workers or a proxy in front of them are not ready), `unreachable`
 *   (connection refused or no route), `no-answer` (connected, but no answer within the request timeout).
 */
export type ConnectClusterErrorKind =
    | "invalid-input"
    | "not-found"
    | "conflict"
    | "bad-request"
    | "server"
    | "failed"
    | "timeout"
    | "rebalancing"
    | "kafka-unavailable"
    | "unavailable"
    | "unreachable"
    | "no-answer";

/** An error raised by this package. */
export interface ConnectClusterError extends Error {
    readonly name: "ConnectClusterError";
    readonly kind: ConnectClusterErrorKind;
    /** The argument the error is about, e.g. `restAccess.url` or `connectors["sink"].config`, when there is one. */
    readonly field?: string;
    /** The HTTP status Kafka Connect answered, for REST errors that had an answer. */
    readonly status?: number;
}

/** Makes a ConnectClusterError: a real Error with the name, kind and field, and no stack frames. */
export function connectClusterError(
    kind: ConnectClusterErrorKind,
    message: string,
    details: { readonly field?: string; readonly status?: number } = {},
): ConnectClusterError {
    const error = new Error(message);
    // Own properties, so they survive whatever the serialized code's prototypes look like.
    Object.defineProperty(error, "name", { value: "ConnectClusterError", enumerable: false, writable: true });
    Object.defineProperty(error, "stack", { value: "", enumerable: false, writable: true });
    // The message stays as written: Pulumi prefixes `error serializing property "metadata": ` to the message of an
    // error raised while an Output resolves, once per child that awaits it (the same error object), so a user read
    // "error serializing property "metadata": error serializing property "metadata": … replicas must be …". Our
    // messages name the argument already; the property path of a child's input tells a user nothing more.
    Object.defineProperty(error, "message", {
        get: () => message,
        set: () => undefined,
        enumerable: false,
        configurable: true,
    });
    const extra: { kind: ConnectClusterErrorKind; field?: string; status?: number } = { kind };
    if (details.field !== undefined) {
        extra.field = details.field;
    }
    if (details.status !== undefined) {
        extra.status = details.status;
    }
    return Object.assign(error, extra) as ConnectClusterError;
}

/**
 * `error` with another message, keeping its kind, field and status; an error from elsewhere (a bug, a parse
 * error) becomes kind `failed`.
 */
export function withMessage(error: unknown, message: string): ConnectClusterError {
    return isConnectClusterError(error)
        ? connectClusterError(error.kind, message, { field: error.field, status: error.status })
        : connectClusterError("failed", message);
}

/** Whether `error` is a ConnectClusterError (recognised by its name: there is no class to test against). */
export function isConnectClusterError(error: unknown): error is ConnectClusterError {
    return typeof error === "object" && error !== null && (error as { name?: unknown }).name === "ConnectClusterError";
}

/**
 * `error instanceof ConnectClusterError` for callers used to the class this once was: true for any error
 * `connectClusterError` made, here or in the serialized provider.
 */
export const ConnectClusterError: { [Symbol.hasInstance](value: unknown): value is ConnectClusterError } = {
    [Symbol.hasInstance]: (value: unknown): value is ConnectClusterError => isConnectClusterError(value),
};

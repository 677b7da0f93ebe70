/**
 * How HTTP answers and network failures become ConnectClusterErrors: which are transient (worth retrying),
 * which permanent, and messages that name the request, the connector, the cause and the fix (never a
 * credential: URLs are shown without user-info). The messages Connect gives for its transient conditions are
 * those of its REST layer (HerderRequestHandler, ConnectorPluginsResource in connect/runtime).
 */
import { ConnectClusterError, connectClusterError, ConnectClusterErrorKind } from "../errors";

export interface HttpResponse {
    readonly status: number;
    readonly body: string;
}

/** Kinds the client retries until its deadline: the condition passes without anyone changing anything. */
export const TRANSIENT_KINDS: readonly ConnectClusterErrorKind[] = [
    "rebalancing",
    "kafka-unavailable",
    "unavailable",
    "unreachable",
    "no-answer",
];

export function isTransient(error: ConnectClusterError): boolean {
    return TRANSIENT_KINDS.includes(error.kind);
}

// Arrays, not Sets: Pulumi serializes the dynamic provider with the module values it captures, and a Set
// comes back from that as a plain object (found when the first request of a real `up` timed out).
/** Failures before the request reached a worker (refused while it starts, no route, no DNS answer yet). */
const UNREACHABLE_CODES: readonly string[] = [
    "ECONNREFUSED",
    "ECONNRESET",
    "EPIPE",
    "ETIMEDOUT",
    "EHOSTUNREACH",
    "ENETUNREACH",
    "EAI_AGAIN",
    "ENOTFOUND",
];

/** The code the client gives its own request timeout once the worker has accepted the connection. */
export const NO_ANSWER_CODE = "CONNECT_CLUSTER_NO_ANSWER";

/**
 * 409s Connect gives while the group rebalances or has no leader (RebalanceNeededException, a NotLeaderException
 * without a leader URL, forwarding that found no target within two hops). Any other 409 (e.g. "Connector x
 * already exists") is permanent.
 */
const REBALANCING_409 = /^Cannot complete request (momentarily|because of a conflicting operation)|rebalance/i;

/**
 * 500s a worker gives when forwarding to the leader fails (the leader is changing or gone), or when a read
 * waits on a rebalance (a RebalanceNeededException wrapped in an ExecutionException, seen on GET
 * /connectors/<n>/config during worker churn).
 */
const FORWARDING_500 = /^(IO )?Error trying to forward REST request|^Request cannot be completed because a rebalance/;

/**
 * The herder did not complete the request within Connect's REST timeout (90 s; "Request timed out" or, since
 * KIP-1017, "Request timed out. The worker is currently …"): typically the workers cannot reach Kafka.
 */
const REQUEST_TIMED_OUT_500 = /^Request timed out/;

/**
 * A sink's offsets are altered or reset (KIP-875) only once its stopped tasks have left the consumer group; until
 * then Connect answers 500 "Failed to alter (reset) consumer group offsets for connector … this operation can be
 * safely retried".
 */
const SINK_GROUP_ACTIVE_500 = /^Failed to (alter|reset) consumer group offsets .*can be safely retried/s;

/**
 * Some client errors reach us as 500: Connect wraps them in an ExecutionException (e.g. validating an
 * unknown connector class). Retrying those cannot help.
 */
const CLIENT_ERROR_AS_500 = /BadRequestException|NotFoundException|Failed to find any class that implements/;

export function httpError(method: string, path: string, subject: string, response: HttpResponse): ConnectClusterError {
    const text = errorText(response.body);
    const status = response.status;
    const request = `${method} ${path.split("?")[0]} for ${subject}`;
    const transient = (kind: ConnectClusterErrorKind, cause: string) =>
        connectClusterError(kind, `Kafka Connect answered ${status}: ${text} — ${cause} (${request})`, { status });
    if (status === 409 && REBALANCING_409.test(text)) {
        return transient("rebalancing", "the workers are rebalancing or have no leader yet");
    }
    if (status === 500 && FORWARDING_500.test(text)) {
        return transient("rebalancing", "the workers are rebalancing or have no leader yet");
    }
    if (status === 500 && SINK_GROUP_ACTIVE_500.test(text)) {
        return transient("rebalancing", "the stopped sink's tasks have not left its consumer group yet");
    }
    if (status === 500 && REQUEST_TIMED_OUT_500.test(text)) {
        return transient("kafka-unavailable", "is the Kafka cluster reachable from the workers?");
    }
    if (status === 502 || status === 503 || status === 504) {
        return transient("unavailable", "the workers, or a proxy in front of them, are not ready");
    }
    const kind: ConnectClusterErrorKind =
        status === 404
            ? "not-found"
            : status === 409
              ? "conflict"
              : status >= 500 && !CLIENT_ERROR_AS_500.test(text)
                ? "server"
                : "bad-request";
    // With BasicAuthSecurityRestExtension, Connect answers 401 "User cannot access the resource." to missing or wrong
    // credentials.
    // Only 401: a 403 usually comes from Kubernetes RBAC refusing services/proxy on the default access path.
    const hint =
        status === 401
            ? " (the workers require REST basic auth: check restAccess.username and password against restAuth.users)"
            : "";
    // A 5xx carries an exception's message, sometimes with its trace: the first line says what it is.
    const shown = status >= 500 ? text.split("\n")[0].trimEnd() : text;
    return connectClusterError(kind, `Kafka Connect rejected ${request}: HTTP ${status}: ${shown}${hint}`, { status });
}

/** Node's codes for a server certificate the client does not trust (or that does not name the host). */
// An array for the same reason as UNREACHABLE_CODES.
const UNTRUSTED_CERTIFICATE_CODES: readonly string[] = [
    "SELF_SIGNED_CERT_IN_CHAIN",
    "DEPTH_ZERO_SELF_SIGNED_CERT",
    "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
    "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
    "CERT_HAS_EXPIRED",
    "ERR_TLS_CERT_ALTNAME_INVALID",
];

/** Connect answers errors as `{"error_code":..., "message": "..."}`; show the message verbatim. */
function errorText(body: string): string {
    try {
        const parsed = JSON.parse(body) as { message?: unknown };
        if (typeof parsed.message === "string") {
            return parsed.message;
        }
    } catch {
        // not JSON: fall through to the raw text
    }
    return body.trim().slice(0, 2000) || "(empty body)";
}

export function networkError(
    method: string,
    path: string,
    subject: string,
    baseUrl: string,
    error: unknown,
): ConnectClusterError {
    const code = (error as { code?: string }).code ?? "";
    const reason = error instanceof Error ? error.message : String(error);
    const request = `${method} ${path.split("?")[0]} for ${subject}`;
    if (UNTRUSTED_CERTIFICATE_CODES.includes(code)) {
        // Retrying cannot help, and "unreachable" would send the reader to the network.
        return connectClusterError(
            "bad-request",
            `Kafka Connect REST API at ${safeOrigin(baseUrl)} presented a TLS certificate this client does not ` +
                `accept (${request}): ${reason} [${code}]. ` +
                `Set restAccess.caCertificatePem to the CA that signed the workers' certificate, and use a host name ` +
                `the certificate names.`,
            { field: "restAccess.caCertificatePem" },
        );
    }
    if (code === NO_ANSWER_CODE) {
        return connectClusterError(
            "no-answer",
            `Kafka Connect REST API at ${safeOrigin(baseUrl)} accepted the connection but did not answer within ` +
                `${(error as { timeoutMs?: number }).timeoutMs} ms (${request})`,
        );
    }
    const kind: ConnectClusterErrorKind =
        UNREACHABLE_CODES.includes(code) || code === "" ? "unreachable" : "bad-request";
    return connectClusterError(
        kind,
        `Kafka Connect REST API at ${safeOrigin(baseUrl)} is unreachable (${request}): ${reason}`,
    );
}

/** Scheme, host and port only: a URL may carry credentials in its user-info part. */
export function safeOrigin(baseUrl: string): string {
    try {
        const url = new URL(baseUrl);
        return `${url.protocol}//${url.host}${url.pathname === "/" ? "" : url.pathname}`;
    } catch {
        return "(invalid URL)";
    }
}

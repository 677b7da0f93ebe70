/**
 * How HTTP answers and network failures become ConnectRestErrors: which are worth retrying, and messages
 * that name the request, the connector and the fix (never a credential: URLs are shown without user-info).
 */
import { ConnectErrorKind, ConnectRestError, connectRestError } from "./restTypes";

export interface HttpResponse {
    readonly status: number;
    readonly body: string;
}

// An array, not a Set: Pulumi serializes the dynamic provider with the module values it captures, and a Set
// comes back from that as a plain object (found when the first request of a real `up` timed out).
const TRANSIENT_NETWORK_CODES: readonly string[] = [
    "ECONNREFUSED",
    "ECONNRESET",
    "EPIPE",
    "ETIMEDOUT",
    "EHOSTUNREACH",
    "ENETUNREACH",
    "EAI_AGAIN",
    "ENOTFOUND",
];

/**
 * Some client errors reach us as 500: Connect wraps them in an ExecutionException (e.g. validating an
 * unknown connector class). Retrying those cannot help.
 */
const CLIENT_ERROR_AS_500 = /BadRequestException|NotFoundException|Failed to find any class that implements/;

export function httpError(method: string, path: string, subject: string, response: HttpResponse): ConnectRestError {
    const text = errorText(response.body);
    const kind: ConnectErrorKind =
        response.status === 404
            ? "not-found"
            : response.status === 409
              ? "conflict"
              : response.status >= 500 && !CLIENT_ERROR_AS_500.test(text)
                ? "server"
                : "bad-request";
    // With BasicAuthSecurityRestExtension, Connect answers 401 "User cannot access the resource." to missing or wrong
    // credentials.
    // Only 401: a 403 usually comes from Kubernetes RBAC refusing services/proxy on the default access path.
    const hint =
        response.status === 401
            ? " (the workers require REST basic auth: check restAccess.username and password against restAuth.users)"
            : "";
    return connectRestError(
        kind,
        `Kafka Connect rejected ${method} ${path.split("?")[0]} for ${subject}: HTTP ${response.status}: ` +
            `${text}${hint}`,
        response.status,
    );
}

/** Node's codes for a server certificate the client does not trust (or that does not name the host). */
// An array for the same reason as TRANSIENT_NETWORK_CODES.
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

export function networkError(method: string, subject: string, baseUrl: string, error: unknown): ConnectRestError {
    const code = (error as { code?: string }).code ?? "";
    const reason = error instanceof Error ? error.message : String(error);
    if (UNTRUSTED_CERTIFICATE_CODES.includes(code)) {
        // Retrying cannot help, and "unreachable" would send the reader to the network.
        return connectRestError(
            "bad-request",
            `Kafka Connect REST API at ${safeOrigin(baseUrl)} presented a TLS certificate this client does not ` +
                `accept (${method} for ${subject}): ${reason} [${code}]. ` +
                `Set restAccess.caCertificatePem to the CA that signed the workers' certificate, and use a host name ` +
                `the certificate names.`,
        );
    }
    const kind: ConnectErrorKind =
        TRANSIENT_NETWORK_CODES.includes(code) || code === "" ? "unreachable" : "bad-request";
    return connectRestError(
        kind,
        `Kafka Connect REST API at ${safeOrigin(baseUrl)} is unreachable (${method} for ${subject}): ${reason}`,
    );
}

/** Scheme, host and port only: a URL may carry credentials in its user-info part. */
function safeOrigin(baseUrl: string): string {
    try {
        const url = new URL(baseUrl);
        return `${url.protocol}//${url.host}${url.pathname === "/" ? "" : url.pathname}`;
    } catch {
        return "(invalid URL)";
    }
}

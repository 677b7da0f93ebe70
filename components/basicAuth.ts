/**
 * HTTP basic auth, shared by the renderers (the probe's Authorization file) and the REST layer (requests).
 * A base module: it imports nothing from the layers above it.
 */

/** The `Authorization` header value for HTTP basic auth. */
export function basicAuthorization(username: string, password: string): string {
    return `Basic ${Buffer.from(`${username}:${password}`, "utf8").toString("base64")}`;
}

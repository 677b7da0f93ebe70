/** Minimal JSON-over-HTTP(S) with node:http (no keep-alive, so nothing lingers after a test). */
import * as http from "node:http";
import * as https from "node:https";

export interface HttpResponse {
    readonly status: number;
    readonly text: string;
    /** The parsed body, or undefined if it is not JSON. */
    readonly json: unknown;
}

/** For workers with REST basic auth or an HTTPS listener. */
export interface HttpOptions {
    readonly timeoutMs?: number;
    /** Extra request headers, e.g. Authorization. */
    readonly headers?: Readonly<Record<string, string>>;
    /** PEM CA to trust for https URLs. */
    readonly caPem?: string;
    /**
     * Verify the certificate chain against `caPem` but not the host name, for URLs with an address the
     * certificate does not name. (Sending the name as SNI instead makes Jetty answer 400 "Invalid SNI":
     * it checks that the Host header matches the certificate selected by SNI.)
     */
    readonly skipHostnameCheck?: boolean;
}

export function httpRequest(
    method: string,
    url: string,
    body?: unknown,
    options: number | HttpOptions = {},
): Promise<HttpResponse> {
    const {
        timeoutMs = 30_000,
        headers = {},
        caPem,
        skipHostnameCheck,
    } = typeof options === "number" ? { timeoutMs: options } : options;
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const isHttps = url.startsWith("https:");
    return new Promise((resolve, reject) => {
        const request = (isHttps ? https : http).request(
            url,
            {
                method,
                agent: false,
                timeout: timeoutMs,
                ...(isHttps ? { ca: caPem } : {}),
                ...(isHttps && skipHostnameCheck ? { checkServerIdentity: () => undefined } : {}),
                headers: {
                    Accept: "application/json",
                    Connection: "close",
                    ...(payload === undefined
                        ? {}
                        : { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(payload) }),
                    // Last, so a caller may send another Content-Type (e.g. a merge patch).
                    ...headers,
                },
            },
            (response) => {
                const chunks: Buffer[] = [];
                response.on("data", (chunk: Buffer) => chunks.push(chunk));
                response.on("end", () => {
                    const text = Buffer.concat(chunks).toString("utf8");
                    resolve({ status: response.statusCode ?? 0, text, json: parseJson(text) });
                });
                response.on("error", reject);
            },
        );
        request.on("timeout", () => request.destroy(new Error(`${method} ${url} timed out after ${timeoutMs} ms`)));
        request.on("error", reject);
        request.end(payload);
    });
}

export function httpGet(url: string, options?: number | HttpOptions): Promise<HttpResponse> {
    return httpRequest("GET", url, undefined, options);
}

function parseJson(text: string): unknown {
    try {
        return JSON.parse(text);
    } catch {
        return undefined;
    }
}

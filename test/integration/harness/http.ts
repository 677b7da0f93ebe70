/** Minimal JSON-over-HTTP with node:http (no keep-alive, so nothing lingers after a test). */
import * as http from "node:http";

export interface HttpResponse {
    readonly status: number;
    readonly text: string;
    /** The parsed body, or undefined if it is not JSON. */
    readonly json: unknown;
}

export function httpRequest(method: string, url: string, body?: unknown, timeoutMs = 30_000): Promise<HttpResponse> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve, reject) => {
        const request = http.request(
            url,
            {
                method,
                agent: false,
                timeout: timeoutMs,
                headers: {
                    Accept: "application/json",
                    Connection: "close",
                    ...(payload === undefined ? {} : { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(payload) }),
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

export function httpGet(url: string, timeoutMs?: number): Promise<HttpResponse> {
    return httpRequest("GET", url, undefined, timeoutMs);
}

function parseJson(text: string): unknown {
    try {
        return JSON.parse(text);
    } catch {
        return undefined;
    }
}

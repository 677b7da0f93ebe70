/**
 * One HTTP(S) request to the Connect REST API, as the REST client sends every attempt: JSON in and out, the
 * target's headers and TLS settings, and a timeout that tells a connection never made from an answer never
 * given (NO_ANSWER_CODE). No retries here: `ConnectRestClient.call` decides those.
 */
import * as http from "http";
import * as https from "https";
import { HttpResponse, NO_ANSWER_CODE } from "./restErrors";
import type { RestTarget } from "./restTypes";

export function sendRequest(
    target: RestTarget,
    method: string,
    path: string,
    body: unknown,
    timeoutMs: number,
): Promise<HttpResponse> {
    const url = new URL(target.baseUrl.replace(/\/+$/, "") + path);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string> = { Accept: "application/json", ...target.headers };
    if (payload !== undefined) {
        headers["Content-Type"] = "application/json";
        headers["Content-Length"] = String(Buffer.byteLength(payload));
    }
    const isHttps = url.protocol === "https:";
    const options: https.RequestOptions = { method, headers, timeout: timeoutMs };
    if (isHttps) {
        options.ca = target.caCertificatePem;
        options.cert = target.clientCertificatePem;
        options.key = target.clientKeyPem;
        options.rejectUnauthorized = !target.insecureSkipTlsVerify;
    }
    return new Promise((resolve, reject) => {
        const request = (isHttps ? https : http).request(url, options, (response) => {
            const chunks: Buffer[] = [];
            response.on("data", (chunk: Buffer) => chunks.push(chunk));
            response.on("end", () =>
                resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }),
            );
            response.on("error", reject);
        });
        request.on("timeout", () => {
            // Still connecting: the worker never accepted the connection. Connected: it did not answer.
            const connecting = request.socket?.connecting ?? true;
            request.destroy(
                Object.assign(
                    new Error(connecting ? `no connection within ${timeoutMs} ms` : `no answer within ${timeoutMs} ms`),
                    { code: connecting ? "ETIMEDOUT" : NO_ANSWER_CODE, timeoutMs },
                ),
            );
        });
        request.on("error", reject);
        request.end(payload);
    });
}

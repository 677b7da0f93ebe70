/**
 * A stand-in for the Kubernetes API server's service proxy in front of an empty Connect cluster: records each
 * request's path and Authorization header, answers the connector listings (no connectors) and 404 otherwise.
 */
import * as http from "node:http";
import { AddressInfo } from "node:net";
import { after, before } from "node:test";

export class FakeServiceProxy {
    readonly requests: { readonly path: string; readonly authorization: string | undefined }[] = [];
    private server?: http.Server;

    /** Starts the server; returns its base URL (the kubeconfig's `server`). */
    async start(): Promise<string> {
        this.server = http.createServer((req, res) => {
            this.requests.push({ path: req.url ?? "", authorization: req.headers.authorization });
            const path = req.url ?? "";
            const body = path.endsWith("/proxy/connectors?expand=info&expand=status")
                ? {}
                : path.endsWith("/proxy/connectors")
                  ? []
                  : { error_code: 404, message: "not found" };
            res.writeHead(Array.isArray(body) || !("error_code" in body) ? 200 : 404, {
                "Content-Type": "application/json",
            });
            res.end(JSON.stringify(body));
        });
        await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
        return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
    }

    async stop(): Promise<void> {
        this.server?.closeAllConnections();
        await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    }
}

/** A FakeServiceProxy started before the enclosing suite's tests and stopped after them; `server()` is its URL. */
export function useFakeServiceProxy(): { readonly proxy: FakeServiceProxy; server(): string } {
    const proxy = new FakeServiceProxy();
    let url = "";
    before(async () => {
        url = await proxy.start();
    });
    after(() => proxy.stop());
    return { proxy, server: () => url };
}

/**
 * A loopback HTTP proxy in front of a worker's REST API that counts requests by method, so a
 * benchmark can show how many REST calls an approach costs without instrumenting the code under test.
 */
import * as http from "node:http";
import { AddressInfo } from "node:net";

export class CountingProxy {
    private readonly counts = new Map<string, number>();
    private server?: http.Server;

    constructor(private readonly target: () => string) {}

    async start(): Promise<string> {
        this.server = http.createServer((req, res) => {
            const method = req.method ?? "GET";
            const key = `${method} ${routeOf(req.url ?? "/")}`;
            this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
            const upstream = http.request(
                `${this.target()}${req.url ?? "/"}`,
                { method, headers: req.headers },
                (answer) => {
                    res.writeHead(answer.statusCode ?? 502, answer.headers);
                    answer.pipe(res);
                },
            );
            upstream.on("error", (error) => {
                res.writeHead(502);
                res.end(String(error));
            });
            req.pipe(upstream);
        });
        await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
        return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
    }

    /** Requests by route since the last reset, e.g. { "GET /connectors": 1, "PUT /connectors/{name}/config": 1 }. */
    take(): Record<string, number> {
        const snapshot = Object.fromEntries([...this.counts.entries()].sort());
        this.counts.clear();
        return snapshot;
    }

    async stop(): Promise<void> {
        this.server?.closeAllConnections();
        await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    }
}

/** The REST route without connector names or query, so calls for different connectors add up. */
function routeOf(url: string): string {
    return url
        .split("?")[0]
        .replace(/^\/connectors\/[^/]+/, "/connectors/{name}")
        .replace(/^\/connector-plugins\/[^/]+/, "/connector-plugins/{class}");
}

export function total(counts: Record<string, number>): number {
    return Object.values(counts).reduce((a, b) => a + b, 0);
}

export function describeCounts(counts: Record<string, number>): string {
    return `${total(counts)} (${Object.entries(counts)
        .map(([route, n]) => `${n}× ${route}`)
        .join(", ")})`;
}

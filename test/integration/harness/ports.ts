/**
 * Free TCP ports on the loopback interface. Ports are picked below Linux's ephemeral range
 * (32768-60999), so an outgoing connection's local port cannot take a port between the moment it
 * is chosen and the moment a broker or worker binds it, or while a worker restarts.
 */
import * as net from "node:net";

const RANGE_START = 20_000;
const RANGE_END = 32_000;

/** Ports handed out by this process, never handed out twice (a stopped worker keeps its port for restart()). */
const handedOut = new Set<number>();

/** A port nothing listens on right now (checked by binding it on 127.0.0.1). */
export async function freePort(): Promise<number> {
    for (let attempt = 0; attempt < 200; attempt++) {
        const port = RANGE_START + Math.floor(Math.random() * (RANGE_END - RANGE_START));
        if (!handedOut.has(port) && (await canBind(port))) {
            handedOut.add(port);
            return port;
        }
    }
    throw new Error(`harness: no free loopback port found in ${RANGE_START}-${RANGE_END}`);
}

/** `count` distinct free ports. */
export async function freePorts(count: number): Promise<number[]> {
    const ports: number[] = [];
    for (let i = 0; i < count; i++) {
        ports.push(await freePort());
    }
    return ports;
}

function canBind(port: number): Promise<boolean> {
    return new Promise((resolve) => {
        const server = net.createServer();
        server.unref();
        server.once("error", () => resolve(false));
        server.listen({ host: "127.0.0.1", port, exclusive: true }, () => server.close(() => resolve(true)));
    });
}

/** True if something accepts TCP connections on 127.0.0.1:port. */
export function isListening(port: number, host = "127.0.0.1"): Promise<boolean> {
    return new Promise((resolve) => {
        const socket = net.connect({ host, port });
        socket.once("connect", () => {
            socket.destroy();
            resolve(true);
        });
        socket.once("error", () => resolve(false));
    });
}

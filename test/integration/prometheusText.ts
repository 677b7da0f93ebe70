/** Reading a scrape: the Prometheus text exposition format, as the JMX exporter serves it on `GET /metrics`. */

/** One sample line of the Prometheus text format: name, labels, value. */
export interface Sample {
    readonly name: string;
    readonly labels: Record<string, string>;
    readonly value: number;
}

/** The samples of a scrape, comments and blank lines left out. */
export function parseSamples(text: string): Sample[] {
    return text
        .split("\n")
        .filter((line) => line !== "" && !line.startsWith("#"))
        .flatMap((line) => {
            const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)/.exec(line);
            if (match === null) {
                return [];
            }
            const labels = Object.fromEntries(
                [...(match[2] ?? "").matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)].map((m) => [
                    m[1],
                    m[2],
                ]),
            );
            return [{ name: match[1], labels, value: Number(match[3]) }];
        });
}

/** Small statistics and the side-by-side table every benchmark prints. */

export function median(values: readonly number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    const middle = Math.floor(sorted.length / 2);
    return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export interface Row {
    readonly measure: string;
    readonly ours: string;
    readonly baseline: string;
    readonly note?: string;
}

/** Prints a Markdown table (also readable in a terminal) and returns it for RESULTS.md. */
export function table(title: string, baselineName: string, rows: readonly Row[]): string {
    const lines = [
        `### ${title}`,
        "",
        `| measure | ConnectCluster | ${baselineName} | note |`,
        "|---|---|---|---|",
        ...rows.map((row) => `| ${row.measure} | ${row.ours} | ${row.baseline} | ${row.note ?? ""} |`),
        "",
    ];
    const text = lines.join("\n");
    console.log(text);
    return text;
}

export const ms = (value: number): string => `${Math.round(value)} ms`;
export const seconds = (value: number): string => `${(value / 1000).toFixed(1)} s`;

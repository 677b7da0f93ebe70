/**
 * Java `.properties` text: escaping and a deterministic writer. Kept separate from what the worker
 * properties *contain* so the format rules are tested once.
 */

/** One titled group of entries; groups keep the order given, entries inside a group are sorted. */
export interface PropertiesSection {
    readonly title: string;
    readonly entries: Readonly<Record<string, string>>;
}

/** Escapes a key per java.util.Properties#store: separators and whitespace must be escaped in keys. */
export function escapePropertyKey(key: string): string {
    return escapeCommon(key).replace(/[ =:#!]/g, (c) => `\\${c}`);
}

/** Escapes a value: a leading space must be escaped, inner spaces may stay. */
export function escapePropertyValue(value: string): string {
    return escapeCommon(value).replace(/^ /, "\\ ");
}

function escapeCommon(text: string): string {
    return (
        text
            .replace(/\\/g, "\\\\")
            .replace(/\n/g, "\\n")
            .replace(/\r/g, "\\r")
            .replace(/\t/g, "\\t")
            .replace(/\f/g, "\\f")
            // Kafka loads worker properties and the REST users file with Properties.load(InputStream), which
            // reads ISO-8859-1: anything outside printable ASCII must be a \uXXXX escape (as Properties.store writes).
            .replace(/[\u0000-\u001f\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)
    );
}

/** Renders sections as `key=value` lines with `# title` headers; same input, same bytes. */
export function formatProperties(sections: readonly PropertiesSection[]): string {
    const lines: string[] = [];
    for (const section of sections) {
        const keys = Object.keys(section.entries).sort();
        if (keys.length === 0) {
            continue;
        }
        if (lines.length > 0) {
            lines.push("");
        }
        lines.push(`# ${section.title}`);
        for (const key of keys) {
            lines.push(`${escapePropertyKey(key)}=${escapePropertyValue(section.entries[key])}`);
        }
    }
    return lines.join("\n") + "\n";
}

/**
 * Parses `.properties` text back into a map (the subset `formatProperties` writes: `key=value`
 * lines, `#` comments, backslash escapes). Used by tests and the harness to read what was rendered.
 */
export function parseProperties(text: string): Record<string, string> {
    const result: Record<string, string> = {};
    for (const rawLine of text.split("\n")) {
        const line = rawLine.replace(/^\s+/, "");
        if (line === "" || line.startsWith("#") || line.startsWith("!")) {
            continue;
        }
        const separator = findUnescapedSeparator(line);
        const key = unescape(line.slice(0, separator));
        result[key] = separator < line.length ? unescape(line.slice(separator + 1)) : "";
    }
    return result;
}

function findUnescapedSeparator(line: string): number {
    for (let i = 0; i < line.length; i++) {
        if (line[i] === "\\") {
            i++;
        } else if (line[i] === "=" || line[i] === ":") {
            return i;
        }
    }
    return line.length;
}

function unescape(text: string): string {
    const named: Record<string, string> = { n: "\n", r: "\r", t: "\t", f: "\f" };
    return text.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_, c: string) =>
        c.length === 5 ? String.fromCharCode(parseInt(c.slice(1), 16)) : (named[c] ?? c),
    );
}

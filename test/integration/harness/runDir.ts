/**
 * The run folder: one per cluster under test-output/ (gitignored), holding every process's logs,
 * config files and the broker's data. Kept after the run so a failure can be read afterwards.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { repoRoot } from "./kafkaJars";

/** How many run folders test-output/ keeps; older ones are deleted when a new one is made. */
const KEEP_RUNS = 20;

const LOG4J2_PROPERTIES = `# Written by the integration harness: everything at INFO to the file named by
# -Dharness.log.file.
status = warn
appender.file.type = File
appender.file.name = file
appender.file.fileName = \${sys:harness.log.file}
appender.file.append = true
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = file
`;

export interface RunDir {
    readonly path: string;
    /** The log4j2 configuration every JVM of the run uses. */
    readonly log4jConfig: string;
    file(name: string): string;
}

/** Makes test-output/<label>-<time>-<pid>/ and writes the shared log4j2 configuration into it. */
export function createRunDir(label: string): RunDir {
    const root = path.join(repoRoot(), "test-output");
    fs.mkdirSync(root, { recursive: true });
    pruneOldRuns(root);
    const stamp = new Date().toISOString().replace(/[-:]/g, "").replace(/\..*$/, "");
    const safeLabel = label.replace(/[^a-zA-Z0-9_-]+/g, "-");
    const dir = fs.mkdtempSync(path.join(root, `${safeLabel}-${stamp}-`));
    const log4jConfig = path.join(dir, "log4j2.properties");
    fs.writeFileSync(log4jConfig, LOG4J2_PROPERTIES);
    return { path: dir, log4jConfig, file: (name) => path.join(dir, name) };
}

function pruneOldRuns(root: string): void {
    const runs = fs
        .readdirSync(root, { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => ({ dir: path.join(root, entry.name), mtime: fs.statSync(path.join(root, entry.name)).mtimeMs }))
        .sort((a, b) => b.mtime - a.mtime);
    for (const run of runs.slice(KEEP_RUNS - 1)) {
        fs.rmSync(run.dir, { recursive: true, force: true });
    }
}

/** The last `lines` lines of a file, or "" if it does not exist yet. */
export function tail(file: string, lines = 30): string {
    if (!fs.existsSync(file)) {
        return "";
    }
    return fs
        .readFileSync(file, "utf8")
        .split("\n")
        .slice(-lines - 1)
        .join("\n");
}

/** The size of a file, 0 if it does not exist yet: where the next process's log lines start. */
export function fileSize(file: string): number {
    return fs.existsSync(file) ? fs.statSync(file).size : 0;
}

/** A file's text from byte `offset` on ("" if it does not exist yet). */
export function readFrom(file: string, offset: number): string {
    if (!fs.existsSync(file)) {
        return "";
    }
    const fd = fs.openSync(file, "r");
    try {
        const size = fs.fstatSync(fd).size;
        const buffer = Buffer.alloc(Math.max(0, size - offset));
        fs.readSync(fd, buffer, 0, buffer.length, offset);
        return buffer.toString("utf8");
    } finally {
        fs.closeSync(fd);
    }
}

/** For error messages: the last ERROR lines of a log4j log and its last few lines, each shortened. */
export function logSummary(file: string): string {
    const lines = tail(file, 400).split("\n");
    const short = (line: string): string => (line.length > 400 ? `${line.slice(0, 400)}...` : line);
    // An ERROR line and the line after it, which names the exception when one was logged.
    const errors = lines
        .flatMap((line, i) =>
            /^\[[^\]]+\] (ERROR|FATAL) /.test(line)
                ? [line + (lines[i + 1]?.startsWith("[") === false ? ` | ${lines[i + 1]}` : "")]
                : [],
        )
        .slice(-3);
    return [
        `see ${file}`,
        ...(errors.length > 0 ? ["last errors:", ...errors.map(short)] : []),
        "last lines:",
        ...lines.slice(-5).map(short),
    ].join("\n");
}

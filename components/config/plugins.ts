/**
 * The `plugins` input: what users write (Maven coordinates, URLs, OCI images, each with its checksum), checked
 * and resolved into the plugins the renderers install. Pure; errors name the field and the fix.
 */
import { connectClusterError } from "../errors";
import {
    FILE_NAME_PATTERN,
    PLUGIN_NAME_PATTERN,
    PLUGIN_TARGETS,
    PluginArtifact,
    PluginTarget,
    ResolvedPlugin,
} from "../render/plugins";

/** Maven Central, the default `repository` of Maven artifacts. */
export const MAVEN_CENTRAL = "https://repo1.maven.org/maven2";

/** How to get an artifact's checksum, quoted by the sha512 errors. */
const CHECKSUM_HOW_TO =
    "get it with `scripts/plugin-checksum <group:artifact:version[:classifier[:type]] or URL>` " +
    "(or `curl -fsSL <url> | sha512sum`)";

/** One file of a plugin: exactly one of `maven`, `url` and `image`. */
export interface PluginArtifactArgs {
    /**
     * Maven coordinates `group:artifact:version[:classifier[:type]]`, e.g.
     * `io.debezium:debezium-connector-jdbc:3.4.3.Final:plugin:tar.gz`. The Maven type is the file's extension:
     * `jar` (default), `tar.gz` or `tgz`, `zip`. Conflicts with `url` and `image`.
     */
    readonly maven?: string;
    /**
     * Maven repository base URL for `maven`. Default: Maven Central, `https://repo1.maven.org/maven2`. Must be
     * https (http only for a loopback host); credentials go in `pluginInstaller.credentialsSecret`, never here.
     */
    readonly repository?: string;
    /**
     * Direct download URL. Must be https (http only for a loopback host), without credentials in it. Conflicts with
     * `maven` and `image`.
     */
    readonly url?: string;
    /**
     * `jar` (put into the plugin's folder as is), `tgz` (`tar -xzf`), `zip` (`unzip`), `image` (an OCI image mounted
     * as a Kubernetes image volume). Default: from the Maven type or the URL's file name, and `image` with `image`.
     */
    readonly type?: "jar" | "tgz" | "zip" | "image";
    /**
     * SHA-512 of the file, 128 hex characters, checked before anything is unpacked. Required with `maven` and `url`;
     * get it with `scripts/plugin-checksum`. Not with `image`: the image reference carries its own digest.
     */
    readonly sha512?: string;
    /**
     * OCI image holding the plugin, pinned by digest (`registry/repo[:tag]@sha256:<64 hex>`), mounted read-only
     * in the plugin's folder as a Kubernetes image volume. Needs Kubernetes 1.35+ (beta, on by default; 1.33-1.34
     * with the `ImageVolume` feature gate) and a container runtime that supports it (containerd 2.1+, CRI-O 1.31+).
     * Only with `installTo: "plugin-path"`. Conflicts with `maven` and `url`.
     */
    readonly image?: string;
}

/**
 * One connector plugin, or other jars a worker needs, installed at pod start by the `install-plugins` init
 * container.
 */
export interface PluginArgs {
    /**
     * Folder name: 1-100 characters from a-z, 0-9, ".", "_" and "-", starting with a letter or digit; unique
     * among `plugins`. Required.
     */
    readonly name: string;
    /**
     * Where the artifacts go. Default: `"plugin-path"`, a folder on `plugin.path` (connectors, converters,
     * transforms, and the jars they need beside them, such as a JDBC driver in the connector's own plugin).
     * `"worker-classpath"`: jars on the worker's class path (`CLASSPATH`), shared by every plugin; jar artifacts
     * only. `"java-agent"`: one jar artifact loaded with `-javaagent:<jar>[=<javaAgentOptions>]` in `KAFKA_OPTS`
     * (e.g. the Prometheus JMX exporter, `io.prometheus.jmx:jmx_prometheus_javaagent:1.0.1`).
     */
    readonly installTo?: PluginTarget;
    /** With `installTo: "java-agent"`: the agent's options, after `=`; no whitespace or quotes. Default: none. */
    readonly javaAgentOptions?: string;
    /** The files making up the plugin, at least one. Required. */
    readonly artifacts: readonly PluginArtifactArgs[];
}

/** Maven extension (the coordinates' type) → artifact type. */
const MAVEN_TYPES: Readonly<Record<string, PluginArtifact["type"]>> = {
    jar: "jar",
    "tar.gz": "tgz",
    tgz: "tgz",
    zip: "zip",
};
const EXTENSIONS: Readonly<Record<PluginArtifact["type"], string>> = { jar: "jar", tgz: "tar.gz", zip: "zip" };
const FILE_EXTENSIONS: Readonly<Record<PluginArtifact["type"], readonly string[]>> = {
    jar: [".jar"],
    tgz: [".tar.gz", ".tgz"],
    zip: [".zip"],
};
/** Dot-separated words: no empty segment, so no ".." climbing out of the repository path. */
const NAME = String.raw`[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*`;
const VERSION = String.raw`[A-Za-z0-9_+-]+(?:\.[A-Za-z0-9_+-]+)*`;
/** group:artifact:version[:classifier[:type]]. */
const MAVEN_COORDINATES = new RegExp(
    String.raw`^(${NAME}):(${NAME}):(${VERSION})(?::([A-Za-z0-9_.-]*))?(?::([a-z.]+))?$`,
);
const IMAGE_REFERENCE = /^[a-z0-9]+(?:[._\-/:][a-zA-Z0-9]+)*(?::[A-Za-z0-9_.-]{1,128})?@sha256:[0-9a-f]{64}$/;
const AGENT_OPTIONS = /^[^\s'"\\`$*?[\]]{1,1000}$/;
const LOOPBACK_HOSTS = ["127.0.0.1", "localhost", "[::1]"];

/** Checks the user's `plugins` and resolves each artifact to a URL, checksum, type and file name. */
export function resolvePlugins(plugins: readonly PluginArgs[] | undefined): ResolvedPlugin[] {
    if (plugins === undefined) {
        return [];
    }
    if (!Array.isArray(plugins)) {
        throw connectClusterError("invalid-input", `plugins must be a list of { name, artifacts } objects.`);
    }
    const names = new Set<string>();
    return plugins.map((plugin, i) => {
        const name = plugin?.name;
        if (typeof name !== "string" || !PLUGIN_NAME_PATTERN.test(name)) {
            throw connectClusterError(
                "invalid-input",
                `plugins[${i}].name ${JSON.stringify(name)} must be 1-100 characters from a-z, 0-9, ".", "_" and ` +
                    `"-", starting with a letter or digit: it becomes the plugin's folder name.`,
            );
        }
        if (names.has(name)) {
            throw connectClusterError(
                "invalid-input",
                `plugins[${i}].name "${name}" is used twice: give each plugin its own name.`,
            );
        }
        names.add(name);
        const installTo = plugin.installTo ?? "plugin-path";
        if (!PLUGIN_TARGETS.includes(installTo)) {
            throw connectClusterError(
                "invalid-input",
                `plugins[${i}].installTo must be "plugin-path", "worker-classpath" or "java-agent" (got ` +
                    `${JSON.stringify(installTo)}).`,
            );
        }
        const artifactArgs: readonly PluginArtifactArgs[] = plugin.artifacts;
        if (!Array.isArray(artifactArgs) || artifactArgs.length === 0) {
            throw connectClusterError("invalid-input", `plugins[${i}].artifacts must list at least one artifact.`);
        }
        const artifacts: PluginArtifact[] = [];
        const images: string[] = [];
        artifactArgs.forEach((args: PluginArtifactArgs, j: number) => {
            const resolved = resolveArtifact(`plugins[${i}].artifacts[${j}]`, args, j);
            if (typeof resolved === "string") {
                images.push(resolved);
                return;
            }
            if (artifacts.some((a) => a.fileName === resolved.fileName)) {
                throw connectClusterError(
                    "invalid-input",
                    `plugins[${i}].artifacts[${j}]: another artifact of plugin "${name}" has the file name ` +
                        `"${resolved.fileName}"; give one of them a URL with another file name.`,
                );
            }
            artifacts.push(resolved);
        });
        checkTarget(i, installTo, plugin, artifacts, images);
        return {
            name,
            installTo,
            artifacts,
            images,
            ...(plugin.javaAgentOptions === undefined ? {} : { javaAgentOptions: plugin.javaAgentOptions }),
        };
    });
}

/** What each `installTo` allows: non-connector jars must be plain jars, an agent exactly one. */
function checkTarget(
    i: number,
    installTo: PluginTarget,
    plugin: PluginArgs,
    artifacts: readonly PluginArtifact[],
    images: readonly string[],
): void {
    if (installTo !== "plugin-path") {
        if (images.length > 0 || artifacts.some((a) => a.type !== "jar")) {
            // Java's class path wildcard (dir/*) takes the jars directly in a folder, not those in subfolders.
            throw connectClusterError(
                "invalid-input",
                `plugins[${i}]: installTo "${installTo}" takes jar artifacts only; unpack archives into a ` +
                    `"plugin-path" plugin instead.`,
            );
        }
    }
    if (images.length > 0 && (images.length > 1 || artifacts.length > 0)) {
        // Each image is mounted as a plugin folder of its own, outside the folder downloads go to.
        throw connectClusterError(
            "invalid-input",
            `plugins[${i}]: an image artifact must be its plugin's only artifact; put the other artifacts in the ` +
                `image or in another plugin.`,
        );
    }
    if (installTo === "java-agent" && artifacts.length !== 1) {
        throw connectClusterError(
            "invalid-input",
            `plugins[${i}]: installTo "java-agent" takes exactly one jar artifact, the agent ` +
                `(got ${artifacts.length}).`,
        );
    }
    if (plugin.javaAgentOptions !== undefined) {
        if (installTo !== "java-agent") {
            throw connectClusterError("invalid-input", `plugins[${i}].javaAgentOptions needs installTo "java-agent".`);
        }
        // KAFKA_OPTS is split on whitespace and glob-expanded by kafka-run-class.sh.
        if (typeof plugin.javaAgentOptions !== "string" || !AGENT_OPTIONS.test(plugin.javaAgentOptions)) {
            throw connectClusterError(
                "invalid-input",
                `plugins[${i}].javaAgentOptions must be 1-1000 characters without whitespace, quotes, "\\", "$", ` +
                    '"`" or glob characters (kafka-run-class.sh splits and expands KAFKA_OPTS).',
            );
        }
    }
}

/** One artifact: a downloadable file (with its checksum), or an image reference (a string). */
export function resolveArtifact(field: string, args: PluginArtifactArgs, index: number): PluginArtifact | string {
    const sources = (["maven", "url", "image"] as const).filter((key) => args?.[key] !== undefined);
    if (sources.length !== 1) {
        throw connectClusterError(
            "invalid-input",
            `${field} must give exactly one of maven, url and image (got ` +
                `${sources.length === 0 ? "none" : sources.join(", ")}).`,
        );
    }
    if (args.type !== undefined && !["jar", "tgz", "zip", "image"].includes(args.type)) {
        throw connectClusterError(
            "invalid-input",
            `${field}.type must be "jar", "tgz", "zip" or "image" (got "${args.type}").`,
        );
    }
    if (args.repository !== undefined && args.maven === undefined) {
        throw connectClusterError(
            "invalid-input",
            `${field}.repository applies to maven coordinates only; set maven too.`,
        );
    }
    if (args.image !== undefined) {
        return resolveImage(field, args);
    }
    if (args.type === "image") {
        throw connectClusterError(
            "invalid-input",
            `${field}.type "image" needs image (an OCI image reference), not maven or url.`,
        );
    }
    const sha512 = checkSha512(field, args.sha512);
    const { url, type } = args.maven !== undefined ? mavenUrl(field, args) : directUrl(field, args);
    const last = new URL(url).pathname.split("/").pop() ?? "";
    // Connect and Java's class path wildcard take only files named *.jar (or *.zip): keep the extension right.
    const fitting = FILE_NAME_PATTERN.test(last) && FILE_EXTENSIONS[type].some((ext) => last.endsWith(ext));
    const fileName = fitting ? last : `artifact-${index}.${EXTENSIONS[type]}`;
    return { url, sha512, type, fileName };
}

function resolveImage(field: string, args: PluginArtifactArgs): string {
    if (args.type !== undefined && args.type !== "image") {
        throw connectClusterError("invalid-input", `${field}.type must be "image" (or left out) with image.`);
    }
    if (args.sha512 !== undefined) {
        throw connectClusterError(
            "invalid-input",
            `${field}.sha512 does not apply to image: pin the image by its digest (<image>@sha256:<digest>) instead.`,
        );
    }
    if (typeof args.image !== "string" || !IMAGE_REFERENCE.test(args.image)) {
        throw connectClusterError(
            "invalid-input",
            `${field}.image ${JSON.stringify(args.image)} must be an image reference pinned by digest, ` +
                `registry/repository[:tag]@sha256:<64 hex characters> (a tag alone can be moved to other contents).`,
        );
    }
    return args.image;
}

function checkSha512(field: string, sha512: string | undefined): string {
    if (sha512 === undefined || sha512 === "") {
        throw connectClusterError(
            "invalid-input",
            `${field}.sha512 is required: the SHA-512 of the file (128 hex characters), checked before it is ` +
                `unpacked; ${CHECKSUM_HOW_TO}.`,
        );
    }
    if (typeof sha512 !== "string" || !/^[0-9a-fA-F]{128}$/.test(sha512)) {
        const got = typeof sha512 === "string" ? `${sha512.length} characters` : typeof sha512;
        throw connectClusterError(
            "invalid-input",
            `${field}.sha512 must be a SHA-512, 128 hex characters (got ${got}); ${CHECKSUM_HOW_TO}.`,
        );
    }
    return sha512.toLowerCase();
}

/** `group:artifact:version[:classifier[:type]]` → `<repository>/<group as path>/<artifact>/<version>/<file>`. */
function mavenUrl(field: string, args: PluginArtifactArgs): { url: string; type: PluginArtifact["type"] } {
    const match = typeof args.maven === "string" ? MAVEN_COORDINATES.exec(args.maven) : null;
    const mavenType = match?.[5] ?? "jar";
    if (match === null || !(mavenType in MAVEN_TYPES) || (match[4] === "" && match[5] === undefined)) {
        throw connectClusterError(
            "invalid-input",
            `${field}.maven ${JSON.stringify(args.maven)} must be group:artifact:version[:classifier[:type]] with ` +
                `type jar, tar.gz, tgz or zip (e.g. io.debezium:debezium-connector-jdbc:3.4.3.Final:plugin:tar.gz).`,
        );
    }
    const [, group, artifact, version, classifier] = match;
    const type = MAVEN_TYPES[mavenType];
    if (args.type !== undefined && args.type !== type) {
        throw connectClusterError(
            "invalid-input",
            `${field}.type "${args.type}" contradicts the Maven type "${mavenType}" of ${args.maven}; leave type out.`,
        );
    }
    const repository = checkHttpUrl(`${field}.repository`, args.repository ?? MAVEN_CENTRAL).replace(/\/+$/, "");
    const file = `${artifact}-${version}${classifier ? `-${classifier}` : ""}.${mavenType}`;
    return { url: `${repository}/${group.replace(/\./g, "/")}/${artifact}/${version}/${file}`, type };
}

function directUrl(field: string, args: PluginArtifactArgs): { url: string; type: PluginArtifact["type"] } {
    const url = checkHttpUrl(`${field}.url`, args.url);
    const path = new URL(url).pathname.toLowerCase();
    const inferred = path.endsWith(".jar")
        ? "jar"
        : path.endsWith(".tar.gz") || path.endsWith(".tgz")
          ? "tgz"
          : path.endsWith(".zip")
            ? "zip"
            : undefined;
    const type = args.type ?? inferred;
    if (type === undefined || type === "image") {
        throw connectClusterError(
            "invalid-input",
            `${field}.type is required: the URL's file name does not end in .jar, .tar.gz, .tgz or .zip; give ` +
                `"jar", "tgz" or "zip".`,
        );
    }
    return { url, type };
}

/**
 * https, or http to a loopback host (a local mirror, the test harness). The SHA-512 guards the contents either way;
 * https also keeps repository credentials and what is installed private. No credentials in the URL.
 */
function checkHttpUrl(field: string, value: unknown): string {
    let url: URL | undefined;
    try {
        url = typeof value === "string" && !/[\s'"\\]/.test(value) ? new URL(value) : undefined;
    } catch {
        url = undefined;
    }
    if (url === undefined || !["https:", "http:"].includes(url.protocol)) {
        // The value is not quoted back: it may hold credentials.
        throw connectClusterError("invalid-input", `${field} must be an https:// URL.`);
    }
    if (url.username !== "" || url.password !== "") {
        throw connectClusterError(
            "invalid-input",
            `${field} must not hold credentials (they would be in the pod spec): put them in a netrc file in the ` +
                `Secret named by pluginInstaller.credentialsSecret.`,
        );
    }
    if (url.protocol === "http:" && !LOOPBACK_HOSTS.includes(url.hostname)) {
        throw connectClusterError(
            "invalid-input",
            `${field} must use https:// (http:// is accepted only for a loopback host such as 127.0.0.1).`,
        );
    }
    return value as string;
}

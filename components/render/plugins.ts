/**
 * Connector plugins (and other jars a worker needs) installed at pod start: the POSIX sh script that downloads,
 * verifies and unpacks them. Pure: no Pulumi, no I/O. The script is the same code path in a pod's init
 * container and in the test harness's stand-in kubelet.
 *
 * Every artifact's SHA-512 is checked before anything is unpacked: the script downloads and verifies all
 * artifacts first, and unpacks only when every one matched. Inputs reach the script only as single-quoted
 * words (see `shellQuote`), after the checks in `validatePluginSpecs`, so no input can inject shell code.
 */
import { createHash } from "crypto";
import { connectClusterError } from "../errors";

/** One file to download: a jar put into the plugin's folder as is, or an archive unpacked there. */
export interface PluginArtifact {
    /** Where to download it from (`https://`, or `http://` for loopback). */
    readonly url: string;
    /** Expected SHA-512 of the file, 128 lowercase hex characters. */
    readonly sha512: string;
    /** `jar`: copied into the folder; `tgz`: `tar -xzf`; `zip`: `unzip`. */
    readonly type: "jar" | "tgz" | "zip";
    /** The file's name in the plugin's folder (jar) or while it is downloaded (archives). */
    readonly fileName: string;
}

/** One plugin: a folder of its own (`<plugin.path folder>/<name>/`), filled from its artifacts. */
export interface PluginSpec {
    /** The folder's name: a-z, 0-9, ".", "_" and "-", not starting with "." (Connect scans the folder). */
    readonly name: string;
    readonly artifacts: readonly PluginArtifact[];
}

/**
 * Where a plugin goes and how the worker sees it:
 *  - `plugin-path`: a folder on `plugin.path` (Connect's isolated plugin class loader): connectors, converters,
 *    transforms, and jars they need beside them (a JDBC driver in the connector's own plugin);
 *  - `worker-classpath`: jars on the worker JVM's class path (`CLASSPATH`, ahead of Kafka's own libs), for jars
 *    every plugin must share (e.g. a config provider, a REST extension); jar artifacts only;
 *  - `java-agent`: one jar loaded with `-javaagent:<jar>[=<options>]` (e.g. the Prometheus JMX exporter).
 */
export type PluginTarget = "plugin-path" | "worker-classpath" | "java-agent";
export const PLUGIN_TARGETS: readonly PluginTarget[] = ["plugin-path", "worker-classpath", "java-agent"];

/** A plugin as the Deployment renderer takes it (resolved and checked by config/plugins.ts). */
export interface ResolvedPlugin extends PluginSpec {
    readonly installTo: PluginTarget;
    /** OCI image references (pinned by digest) mounted as Kubernetes image volumes in the plugin's folder. */
    readonly images: readonly string[];
    /** With `java-agent`: what follows `=` in `-javaagent:<jar>=<options>`. */
    readonly javaAgentOptions?: string;
}

export const PLUGIN_NAME_PATTERN = /^[a-z0-9][a-z0-9._-]{0,99}$/;
export const FILE_NAME_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9._+-]{0,199}$/;
export const SHA512_PATTERN = /^[0-9a-f]{128}$/;
/** The marker file a finished plugin folder holds: the digest of what was installed there. */
export const INSTALLED_MARKER = ".connectcluster-installed";

/** `'value'` with each `'` written as `'\''`: the shell takes the value literally, whatever it holds. */
export function shellQuote(value: string): string {
    return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Rejects what the script cannot take safely; messages name the plugin and artifact by index. */
export function validatePluginSpecs(plugins: readonly PluginSpec[]): void {
    const seen = new Set<string>();
    plugins.forEach((plugin, i) => {
        if (!PLUGIN_NAME_PATTERN.test(plugin.name)) {
            throw connectClusterError(
                "invalid-input",
                `plugins[${i}].name ${JSON.stringify(plugin.name)} must be 1-100 characters from a-z, 0-9, ".", "_" ` +
                    `and "-", starting with a letter or digit (it names the plugin's folder).`,
            );
        }
        if (seen.has(plugin.name)) {
            throw connectClusterError(
                "invalid-input",
                `plugins[${i}].name "${plugin.name}" is used twice: each plugin needs its own folder.`,
            );
        }
        seen.add(plugin.name);
        const files = new Set<string>();
        plugin.artifacts.forEach((artifact, j) => {
            const field = `plugins[${i}].artifacts[${j}]`;
            if (!/^https?:\/\/[^\s'"\\]+$/.test(artifact.url)) {
                throw connectClusterError(
                    "invalid-input",
                    `${field}.url must be an http(s) URL without whitespace or quotes.`,
                );
            }
            if (!SHA512_PATTERN.test(artifact.sha512)) {
                throw connectClusterError("invalid-input", `${field}.sha512 must be 128 lowercase hex characters.`);
            }
            if (!["jar", "tgz", "zip"].includes(artifact.type)) {
                throw connectClusterError(
                    "invalid-input",
                    `${field}.type must be "jar", "tgz" or "zip" (got "${artifact.type}").`,
                );
            }
            if (!FILE_NAME_PATTERN.test(artifact.fileName)) {
                throw connectClusterError(
                    "invalid-input",
                    `${field}.fileName ${JSON.stringify(artifact.fileName)} must be 1-200 characters from A-Z, a-z, ` +
                        `0-9, ".", "_", "+" and "-", starting with a letter, digit or "_".`,
                );
            }
            if (files.has(artifact.fileName)) {
                throw connectClusterError(
                    "invalid-input",
                    `${field}.fileName "${artifact.fileName}" is used twice in plugin "${plugin.name}".`,
                );
            }
            files.add(artifact.fileName);
        });
    });
}

/** What the marker records: a digest of the plugin's artifacts, so a changed list is installed afresh. */
export function pluginDigest(plugin: PluginSpec): string {
    const canonical = plugin.artifacts.map((a) => [a.url, a.sha512, a.type, a.fileName]);
    return createHash("sha256").update(JSON.stringify(canonical)).digest("hex");
}

/** The fixed part of the script: functions taking inputs only as arguments ("$1"...), never as code. */
const SCRIPT_FUNCTIONS = `set -eu
dest=$1
netrc=\${2:-}
ca=\${3:-}
work="$dest/.install-plugins"
fail() {
    printf 'install-plugins: %s\\n' "$*" >&2
    exit 1
}
# Whatever happens, no half-downloaded or half-unpacked file stays behind.
trap 'rm -rf "$work"' EXIT
mkdir -p "$dest"
rm -rf "$work"
mkdir -p "$work/download" "$work/unpack"

# With extra CA certificates: curl trusts the image's own bundle (the first found, as curl would) and those.
cabundle=
if [ -n "$ca" ]; then
    cabundle="$work/ca-bundle.pem"
    : >"$cabundle"
    for f in "\${CURL_CA_BUNDLE:-}" "\${SSL_CERT_FILE:-}" /etc/ssl/certs/ca-certificates.crt \\
        /etc/pki/tls/certs/ca-bundle.crt /etc/ssl/ca-bundle.pem /etc/ssl/cert.pem; do
        if [ -n "$f" ] && [ -f "$f" ]; then
            cat "$f" >"$cabundle"
            printf '\\n' >>"$cabundle"
            break
        fi
    done
    [ -s "$cabundle" ] ||
        printf 'install-plugins: warning: %s\\n' "no CA bundle of the image found; trusting the given CAs only" >&2
    cat "$ca" >>"$cabundle" || fail "cannot read the CA certificates at $ca"
fi

# download <url> <file>: no .curlrc (--disable), the URL taken literally (no curl globbing of [] and {}), https
# only after a redirect, credentials only from the netrc file, when given.
download() {
    url=$1
    out=$2
    set -- --disable --fail --silent --show-error --globoff --location --proto-redir =https --retry 3 \\
        --connect-timeout 30
    [ -z "$netrc" ] || set -- "$@" --netrc-file "$netrc"
    [ -z "$cabundle" ] || set -- "$@" --cacert "$cabundle"
    curl "$@" --output "$out" "$url"
}

# installed <plugin> <digest>: true when the folder holds exactly this plugin already (a restarted init container).
installed() {
    [ -f "$dest/$1/${INSTALLED_MARKER}" ] || return 1
    IFS= read -r have <"$dest/$1/${INSTALLED_MARKER}" || return 1
    [ "$have" = "$2" ]
}

# fetch <plugin> <file> <url> <sha512>: download, then verify before anything is unpacked.
fetch() {
    mkdir -p "$work/download/$1"
    download "$3" "$work/download/$1/$2" || fail "plugin '$1' artifact '$2': download from $3 failed (curl exit $?)"
    actual=$(sha512sum <"$work/download/$1/$2")
    actual=\${actual%% *}
    [ "$actual" = "$4" ] ||
        fail "plugin '$1' artifact '$2': SHA-512 mismatch (expected $4, got $actual, from $3); nothing was unpacked"
}

# unpack <plugin> <file> <type>: into the plugin's staging folder, keeping the archive's own folders.
unpack() {
    mkdir -p "$work/unpack/$1"
    case $3 in
    jar) mv "$work/download/$1/$2" "$work/unpack/$1/$2" ;;
    tgz) tar -xzf "$work/download/$1/$2" -C "$work/unpack/$1" || fail "plugin '$1' artifact '$2': tar failed" ;;
    zip) unzip -q -o "$work/download/$1/$2" -d "$work/unpack/$1" || fail "plugin '$1' artifact '$2': unzip failed" ;;
    esac
}

# finish <plugin> <digest>: replace the plugin's folder with the staged one.
finish() {
    printf '%s\\n' "$2" >"$work/unpack/$1/${INSTALLED_MARKER}"
    rm -rf "\${dest:?}/$1"
    mv "$work/unpack/$1" "$dest/$1"
    printf 'install-plugins: installed %s\\n' "$1"
}
`;

/**
 * The install script (POSIX sh, run as `sh -c <script> install-plugins <folder> [<netrc file> [<CA file>]]`, or
 * saved to a file and run with `sh`): installs every plugin into "$1/<name>/"; downloads every artifact and checks
 * its SHA-512 before anything is unpacked; exits non-zero with a message naming the plugin and artifact on a
 * download failure or checksum mismatch; takes repository credentials only from the netrc file "$2", and trusts the
 * CA certificates in the PEM file "$3" besides the image's own, when given. A plugin whose folder already holds the
 * same artifacts (a restarted init container) is not downloaded again. Needs only curl, sha512sum, tar, unzip, cat
 * and POSIX sh builtins.
 */
export function renderPluginInstallScript(plugins: readonly PluginSpec[]): string {
    validatePluginSpecs(plugins);
    const lines = [
        "# install-plugins, rendered by ConnectCluster (components/render/plugins.ts).",
        "# Usage: sh install-plugins.sh <folder> [<netrc file> [<CA certificates file>]]",
        SCRIPT_FUNCTIONS,
        "# 1. Download and verify every artifact.",
    ];
    for (const plugin of plugins) {
        const name = shellQuote(plugin.name);
        lines.push(`if ! installed ${name} ${shellQuote(pluginDigest(plugin))}; then`);
        for (const a of plugin.artifacts) {
            lines.push(`    fetch ${name} ${shellQuote(a.fileName)} ${shellQuote(a.url)} ${shellQuote(a.sha512)}`);
        }
        lines.push(`    mkdir -p "$work/unpack/"${name}`, "fi");
    }
    lines.push("", "# 2. Every checksum matched: unpack.");
    for (const plugin of plugins) {
        const name = shellQuote(plugin.name);
        lines.push(`if [ -d "$work/unpack/"${name} ]; then`);
        for (const a of plugin.artifacts) {
            lines.push(`    unpack ${name} ${shellQuote(a.fileName)} ${a.type}`);
        }
        lines.push(`    finish ${name} ${shellQuote(pluginDigest(plugin))}`, "fi");
    }
    return lines.join("\n") + "\n";
}

/**
 * The pod side of `plugins` (as Strimzi assembles a pod from getInitContainers/getVolumes): the `install-plugins`
 * init container, the volumes, the worker's mounts, and the worker's CLASSPATH and -javaagent flags. Pure.
 *
 * Layout: an emptyDir mounted at `installDir` (read-write in the init container, read-only in the worker) with one
 * folder per target — `plugin-path/<name>/` (an entry of plugin.path), `worker-classpath/<name>/*.jar` (CLASSPATH),
 * `java-agent/<name>/<jar>` (-javaagent). Image artifacts are mounted at `imagesDir/<name>`, outside the emptyDir:
 * a mount point cannot be created inside a read-only mount.
 */
import { restrictedSecurityContext } from "./containerSecurity";
import { PluginTarget, renderPluginInstallScript, ResolvedPlugin } from "./plugins";

export const INIT_CONTAINER_NAME = "install-plugins";
export const PLUGINS_VOLUME = "plugins";
export const CREDENTIALS_VOLUME = "plugin-credentials";
/** Where the credentials Secret is mounted in the init container, and the key of its netrc file. */
export const CREDENTIALS_DIR = "/etc/connectcluster-plugin-credentials";
export const NETRC_KEY = "netrc";
/** The worker Secret's key holding `pluginInstaller.caCertificatePem`, and where the init container sees it. */
export const PLUGIN_CA_KEY = "plugin-ca.pem";
export const PLUGIN_CA_VOLUME = "plugin-ca";
export const PLUGIN_CA_DIR = "/etc/connectcluster-plugin-ca";

export interface PluginInstaller {
    /** The init container's image: sh, curl, sha512sum, tar and unzip. */
    readonly image: string;
    /** A Secret in the namespace whose `netrc` key holds repository credentials; undefined: none. */
    readonly credentialsSecret?: string;
    /**
     * CA certificates (PEM) curl trusts besides the image's own, for repositories with a private CA; carried in the
     * worker Secret (`workerSecret`, key PLUGIN_CA_KEY). Undefined: the image's own only.
     */
    readonly caCertificatePem?: string;
}

/** The Secret the init container reads `caCertificatePem` from: the worker Secret. */
export interface PluginInstallerSecrets {
    readonly workerSecret: string;
}

export interface PluginLayout {
    /** The emptyDir's mount path. */
    readonly installDir: string;
    /** Parent folder of image volume mounts (an entry of plugin.path when there are any). */
    readonly imagesDir: string;
}

/** The folder of one target inside the emptyDir: `plugin-path`, `worker-classpath` or `java-agent`. */
export function targetDir(layout: PluginLayout, target: PluginTarget): string {
    return `${layout.installDir}/${target}`;
}

/** The plugin.path entries `plugins` adds: the plugin-path folder when anything is downloaded there, the images. */
export function pluginPathEntries(plugins: readonly ResolvedPlugin[], layout: PluginLayout): string[] {
    const onPath = plugins.filter((p) => p.installTo === "plugin-path");
    return [
        ...(onPath.some((p) => p.artifacts.length > 0) ? [targetDir(layout, "plugin-path")] : []),
        ...(onPath.some((p) => p.images.length > 0) ? [layout.imagesDir] : []),
    ];
}

/**
 * Runs each target's script in turn: `sh -c <runner> install-plugins <netrc file or ""> <CA file or "">
 * (<folder> <script>)...`.
 * Each script is its own argument, so it is readable in the pod spec and never re-parsed by another shell.
 */
const RUNNER =
    "set -eu; netrc=$1; ca=$2; shift 2; " +
    'while [ $# -gt 1 ]; do sh -c "$2" install-plugins "$1" "$netrc" "$ca"; shift 2; done';

/** The `install-plugins` init container, or none when no artifact is downloaded. */
export function renderPluginInitContainers(
    plugins: readonly ResolvedPlugin[],
    installer: PluginInstaller,
    layout: PluginLayout,
) {
    const pairs = (["plugin-path", "worker-classpath", "java-agent"] as const).flatMap((target) => {
        const specs = plugins.filter((p) => p.installTo === target && p.artifacts.length > 0);
        return specs.length === 0
            ? []
            : [
                  targetDir(layout, target),
                  renderPluginInstallScript(specs.map((p) => ({ name: p.name, artifacts: p.artifacts }))),
              ];
    });
    if (pairs.length === 0) {
        return [];
    }
    const credentials = installer.credentialsSecret !== undefined;
    const ca = installer.caCertificatePem !== undefined;
    return [
        {
            name: INIT_CONTAINER_NAME,
            image: installer.image,
            command: [
                "sh",
                "-c",
                RUNNER,
                INIT_CONTAINER_NAME,
                credentials ? `${CREDENTIALS_DIR}/${NETRC_KEY}` : "",
                ca ? `${PLUGIN_CA_DIR}/${PLUGIN_CA_KEY}` : "",
                ...pairs,
            ],
            resources: { requests: { cpu: "100m", memory: "64Mi" }, limits: { memory: "256Mi" } },
            securityContext: { ...restrictedSecurityContext(), runAsNonRoot: true },
            volumeMounts: [
                { name: PLUGINS_VOLUME, mountPath: layout.installDir },
                ...(credentials ? [{ name: CREDENTIALS_VOLUME, mountPath: CREDENTIALS_DIR, readOnly: true }] : []),
                ...(ca ? [{ name: PLUGIN_CA_VOLUME, mountPath: PLUGIN_CA_DIR, readOnly: true }] : []),
            ],
        },
    ];
}

/** Image volumes are numbered in plugin order; their names must be DNS labels. */
function imageVolumes(plugins: readonly ResolvedPlugin[], layout: PluginLayout) {
    return plugins
        .filter((p) => p.images.length > 0)
        .map((p, k) => ({
            name: `plugin-image-${k}`,
            reference: p.images[0],
            mountPath: `${layout.imagesDir}/${p.name}`,
        }));
}

/** The pod's volumes: the emptyDir, the credentials Secret, the CA certificates, one image volume per image plugin. */
export function renderPluginVolumes(
    plugins: readonly ResolvedPlugin[],
    installer: PluginInstaller,
    layout: PluginLayout,
    secrets: PluginInstallerSecrets,
) {
    const downloads = plugins.some((p) => p.artifacts.length > 0);
    return [
        ...(downloads ? [{ name: PLUGINS_VOLUME, emptyDir: {} }] : []),
        ...(downloads && installer.credentialsSecret !== undefined
            ? [{ name: CREDENTIALS_VOLUME, secret: { secretName: installer.credentialsSecret, defaultMode: 0o440 } }]
            : []),
        ...(downloads && installer.caCertificatePem !== undefined
            ? [
                  {
                      name: PLUGIN_CA_VOLUME,
                      secret: {
                          secretName: secrets.workerSecret,
                          defaultMode: 0o440,
                          items: [{ key: PLUGIN_CA_KEY, path: PLUGIN_CA_KEY }],
                      },
                  },
              ]
            : []),
        ...imageVolumes(plugins, layout).map((v) => ({
            name: v.name,
            image: { reference: v.reference, pullPolicy: "IfNotPresent" },
        })),
    ];
}

/** The worker's mounts: the installed plugins and the images, read-only. */
export function renderPluginMounts(plugins: readonly ResolvedPlugin[], layout: PluginLayout) {
    const downloads = plugins.some((p) => p.artifacts.length > 0);
    return [
        ...(downloads ? [{ name: PLUGINS_VOLUME, mountPath: layout.installDir, readOnly: true }] : []),
        ...imageVolumes(plugins, layout).map((v) => ({ name: v.name, mountPath: v.mountPath, readOnly: true })),
    ];
}

/** `-javaagent:<jar>[=<options>]` for each java-agent plugin. */
export function javaAgentOptions(plugins: readonly ResolvedPlugin[], layout: PluginLayout): string[] {
    return plugins
        .filter((p) => p.installTo === "java-agent")
        .map((p) => {
            const jar = `${targetDir(layout, "java-agent")}/${p.name}/${p.artifacts[0].fileName}`;
            return `-javaagent:${jar}${p.javaAgentOptions === undefined ? "" : `=${p.javaAgentOptions}`}`;
        });
}

type EnvVar = { readonly name: string; readonly value?: string };

/**
 * The worker's environment with the plugins' additions: CLASSPATH (kafka-run-class.sh puts it ahead of Kafka's
 * libs) and -javaagent flags appended to KAFKA_OPTS (kept as one variable: the JAAS flag may be there already).
 * Unchanged without such plugins, so the pod template does not change.
 */
export function withPluginEnv<T extends EnvVar>(
    env: readonly T[],
    plugins: readonly ResolvedPlugin[],
    layout: PluginLayout,
) {
    const classpath = plugins
        .filter((p) => p.installTo === "worker-classpath")
        .map((p) => `${targetDir(layout, "worker-classpath")}/${p.name}/*`);
    const agents = javaAgentOptions(plugins, layout);
    const result: (T | { name: string; value: string })[] = [...env];
    if (agents.length > 0) {
        const at = result.findIndex((e) => e.name === "KAFKA_OPTS");
        const value = [...(at >= 0 && result[at].value ? [result[at].value] : []), ...agents].join(" ");
        if (at >= 0) {
            result[at] = { name: "KAFKA_OPTS", value };
        } else {
            result.push({ name: "KAFKA_OPTS", value });
        }
    }
    if (classpath.length > 0) {
        result.push({ name: "CLASSPATH", value: classpath.join(":") });
    }
    return result;
}

/**
 * A pod of the rendered Deployment spec run with runc, as a kubelet would run it on one node: its volumes made as
 * host folders (emptyDirs 0777; Secret and projected volumes as files with their defaultMode, group fsGroup), and
 * each container (init or main) run from the locally built image with the spec's command, environment (the
 * downward API's pod IP, Secret keys), user, read-only root and mounts. What differs from a pod: the containers
 * share this host's network namespace (so the REST port and listener differ per pod, see imagesPodConfig), and
 * probes are run by the test when it asks (`probe`), not on a schedule.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { ResolvedClusterConfig } from "../../components/config/clusterConfig";
import { renderDeploymentSpec, renderSecretData, WorkloadNames } from "../../components/render/workload";
import { renderWorkerProperties } from "../../components/render/workerProperties";
import { renderRestAuthSecretData } from "../../components/render/restAuth";
import { Container, UnpackedImage } from "./harness/containers";
import { RunDir } from "./harness";

type EnvVar = {
    readonly name: string;
    readonly value?: string;
    readonly valueFrom?: {
        readonly fieldRef?: { readonly fieldPath: string };
        readonly secretKeyRef?: { readonly name: string; readonly key: string };
    };
};
type KeyToPath = { readonly key: string; readonly path: string };
type Volume = {
    readonly name: string;
    readonly emptyDir?: object;
    readonly secret?: { readonly secretName: string; readonly defaultMode?: number; readonly items?: KeyToPath[] };
    readonly projected?: {
        readonly defaultMode?: number;
        readonly sources: { readonly secret: { readonly name: string; readonly items: KeyToPath[] } }[];
    };
};
export type PodContainer = {
    readonly name: string;
    readonly image: string;
    readonly command: readonly string[];
    readonly env?: readonly EnvVar[];
    readonly securityContext?: { readonly readOnlyRootFilesystem?: boolean; readonly runAsUser?: number };
    readonly volumeMounts: readonly {
        readonly name: string;
        readonly mountPath: string;
        readonly readOnly?: boolean;
    }[];
    readonly readinessProbe?: { readonly exec?: { readonly command: readonly string[] } };
};
export type PodSpec = {
    readonly securityContext: { readonly runAsUser: number; readonly runAsGroup: number; readonly fsGroup: number };
    readonly initContainers?: readonly PodContainer[];
    readonly containers: readonly PodContainer[];
    readonly volumes: readonly Volume[];
};

export const NAMES: WorkloadNames = {
    deployment: "images",
    service: "images",
    secret: "images-worker-config",
    restAuth: "images-rest-auth",
};

/**
 * The config of one pod's worker on this host: the component's own, with its REST listener on 127.0.0.1 and its
 * own port (pods have their own network namespace; these share the host's).
 */
export function imagesPodConfig(config: ResolvedClusterConfig, restPort: number): ResolvedClusterConfig {
    return { ...config, restPort, worker: { ...config.worker, restPort, listenerHost: "127.0.0.1" } };
}

/** The rendered pod spec and the Secrets it mounts, as the component declares them. */
export function renderPod(
    config: ResolvedClusterConfig,
    restUsers: Readonly<Record<string, string>>,
): { spec: PodSpec; secrets: Record<string, Record<string, string>> } {
    const deployment = renderDeploymentSpec(NAMES.deployment, config, NAMES, [], "not-checked-here");
    const secrets = {
        [NAMES.secret]: renderSecretData(renderWorkerProperties({ ...config.worker })),
        [NAMES.restAuth!]: renderRestAuthSecretData(restUsers, config.restAuthDir!),
    };
    return { spec: deployment.template.spec as unknown as PodSpec, secrets };
}

/** One pod: its volumes on the host under <run>/<name>/, its containers run on demand. */
export class Pod {
    readonly dir: string;
    private readonly volumes = new Map<string, string>();

    constructor(
        readonly name: string,
        private readonly runDir: RunDir,
        readonly spec: PodSpec,
        private readonly secrets: Readonly<Record<string, Readonly<Record<string, string>>>>,
        readonly podIp = "127.0.0.1",
    ) {
        this.dir = runDir.file(name);
        const gid = spec.securityContext.fsGroup;
        for (const volume of spec.volumes) {
            const dir = path.join(this.dir, "volumes", volume.name);
            fs.mkdirSync(dir, { recursive: true });
            if (volume.emptyDir !== undefined) {
                fs.chmodSync(dir, 0o777);
            } else if (volume.secret !== undefined) {
                const data = this.secrets[volume.secret.secretName];
                const items = volume.secret.items ?? Object.keys(data).map((key) => ({ key, path: key }));
                writeItems(dir, data, items, volume.secret.defaultMode ?? 0o644, gid);
            } else if (volume.projected !== undefined) {
                for (const source of volume.projected.sources) {
                    const data = this.secrets[source.secret.name];
                    writeItems(dir, data, source.secret.items, volume.projected.defaultMode ?? 0o644, gid);
                }
            } else {
                throw new Error(`images test: volume ${volume.name} has a type this runner does not make`);
            }
            this.volumes.set(volume.name, dir);
        }
    }

    /** The host folder behind one of the pod's volumes. */
    volume(name: string): string {
        const dir = this.volumes.get(name);
        if (dir === undefined) {
            throw new Error(`images test: pod ${this.name} has no volume ${name}`);
        }
        return dir;
    }

    /** Starts one of the pod's containers (init or main) from `image`. */
    run(container: PodContainer, image: UnpackedImage): Container {
        const { runAsUser, runAsGroup, fsGroup } = this.spec.securityContext;
        // As the kubelet: `$(NAME)` in a value is an earlier variable of the same container.
        const env: Record<string, string> = {};
        for (const e of container.env ?? []) {
            env[e.name] = this.envValue(e).replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (ref, name) => env[name] ?? ref);
        }
        return new Container({
            name: `${this.name}-${container.name}`,
            runDir: this.runDir,
            image,
            command: container.command,
            env,
            user: {
                uid: container.securityContext?.runAsUser ?? runAsUser,
                gid: runAsGroup,
                additionalGids: [fsGroup],
            },
            readOnlyRoot: container.securityContext?.readOnlyRootFilesystem === true,
            mounts: container.volumeMounts.map((m) => ({
                destination: m.mountPath,
                source: this.volume(m.name),
                readOnly: m.readOnly === true,
            })),
        });
    }

    private envValue(e: EnvVar): string {
        if (e.value !== undefined) {
            return e.value;
        }
        if (e.valueFrom?.fieldRef?.fieldPath === "status.podIP") {
            return this.podIp;
        }
        const ref = e.valueFrom?.secretKeyRef;
        if (ref !== undefined) {
            return this.secrets[ref.name][ref.key];
        }
        throw new Error(`images test: env ${e.name} has a source this runner does not resolve`);
    }
}

function writeItems(
    dir: string,
    data: Readonly<Record<string, string>> | undefined,
    items: readonly KeyToPath[],
    mode: number,
    gid: number,
): void {
    for (const item of items) {
        const value = data?.[item.key];
        if (value === undefined) {
            throw new Error(`images test: the Secret has no key ${item.key}`);
        }
        const file = path.join(dir, item.path);
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, value, { mode });
        fs.chmodSync(file, mode);
        fs.chownSync(file, 0, gid);
    }
}

/**
 * LocalKubelet's init containers, without an API server or a broker: the `install-plugins` init container the
 * component renders, with a wrong SHA-512, run from a Deployment the fake API lists. The pod fails (Init:Error,
 * naming the artifact) and its worker is never started; the kubelet keeps retrying, as a kubelet backs off.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { resolvePlugins } from "../../components/config/plugins";
import { DEFAULTS } from "../../components/config/defaults";
import { renderPluginInitContainers, renderPluginVolumes } from "../../components/render/pluginPod";
import { createRunDir, MavenRepoServer, pinnedArtifact, waitFor } from "../integration/harness";
import { KubeApi } from "./fixtures/kubeApi";
import { LocalKubelet } from "./fixtures/localKubelet";

describe("LocalKubelet runs a pod's init containers before its worker", () => {
    let repo: MavenRepoServer;
    let kubelet: LocalKubelet | undefined;

    before(async () => {
        repo = await MavenRepoServer.start();
    });
    after(async () => {
        await kubelet?.stop();
        await repo?.stop();
    });

    test("a failing install-plugins fails the pod with the artifact named; no worker starts", async () => {
        const artifact = pinnedArtifact("debezium-connector-jdbc");
        const wrong = "0".repeat(128);
        const plugins = resolvePlugins([
            {
                name: "debezium-jdbc",
                artifacts: [{ maven: artifact.coordinates, repository: repo.url, sha512: wrong }],
            },
        ]);
        const layout = { installDir: DEFAULTS.pluginInstallDir, imagesDir: DEFAULTS.pluginImagesDir };
        const installer = { image: "curlimages/curl:8.17.0" };
        const deployment = {
            metadata: { name: "workers" },
            spec: {
                replicas: 1,
                template: {
                    spec: {
                        initContainers: renderPluginInitContainers(plugins, installer, layout),
                        containers: [{ command: ["connect-distributed.sh", "/etc/connect/distributed.properties"] }],
                        volumes: renderPluginVolumes(plugins, installer, layout, { workerSecret: "workers-config" }),
                    },
                },
            },
        };
        const api = {
            list: async () => [deployment],
            get: async () => undefined,
        } as unknown as KubeApi;
        kubelet = new LocalKubelet({ api, namespace: "ns", runDir: createRunDir("local-kubelet"), kafkaLibs: "/none" });
        await waitFor("the pod to fail", () => kubelet!.error, { timeoutMs: 60_000 });
        const url = `${repo.url}/${artifact.repositoryPath}`;
        assert.match(
            kubelet.error!,
            new RegExp(
                `^pod workers-[0-9a-f]{8}-[a-z0-9]+: Init:Error: init container install-plugins exited with 1: ` +
                    `install-plugins: plugin 'debezium-jdbc' artifact '${artifact.fileName}': SHA-512 mismatch ` +
                    `\\(expected ${wrong}, got ${artifact.sha512}, from ${url.replace(/[.]/g, "\\.")}\\); ` +
                    `nothing was unpacked$`,
            ),
        );
        assert.deepEqual(kubelet.pods, [], "no worker started");
        assert.deepEqual(kubelet.endpoints(), []);
    });
});

/**
 * The real single-node cluster (fixtures/realNode.ts, shared: fixtures/sharedNode.ts), proven with pods of the
 * node's own busybox image: pods run in real containers (runc) with their security context, Secret volumes and the
 * downward API; the API server proxies to a pod; exec readiness probes gate a Service's endpoints; a ClusterIP
 * Service reaches its pods through kube-proxy; the ReplicaSet controller replaces a pod deleted by hand; a failing
 * init container keeps the pod's container from starting; a broker started in the node's namespace serves the test
 * process and the pods. Its own namespace, deleted after the suite.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { after, before, describe, test } from "node:test";
import { promisify } from "node:util";
import { Broker, createRunDir, RunDir, startBroker, waitFor } from "../../integration/harness";
import { KubeApi, KubeObject } from "../fixtures/kubeApi";
import { RealNode } from "../fixtures/realNode";
import { POD_CIDR, SERVICE_CIDR } from "../fixtures/realNodeConfig";
import { createNamespace, deleteNamespace, realNodeSkip, sharedRealNode } from "../fixtures/sharedNode";

const NS = "node-test";
const IMAGE = "localhost/busybox:local";

interface PodStatus {
    readonly phase?: string;
    readonly podIP?: string;
    readonly conditions?: readonly { type: string; status: string }[];
    readonly initContainerStatuses?: readonly ContainerStatus[];
    readonly containerStatuses?: readonly ContainerStatus[];
}
interface ContainerStatus {
    readonly name: string;
    readonly restartCount: number;
    readonly state?: { waiting?: { reason?: string }; running?: object; terminated?: { exitCode: number } };
    readonly lastState?: { terminated?: { exitCode: number } };
}
type Pod = KubeObject & { readonly status?: PodStatus };

/** A busybox httpd on 8080 serving what `page` (a shell command run first) writes, from an emptyDir. */
function httpdContainer(page: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
    return {
        name: "web",
        image: IMAGE,
        imagePullPolicy: "Never",
        command: ["sh", "-c", `(${page}) > /www/index.html && exec httpd -f -p 8080 -h /www`],
        volumeMounts: [{ name: "www", mountPath: "/www" }],
        securityContext: { readOnlyRootFilesystem: true, runAsUser: 1000, runAsNonRoot: true },
        ...extra,
    };
}

const ready = (pod: Pod | undefined) =>
    pod?.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false;

async function podsOf(api: KubeApi, app: string): Promise<Pod[]> {
    const pods = await api.list<Pod>(`/api/v1/namespaces/${NS}/pods?labelSelector=app%3D${app}`);
    return pods.filter((p) => (p.metadata as { deletionTimestamp?: string }).deletionTimestamp === undefined);
}

const skip = realNodeSkip();

describe("a real Kubernetes node in a network namespace of its own", { skip, timeout: 900_000 }, () => {
    let node: RealNode;
    let api: KubeApi;
    let runDir: RunDir;
    let broker: Broker | undefined;

    before(
        async () => {
            runDir = createRunDir("real-node-pods");
            node = await sharedRealNode();
            api = node.api;
            await createNamespace(api, NS);
        },
        { timeout: 1_800_000 },
    );
    after(async () => {
        try {
            await deleteNamespace(api, NS);
        } finally {
            await broker?.stop();
        }
    });

    /** Runs `script` in a busybox pod as user 1000 until it exits; its log. */
    const runClient = async (name: string, script: string): Promise<string> => {
        await api.create(`/api/v1/namespaces/${NS}/pods`, {
            metadata: { name },
            spec: {
                restartPolicy: "Never",
                containers: [
                    {
                        name: "client",
                        image: IMAGE,
                        imagePullPolicy: "Never",
                        command: ["sh", "-c", script],
                        securityContext: { runAsUser: 1000 },
                    },
                ],
            },
        });
        await waitFor(
            `the ${name} pod to finish`,
            async () => {
                const p = await api.get<Pod>(`/api/v1/namespaces/${NS}/pods/${name}`);
                return p?.status?.phase === "Succeeded" || p?.status?.phase === "Failed" ? true : undefined;
            },
            { timeoutMs: 120_000, intervalMs: 1000 },
        );
        return api.request<string>("GET", `/api/v1/namespaces/${NS}/pods/${name}/log`);
    };

    test("a pod runs its spec in a real container: non-root, read-only root, Secret file mode, POD_IP", async () => {
        await api.create(`/api/v1/namespaces/${NS}/secrets`, {
            metadata: { name: "props" },
            stringData: { "worker.properties": "group.id=real-node\n" },
        });
        const page =
            'id -u; echo "$POD_IP"; cat /etc/props/worker.properties 2>&1; ' +
            "stat -L -c %a /etc/props/worker.properties; touch /x 2>&1 || echo root-read-only";
        await api.create(`/api/v1/namespaces/${NS}/pods`, {
            metadata: { name: "spec", labels: { app: "spec" } },
            spec: {
                // The Secret's files are root's with mode 0440: readable by uid 1000 through the pod's fsGroup only.
                securityContext: { fsGroup: 1000 },
                containers: [
                    httpdContainer(page, {
                        env: [{ name: "POD_IP", valueFrom: { fieldRef: { fieldPath: "status.podIP" } } }],
                        volumeMounts: [
                            { name: "www", mountPath: "/www" },
                            { name: "props", mountPath: "/etc/props", readOnly: true },
                        ],
                        readinessProbe: { exec: { command: ["test", "-s", "/www/index.html"] }, periodSeconds: 1 },
                    }),
                ],
                volumes: [
                    { name: "www", emptyDir: {} },
                    { name: "props", secret: { secretName: "props", defaultMode: 0o440 } },
                ],
            },
        });
        const pod = await waitFor(
            "pod spec to be Ready",
            async () => {
                const p = await api.get<Pod>(`/api/v1/namespaces/${NS}/pods/spec`);
                return ready(p) ? p : undefined;
            },
            { timeoutMs: 120_000, intervalMs: 1000 },
        );
        const podIp = pod.status!.podIP!;
        assert.ok(podIp.startsWith(POD_CIDR.split(".").slice(0, 3).join(".") + "."), `${podIp} in ${POD_CIDR}`);
        // Through the API server's proxy to the pod: the same path the component's REST access uses for a Service.
        const body = await api.request<string>("GET", `/api/v1/namespaces/${NS}/pods/spec:8080/proxy/`);
        assert.equal(
            body,
            `1000\n${podIp}\ngroup.id=real-node\n440\ntouch: /x: Read-only file system\nroot-read-only\n`,
        );
    });

    test("exec readiness probes gate a ClusterIP Service, which kube-proxy makes real", async () => {
        const template = (probe: string[]) => ({
            metadata: { labels: { app: "web" } },
            spec: {
                containers: [
                    httpdContainer("echo $HOSTNAME", {
                        readinessProbe: { exec: { command: probe }, periodSeconds: 1 },
                    }),
                ],
                volumes: [{ name: "www", emptyDir: {} }],
            },
        });
        await api.create(`/apis/apps/v1/namespaces/${NS}/deployments`, {
            metadata: { name: "web" },
            spec: { replicas: 2, selector: { matchLabels: { app: "web" } }, template: template(["true"]) },
        });
        // Same labels, but its probe never passes: it must never answer through the Service.
        await api.create(`/api/v1/namespaces/${NS}/pods`, {
            metadata: { name: "unready", labels: { app: "web" } },
            spec: template(["false"]).spec,
        });
        const service = await api.create<KubeObject & { spec: { clusterIP: string } }>(
            `/api/v1/namespaces/${NS}/services`,
            {
                metadata: { name: "web" },
                spec: { selector: { app: "web" }, ports: [{ port: 80, targetPort: 8080 }] },
            },
        );
        const clusterIp = service.spec.clusterIP;
        assert.ok(clusterIp.startsWith(SERVICE_CIDR.split(".").slice(0, 3).join(".") + "."));
        const readyPods = await waitFor(
            "two Ready web pods",
            async () => {
                const pods = (await podsOf(api, "web")).filter(ready);
                return pods.length === 2 ? pods : undefined;
            },
            { timeoutMs: 120_000, intervalMs: 1000 },
        );
        const readyNames = readyPods.map((p) => p.metadata.name).sort();
        assert.ok(!readyNames.includes("unready"));
        // Ready pods are in the Service's endpoints before kube-proxy has written their rules: wait for both rules.
        await waitFor(
            "kube-proxy to route the Service to both Ready pods",
            async () => {
                const [command, ...args] = node.launcher;
                const { stdout } = await promisify(execFile)(command, [...args, "iptables", "-w", "-t", "nat", "-S"]);
                const routed = readyPods.every((p) => stdout.includes(`"${NS}/web -> ${p.status!.podIP!}:8080"`));
                return routed ? true : undefined;
            },
            { timeoutMs: 60_000, intervalMs: 500 },
        );

        // nc, not wget: Debian's static busybox wget segfaults (also on the host).
        const log = await runClient(
            "client",
            `for i in $(seq 30); do printf "GET / HTTP/1.0\\r\\n\\r\\n" | nc -w 2 ${clusterIp} 80 | tail -1; done`,
        );
        const answers = log.trim().split("\n");
        assert.equal(answers.length, 30, log);
        assert.deepEqual([...new Set(answers)].sort(), readyNames, "both Ready pods answered, the unready one never");
    });

    test("a pod deleted by hand is replaced by the ReplicaSet controller", async () => {
        const [victim, survivor] = (await podsOf(api, "web")).filter((p) => p.metadata.name !== "unready");
        await api.request("DELETE", `/api/v1/namespaces/${NS}/pods/${victim.metadata.name}?gracePeriodSeconds=0`);
        const names = await waitFor(
            "a replacement pod to be Ready",
            async () => {
                const pods = (await podsOf(api, "web")).filter((p) => ready(p)).map((p) => p.metadata.name);
                return pods.length === 2 && !pods.includes(victim.metadata.name) ? pods : undefined;
            },
            { timeoutMs: 120_000, intervalMs: 1000 },
        );
        assert.ok(names.includes(survivor.metadata.name));
    });

    test("a failing init container keeps the pod's container from starting", async () => {
        await api.create(`/api/v1/namespaces/${NS}/pods`, {
            metadata: { name: "init-fails" },
            spec: {
                initContainers: [
                    { name: "install", image: IMAGE, imagePullPolicy: "Never", command: ["sh", "-c", "exit 3"] },
                ],
                containers: [httpdContainer("echo never")],
                volumes: [{ name: "www", emptyDir: {} }],
            },
        });
        const pod = await waitFor(
            "the init container to fail twice",
            async () => {
                const p = await api.get<Pod>(`/api/v1/namespaces/${NS}/pods/init-fails`);
                return (p?.status?.initContainerStatuses?.[0]?.restartCount ?? 0) >= 1 ? p : undefined;
            },
            { timeoutMs: 120_000, intervalMs: 1000 },
        );
        const init = pod.status!.initContainerStatuses![0];
        assert.equal((init.state?.terminated ?? init.lastState?.terminated)?.exitCode, 3);
        assert.equal(pod.status!.containerStatuses![0].state?.waiting?.reason, "PodInitializing");
        assert.equal(ready(pod), false);
    });

    test("a broker the harness starts in the node's namespace serves the test process and the pods", async () => {
        broker = await startBroker({ runDir, network: { host: node.nodeIp, launcher: node.launcher } });
        assert.equal(broker.bootstrapServers.split(":")[0], node.nodeIp);
        await broker.createTopic({ name: "from-the-host", partitions: 1 });
        const port = broker.bootstrapServers.split(":")[1];
        assert.equal(
            await runClient("kafka-client", `nc -w 5 ${node.nodeIp} ${port} -e true && echo reached`),
            "reached\n",
        );
    });
});

/**
 * The component's rendered workload on the real node (fixtures/realNode.ts, shared: fixtures/sharedNode.ts), without
 * the Pulumi engine: the worker
 * Secret, Service and Deployment exactly as components/render makes them, applied to the API server, their pods run
 * by the kubelet from the Kafka Connect image scripts/build-images makes, against a broker inside the node's
 * namespace. Proven: the Deployment's pods become Ready on their real probes; the workers form one cluster
 * advertising their pod IPs; the component's own REST client reaches them through the API server's service proxy
 * (its default access) and creates a connector; records flow; a worker pod deleted by hand is replaced and the
 * task runs again. Its own namespace and broker, removed after the suite.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import { after, before, describe, test } from "node:test";
import { DEFAULTS } from "../../../components/config/defaults";
import { resolveClusterConfig } from "../../../components/config/clusterConfig";
import { renderRestAuthSecretData } from "../../../components/render/restAuth";
import { renderWorkerProperties } from "../../../components/render/workerProperties";
import {
    REST_PORT_NAME,
    renderDeploymentSpec,
    renderSecretData,
    renderServiceSpec,
    workloadLabels,
    WorkloadNames,
} from "../../../components/render/workload";
import { ConnectRestClient } from "../../../components/rest/restClient";
import { kubernetesProxyTarget } from "../../../components/rest/kubeProxy";
import { Broker, createRunDir, startBroker, waitFor } from "../../integration/harness";
import { recordValues, waitForLagZero } from "../../integration/support";
import { KubeApi, KubeObject } from "../fixtures/kubeApi";
import { connectImage } from "../fixtures/connectImage";
import { RealNode } from "../fixtures/realNode";
import { createNamespace, deleteNamespace, realNodeSkip, sharedRealNode } from "../fixtures/sharedNode";

const NS = "workers";
const NAME = "kc";
const TOPIC = "real-node-records";
const CONNECTOR = "file-sink";
const NAMES: WorkloadNames = { deployment: NAME, service: NAME, secret: `${NAME}-worker-config` };
/** A second cluster, one worker, with REST basic auth: its readiness is the exec probe that authenticates. */
const AUTH_NAME = "kca";
const AUTH_NAMES: WorkloadNames = {
    deployment: AUTH_NAME,
    service: AUTH_NAME,
    secret: `${AUTH_NAME}-worker-config`,
    restAuth: `${AUTH_NAME}-rest-auth`,
};
const nodeSkip = realNodeSkip();
const image = nodeSkip === false ? connectImage() : { reason: "no real node" };
const skip = nodeSkip !== false ? nodeSkip : "reason" in image ? image.reason : false;

/** Records over both partitions: a partition nothing was written to has no committed offset, so no lag of 0. */
const spread = (values: string[]) => values.map((value, i) => ({ value, partition: i % 2 }));

type Pod = KubeObject & { status?: { podIP?: string; conditions?: { type: string; status: string }[] } };
const ready = (pod: Pod) => pod.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false;

describe("the component's workers in real pods on the real node", { skip, timeout: 900_000 }, () => {
    let node: RealNode;
    let api: KubeApi;
    let broker: Broker;
    let client: ConnectRestClient;

    const readyPods = async (instance = NAME) => {
        const selector = encodeURIComponent("app.kubernetes.io/instance=" + instance);
        const pods = await api.list<Pod>(`/api/v1/namespaces/${NS}/pods?labelSelector=${selector}`);
        return pods.filter(
            (p) => ready(p) && (p.metadata as { deletionTimestamp?: string }).deletionTimestamp === undefined,
        );
    };
    const waitForReadyPods = (count: number, also: (pods: Pod[]) => boolean = () => true) =>
        waitFor(
            `${count} Ready worker pods`,
            async () => {
                const pods = await readyPods();
                return pods.length === count && also(pods) ? pods : undefined;
            },
            { timeoutMs: 300_000, intervalMs: 2000 },
        );

    /** The worker Secret, Service and Deployment as the component renders them (plus any other Secrets). */
    const apply = async (
        name: string,
        names: WorkloadNames,
        config: ReturnType<typeof resolveClusterConfig>,
        secrets: Record<string, Record<string, string>> = {},
    ) => {
        const labels = workloadLabels(name, config).all;
        const allSecrets = {
            [names.secret]: renderSecretData(renderWorkerProperties({ ...config.worker })),
            ...secrets,
        };
        for (const [secretName, stringData] of Object.entries(allSecrets)) {
            await api.create(`/api/v1/namespaces/${NS}/secrets`, {
                metadata: { name: secretName, labels },
                stringData,
            });
        }
        await api.create(`/api/v1/namespaces/${NS}/services`, {
            metadata: { name: names.service, labels },
            spec: renderServiceSpec(name, config),
        });
        await api.create(`/apis/apps/v1/namespaces/${NS}/deployments`, {
            metadata: { name: names.deployment, labels },
            spec: renderDeploymentSpec(name, config, names, [], "rendered-for-the-real-node"),
        });
    };

    before(
        async () => {
            if (!("archive" in image)) {
                return;
            }
            const runDir = createRunDir("real-node-workers");
            node = await sharedRealNode();
            api = node.api;
            broker = await startBroker({ runDir, network: { host: node.nodeIp, launcher: node.launcher } });
            await broker.createTopic({ name: TOPIC, partitions: 2 });
            await node.importImage(image.archive);
            await createNamespace(api, NS);

            const args = {
                bootstrapServers: broker.bootstrapServers,
                namespace: NS,
                replicationFactor: 1,
                keyConverter: "org.apache.kafka.connect.storage.StringConverter",
                valueConverter: "org.apache.kafka.connect.storage.StringConverter",
                pluginPath: [`/opt/kafka/libs/connect-file-${DEFAULTS.image.split(":")[1]}.jar`],
                workerOverrides: { "plugin.discovery": "service_load", "offset.flush.interval.ms": "1000" },
            };
            // Both clusters start together: their pods' JVMs start side by side.
            await apply(NAME, NAMES, resolveClusterConfig(NAME, { ...args, replicas: 2 }));
            const authConfig = resolveClusterConfig(AUTH_NAME, { ...args, replicas: 1, restAuthEnabled: true });
            await apply(AUTH_NAME, AUTH_NAMES, authConfig, {
                [AUTH_NAMES.restAuth!]: renderRestAuthSecretData(
                    { deployer: "real-node-rest-5b0c" },
                    authConfig.restAuthDir!,
                ),
            });
            const proxy = kubernetesProxyTarget({
                kubeconfig: fs.readFileSync(node.kubeconfigFile, "utf8"),
                namespace: NS,
                service: NAMES.service,
                port: REST_PORT_NAME,
            });
            client = new ConnectRestClient(
                proxy.target,
                { requestTimeoutMs: 30_000, deadlineMs: 120_000, initialBackoffMs: 500, maxBackoffMs: 5_000 },
                proxy.credentials,
            );
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

    test("the rendered Deployment's pods become Ready on their real probes", async () => {
        const pods = await waitForReadyPods(2);
        for (const pod of pods) {
            assert.match(pod.status!.podIP!, /^10\.241\.0\.\d+$/);
        }
    });

    test("the component's REST client creates a connector through the service proxy; records flow", async () => {
        const info = await client.serverInfo();
        assert.equal(info.version, DEFAULTS.image.split(":")[1]);
        await client.createConnector(
            CONNECTOR,
            { "connector.class": "FileStreamSink", "tasks.max": "2", topics: TOPIC, file: "/tmp/sink.txt" },
            "RUNNING",
        );
        const status = await client.waitUntilRunning(CONNECTOR, { timeoutMs: 180_000, stableForMs: 3000 });
        const podIps = (await readyPods()).map((p) => p.status!.podIP!);
        // The workers advertise their pod IPs: each task's worker_id is one of them.
        for (const task of status.tasks) {
            assert.ok(podIps.includes(task.worker_id.split(":")[0]), `${task.worker_id} in ${podIps.join(", ")}`);
        }
        await broker.produce(TOPIC, spread(recordValues("first", 0, 200)));
        await waitForLagZero(broker, `connect-${CONNECTOR}`, 2);
    });

    test("a worker pod deleted by hand is replaced and its tasks run again", async () => {
        const [victim] = await readyPods();
        await api.request("DELETE", `/api/v1/namespaces/${NS}/pods/${victim.metadata.name}`);
        await waitForReadyPods(2, (pods) => !pods.some((p) => p.metadata.name === victim.metadata.name));
        await client.waitUntilRunning(CONNECTOR, { timeoutMs: 180_000, stableForMs: 3000 });
        await broker.produce(TOPIC, spread(recordValues("second", 0, 200)));
        await waitForLagZero(broker, `connect-${CONNECTOR}`, 2);
    });

    test("with REST auth, the exec readiness probe authenticates; the service proxy passes no credential", async () => {
        const [pod] = await waitFor(
            "the REST-auth worker to be Ready",
            async () => {
                const pods = await readyPods(AUTH_NAME);
                return pods.length === 1 ? pods : undefined;
            },
            { timeoutMs: 300_000, intervalMs: 2000 },
        );
        const spec = (await api.get<KubeObject & { spec: { containers: { readinessProbe?: object }[] } }>(
            `/api/v1/namespaces/${NS}/pods/${pod.metadata.name}`,
        ))!.spec;
        assert.ok("exec" in (spec.containers[0].readinessProbe ?? {}), "the readiness probe is the exec probe");
        // The API server authenticates the caller with the Authorization header and does not pass it on: Connect
        // sees a request without credentials.
        const proxied = api.request("GET", `/api/v1/namespaces/${NS}/services/${AUTH_NAME}:${REST_PORT_NAME}/proxy/`);
        await assert.rejects(proxied, /HTTP 401/);
    });
});

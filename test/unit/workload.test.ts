import assert from "node:assert/strict";
import { createHash, createHmac } from "node:crypto";
import { describe, it } from "node:test";
import { resolveClusterConfig } from "../../components/config/clusterConfig";
import * as workload from "../../components/render/workload";

const config = resolveClusterConfig("local-file-sink", { bootstrapServers: "b:9092", namespace: "kc", replicas: 3 });
const names = { deployment: "local-file-sink", service: "local-file-sink", secret: "local-file-sink-worker-config" };
const seedConfig = {
    "connector.class": "FileStreamSink",
    file: "/tmp/test.sink.txt",
    "tasks.max": "1",
    topics: "szcode2.qa.avro.server",
};

describe("workload renderers", () => {
    it("renders the seed's connector JSON shape", () => {
        assert.deepEqual(JSON.parse(workload.renderConnectorJson("local-file-sink", seedConfig)), {
            name: "local-file-sink",
            config: seedConfig,
        });
    });

    it("puts distributed.properties in the worker Secret, and the <connector>.json files in their own", () => {
        assert.deepEqual(workload.renderSecretData("a=b\n"), { "distributed.properties": "a=b\n" });
        assert.deepEqual(
            workload.renderConnectorsSecretData([
                { name: "local-file-sink", config: seedConfig },
                { name: "other", config: { "connector.class": "FileStreamSource" } },
            ]),
            {
                "local-file-sink.json": workload.renderConnectorJson("local-file-sink", seedConfig),
                "other.json": workload.renderConnectorJson("other", { "connector.class": "FileStreamSource" }),
            },
        );
    });

    it("keys the checksum with the salt (HMAC-SHA256): stable for the same salt and files, new for any change", () => {
        const files = { "distributed.properties": "sasl.password=hunter2\n", "secret:c.properties": "t=1\n" };
        const canonical = "distributed.properties\0sasl.password=hunter2\n\0secret:c.properties\0t=1\n\0";
        const checksum = workload.configChecksum(files, "salt-1");
        assert.equal(checksum, createHmac("sha256", "salt-1").update(canonical).digest("hex"));
        assert.notEqual(checksum, createHash("sha256").update(canonical).digest("hex"), "not the plain SHA-256");
        assert.equal(workload.secretDigest(files), createHash("sha256").update(canonical).digest("hex"));
        const reordered = { "secret:c.properties": "t=1\n", "distributed.properties": "sasl.password=hunter2\n" };
        assert.equal(workload.configChecksum(reordered, "salt-1"), checksum, "key order does not matter");
        assert.notEqual(workload.configChecksum(files, "salt-2"), checksum, "another salt, another checksum");
        const changes: Record<string, string>[] = [
            { ...files, "secret:c.properties": "t=2\n" },
            { ...files, "distributed.properties": "sasl.password=hunter3\n" },
            { "distributed.properties": files["distributed.properties"] },
        ];
        for (const changed of changes) {
            assert.notEqual(workload.configChecksum(changed, "salt-1"), checksum, JSON.stringify(changed));
        }
    });

    it("runs connect-distributed with the mounted properties, advertising the pod IP", () => {
        const spec = workload.renderDeploymentSpec(
            "local-file-sink",
            config,
            { ...names, connectors: "local-file-sink-connectors" },
            ["local-file-sink"],
            "abc",
        );
        const pod = spec.template.spec;
        const container = pod.containers[0];
        assert.equal(spec.replicas, 3);
        assert.deepEqual(container.command, [
            "/opt/kafka/bin/connect-distributed.sh",
            "/etc/kafka-connect-properties/distributed/distributed.properties",
        ]);
        assert.deepEqual(container.env[0], { name: "POD_IP", valueFrom: { fieldRef: { fieldPath: "status.podIP" } } });
        assert.deepEqual(container.env[1], { name: "KAFKA_HEAP_OPTS", value: "-Xms1g -Xmx1g" });
        assert.deepEqual(container.ports, [{ name: "rest", containerPort: 8083, protocol: "TCP" }]);
        assert.equal(spec.template.metadata.annotations["connectcluster.io/config-checksum"], "abc");
        // The seed's layout, from the worker Secret and the connectors' reference Secret (one volume, no nesting).
        assert.deepEqual(pod.volumes[0], {
            name: "worker-config",
            projected: {
                defaultMode: 0o440,
                sources: [
                    {
                        secret: {
                            name: "local-file-sink-worker-config",
                            items: [{ key: "distributed.properties", path: "distributed/distributed.properties" }],
                        },
                    },
                    {
                        secret: {
                            name: "local-file-sink-connectors",
                            items: [{ key: "local-file-sink.json", path: "connectors/local-file-sink.json" }],
                        },
                    },
                ],
            },
        });
        const withoutConnectors = workload.renderDeploymentSpec("local-file-sink", config, names, [], "abc");
        assert.deepEqual(withoutConnectors.template.spec.volumes[0], {
            name: "worker-config",
            projected: { defaultMode: 0o440, sources: [pod.volumes[0].projected!.sources[0]] },
        });
        assert.deepEqual(container.volumeMounts[0], {
            name: "worker-config",
            mountPath: "/etc/kafka-connect-properties",
            readOnly: true,
        });
    });

    it("sets the pod IP in the variable the worker properties advertise, named only in the resolved config", () => {
        const envOf = (resolved: typeof config) =>
            workload.renderDeploymentSpec("local-file-sink", resolved, names, [], "abc").template.spec.containers[0]
                .env;
        const podIp = { valueFrom: { fieldRef: { fieldPath: "status.podIP" } } };
        assert.deepEqual(config.worker.advertisedHost, { fromEnv: "POD_IP" });
        assert.deepEqual(envOf(config)[0], { name: "POD_IP", ...podIp });
        const renamed = { ...config, worker: { ...config.worker, advertisedHost: { fromEnv: "WORKER_IP" } } };
        assert.deepEqual(
            envOf(renamed).map((variable) => variable.name),
            ["WORKER_IP", "KAFKA_HEAP_OPTS", "LOG_DIR"],
        );
        const fixedHost = { ...config, worker: { ...config.worker, advertisedHost: { host: "connect.example" } } };
        assert.deepEqual(
            envOf(fixedHost).map((variable) => variable.name),
            ["KAFKA_HEAP_OPTS", "LOG_DIR"],
        );
    });

    it("always mounts something at the FileConfigProvider's allowed path: the workers do not start without it", () => {
        const mountOf = (spec: ReturnType<typeof workload.renderDeploymentSpec>) => {
            const pod = spec.template.spec;
            const mount = pod.containers[0].volumeMounts.find((m) => m.mountPath === config.worker.connectorSecretsDir);
            return { mount, volume: pod.volumes.find((v) => v.name === mount?.name) };
        };
        const withoutSecrets = mountOf(workload.renderDeploymentSpec("local-file-sink", config, names, [], "abc"));
        assert.deepEqual(withoutSecrets.volume, { name: "connector-secrets", emptyDir: {} });
        const withSecrets = mountOf(
            workload.renderDeploymentSpec(
                "local-file-sink",
                config,
                { ...names, connectorSecrets: "s" },
                ["db"],
                "abc",
                ["db"],
            ),
        );
        assert.deepEqual(withSecrets.volume, {
            name: "connector-secrets",
            secret: { secretName: "s", defaultMode: 0o440, items: [{ key: "db.properties", path: "db.properties" }] },
        });
    });

    it("probes the REST API's /health and runs as non-root with a read-only root filesystem", () => {
        const spec = workload.renderDeploymentSpec("local-file-sink", config, names, [], "abc");
        const container = spec.template.spec.containers[0];
        for (const probe of [container.readinessProbe, container.livenessProbe, container.startupProbe]) {
            assert.deepEqual("httpGet" in probe && probe.httpGet, { path: "/health", port: "rest" });
        }
        assert.deepEqual(spec.template.spec.securityContext, {
            runAsNonRoot: true,
            runAsUser: 1000,
            runAsGroup: 1000,
            fsGroup: 1000,
            seccompProfile: { type: "RuntimeDefault" },
        });
        assert.deepEqual(container.securityContext, {
            allowPrivilegeEscalation: false,
            readOnlyRootFilesystem: true,
            capabilities: { drop: ["ALL"] },
        });
        assert.deepEqual(container.resources, {
            requests: { cpu: "500m", memory: "1536Mi" },
            limits: { memory: "1536Mi" },
        });
        assert.deepEqual(spec.strategy, { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
    });

    it("selects pods by stable labels in the Deployment, Service and PDB", () => {
        const selector = { "app.kubernetes.io/name": "kafka-connect", "app.kubernetes.io/instance": "local-file-sink" };
        assert.deepEqual(workload.renderDeploymentSpec("local-file-sink", config, names, [], "x").selector, {
            matchLabels: selector,
        });
        assert.deepEqual(workload.renderServiceSpec("local-file-sink", config), {
            type: "ClusterIP",
            selector,
            ports: [{ name: "rest", port: 8083, targetPort: "rest", protocol: "TCP" }],
        });
        assert.deepEqual(workload.renderPodDisruptionBudgetSpec("local-file-sink", config), {
            maxUnavailable: 1,
            selector: { matchLabels: selector },
        });
        assert.equal(workload.serviceUrl("local-file-sink", "kc", 8083), "http://local-file-sink.kc.svc:8083");
    });

    it("bounds the rollout: progressDeadlineSeconds and pulumi-kubernetes' timeout from rolloutTimeoutSeconds", () => {
        assert.equal(
            workload.renderDeploymentSpec("local-file-sink", config, names, [], "abc").progressDeadlineSeconds,
            600,
        );
        assert.deepEqual(workload.renderDeploymentAnnotations(config), { "pulumi.com/timeoutSeconds": "600" });
        const quick = resolveClusterConfig("local-file-sink", {
            bootstrapServers: "b:9092",
            rolloutTimeoutSeconds: 90,
        });
        assert.equal(
            workload.renderDeploymentSpec("local-file-sink", quick, names, [], "abc").progressDeadlineSeconds,
            90,
        );
        assert.deepEqual(workload.renderDeploymentAnnotations(quick, { "pulumi.com/skipAwait": "true" }), {
            "pulumi.com/skipAwait": "true",
            "pulumi.com/timeoutSeconds": "90",
        });
        assert.throws(
            () => resolveClusterConfig("local-file-sink", { bootstrapServers: "b:9092", rolloutTimeoutSeconds: 10 }),
            {
                message: "rolloutTimeoutSeconds must be a whole number ≥ 30 (got 10).",
            },
        );
    });
});

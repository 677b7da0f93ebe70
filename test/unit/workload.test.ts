import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { PlainClusterArgs, resolveClusterConfig } from "../../components/config/clusterConfig";
import { renderPluginInstallScript } from "../../components/render/plugins";
import { renderWorkerProperties } from "../../components/render/workerProperties";
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

    it("puts distributed.properties and one <connector>.json per connector in the Secret", () => {
        const data = workload.renderSecretData("a=b\n", [{ name: "local-file-sink", config: seedConfig }]);
        assert.deepEqual(Object.keys(data), ["distributed.properties", "local-file-sink.json"]);
        assert.equal(data["distributed.properties"], "a=b\n");
    });

    it("changes the checksum when any Secret value changes, not when key order does", () => {
        const base = workload.configChecksum({ a: "1", b: "2" });
        assert.equal(workload.configChecksum({ b: "2", a: "1" }), base);
        assert.notEqual(workload.configChecksum({ a: "1", b: "3" }), base);
        assert.notEqual(workload.configChecksum({ a: "12", b: "" }), workload.configChecksum({ a: "1", b: "2" }));
        assert.match(base, /^[0-9a-f]{64}$/);
    });

    it("runs connect-distributed with the mounted properties, advertising the pod IP", () => {
        const spec = workload.renderDeploymentSpec("local-file-sink", config, names, ["local-file-sink"], "abc");
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
        const secretVolume = pod.volumes[0] as unknown as { secret: { secretName: string; items: unknown[] } };
        assert.deepEqual(secretVolume.secret.items, [
            { key: "distributed.properties", path: "distributed/distributed.properties" },
            { key: "local-file-sink.json", path: "connectors/local-file-sink.json" },
        ]);
        assert.equal(secretVolume.secret.secretName, "local-file-sink-worker-config");
        assert.deepEqual(container.volumeMounts[0], {
            name: "worker-config",
            mountPath: "/etc/kafka-connect-properties",
            readOnly: true,
        });
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
});

describe("plugins in the pod", () => {
    const SHA = "cd".repeat(64);
    const IMAGE = `registry.example/plugins/s3:1.0@sha256:${"e".repeat(64)}`;
    const plugins = [
        {
            name: "debezium-jdbc",
            artifacts: [{ maven: "io.debezium:debezium-connector-jdbc:3.4.3.Final:plugin:tar.gz", sha512: SHA }],
        },
        { name: "s3", artifacts: [{ image: IMAGE }] },
        {
            name: "config-provider",
            installTo: "worker-classpath" as const,
            artifacts: [{ url: "https://repo.example/cp-1.0.jar", sha512: SHA }],
        },
        {
            name: "jmx",
            installTo: "java-agent" as const,
            javaAgentOptions: "9404:/etc/jmx/config.yaml",
            artifacts: [{ maven: "io.prometheus.jmx:jmx_prometheus_javaagent:1.0.1", sha512: SHA }],
        },
    ];
    const args = { bootstrapServers: "b:9092", namespace: "kc", replicas: 3 };
    const withPlugins = resolveClusterConfig("local-file-sink", { ...args, plugins, restAuthEnabled: true });
    const namesWithAuth = { ...names, restAuth: "local-file-sink-rest-auth" };
    const spec = workload.renderDeploymentSpec("local-file-sink", withPlugins, namesWithAuth, [], "abc");
    const pod = spec.template.spec;
    const container = pod.containers[0];

    it("installs the downloads in an install-plugins init container, non-root with a read-only root filesystem", () => {
        const script = (specs: typeof withPlugins.plugins) =>
            renderPluginInstallScript(specs.map((p) => ({ name: p.name, artifacts: p.artifacts })));
        assert.deepEqual(pod.initContainers, [
            {
                name: "install-plugins",
                image: "curlimages/curl:8.17.0",
                command: [
                    "sh",
                    "-c",
                    'set -eu; netrc=$1; shift; while [ $# -gt 1 ]; do sh -c "$2" install-plugins "$1" "$netrc"; ' +
                        "shift 2; done",
                    "install-plugins",
                    "",
                    "/opt/connectcluster/plugin-path",
                    script([withPlugins.plugins[0]]),
                    "/opt/connectcluster/worker-classpath",
                    script([withPlugins.plugins[2]]),
                    "/opt/connectcluster/java-agent",
                    script([withPlugins.plugins[3]]),
                ],
                resources: { requests: { cpu: "100m", memory: "64Mi" }, limits: { memory: "256Mi" } },
                securityContext: {
                    allowPrivilegeEscalation: false,
                    readOnlyRootFilesystem: true,
                    runAsNonRoot: true,
                    capabilities: { drop: ["ALL"] },
                },
                volumeMounts: [{ name: "plugins", mountPath: "/opt/connectcluster" }],
            },
        ]);
        assert.equal(pod.securityContext.runAsUser, 1000, "the pod's non-root user applies to the init container");
    });

    it("mounts the installed plugins read-only in the worker and the image as a Kubernetes image volume", () => {
        assert.deepEqual(pod.volumes.slice(-2), [
            { name: "plugins", emptyDir: {} },
            { name: "plugin-image-0", image: { reference: IMAGE, pullPolicy: "IfNotPresent" } },
        ]);
        assert.deepEqual(container.volumeMounts.slice(-2), [
            { name: "plugins", mountPath: "/opt/connectcluster", readOnly: true },
            { name: "plugin-image-0", mountPath: "/opt/connectcluster-images/s3", readOnly: true },
        ]);
        assert.deepEqual(withPlugins.worker.pluginPath, [
            "/opt/kafka/plugins",
            "/opt/connectcluster/plugin-path",
            "/opt/connectcluster-images",
        ]);
        assert.match(
            renderWorkerProperties({ ...withPlugins.worker, security: undefined }),
            /\nplugin\.path=\/opt\/kafka\/plugins,\/opt\/connectcluster\/plugin-path,\/opt\/connectcluster-images\n/,
        );
    });

    it("puts worker-classpath jars on CLASSPATH and the agent in KAFKA_OPTS beside the JAAS flag", () => {
        assert.deepEqual(container.env.slice(3), [
            {
                name: "KAFKA_OPTS",
                value:
                    "-Djava.security.auth.login.config=/etc/kafka-connect-rest-auth/jaas.conf " +
                    "-javaagent:/opt/connectcluster/java-agent/jmx/jmx_prometheus_javaagent-1.0.1.jar" +
                    "=9404:/etc/jmx/config.yaml",
            },
            { name: "CLASSPATH", value: "/opt/connectcluster/worker-classpath/config-provider/*" },
        ]);
    });

    it("mounts the credentials Secret into the init container only, passing the netrc file by path", () => {
        const config = resolveClusterConfig("local-file-sink", {
            ...args,
            plugins: plugins.slice(0, 1),
            pluginInstaller: { image: "registry.example/tools:1", credentialsSecret: "maven-netrc" },
        });
        const p = workload.renderDeploymentSpec("local-file-sink", config, names, [], "abc").template.spec;
        const init = p.initContainers![0];
        assert.equal(init.image, "registry.example/tools:1");
        assert.equal(init.command[4], "/etc/connectcluster-plugin-credentials/netrc");
        assert.deepEqual(init.volumeMounts, [
            { name: "plugins", mountPath: "/opt/connectcluster" },
            { name: "plugin-credentials", mountPath: "/etc/connectcluster-plugin-credentials", readOnly: true },
        ]);
        assert.deepEqual(p.volumes.slice(-2), [
            { name: "plugins", emptyDir: {} },
            { name: "plugin-credentials", secret: { secretName: "maven-netrc", defaultMode: 0o440 } },
        ]);
        assert.deepEqual(
            p.containers[0].volumeMounts.map((m) => m.name),
            ["worker-config", "tmp", "logs", "connector-secrets", "plugins"],
        );
    });

    it("leaves the pod template as it was without plugins, and rolls one pod at a time with them", () => {
        const none = workload.renderDeploymentSpec("local-file-sink", config, names, [], "abc");
        assert.equal("initContainers" in none.template.spec, false);
        assert.deepEqual(
            none.template.spec.volumes.map((v) => v.name),
            ["worker-config", "tmp", "logs", "connector-secrets"],
        );
        assert.deepEqual(
            none.template.spec.containers[0].env.map((e) => e.name),
            ["POD_IP", "KAFKA_HEAP_OPTS", "LOG_DIR"],
        );
        assert.deepEqual(config.worker.pluginPath, ["/opt/kafka/plugins"]);
        const empty = resolveClusterConfig("local-file-sink", { ...args, plugins: [] });
        assert.deepEqual(workload.renderDeploymentSpec("local-file-sink", empty, names, [], "abc"), none);
        assert.deepEqual(spec.strategy, { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
    });

    it("changes the pod template when the plugin list changes, and not when other inputs do", () => {
        const render = (extra: Partial<PlainClusterArgs>) =>
            workload.renderDeploymentSpec(
                "local-file-sink",
                resolveClusterConfig("local-file-sink", { ...args, plugins, ...extra }),
                names,
                [],
                "abc",
            );
        const base = render({});
        const newChecksum = plugins.map((p, i) =>
            i === 0 ? { ...p, artifacts: [{ ...p.artifacts[0], sha512: "ef".repeat(64) }] } : p,
        );
        assert.notDeepEqual(render({ plugins: newChecksum }).template, base.template);
        assert.notDeepEqual(render({ plugins: plugins.slice(1) }).template, base.template);
        assert.deepEqual(render({ replicas: 5 }).template, base.template);
        assert.deepEqual(render({ connectorReadyTimeoutSeconds: 10 }).template, base.template);
        const heap = render({ heapOptions: "-Xmx2g" }).template;
        assert.notDeepEqual(heap, base.template);
        assert.deepEqual(heap.spec.initContainers, base.template.spec.initContainers, "the init container only");
    });
});

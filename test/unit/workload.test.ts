import assert from "node:assert/strict";
import { createHash, createHmac } from "node:crypto";
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
                    "set -eu; netrc=$1; ca=$2; shift 2; " +
                        'while [ $# -gt 1 ]; do sh -c "$2" install-plugins "$1" "$netrc" "$ca"; shift 2; done',
                    "install-plugins",
                    "",
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

    it("mounts the CA certificates from the worker Secret into the init container only, passing them by path", () => {
        const pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----";
        const config = resolveClusterConfig("local-file-sink", {
            ...args,
            plugins: plugins.slice(0, 1),
            pluginInstaller: { caCertificatePem: pem },
        });
        assert.equal(config.pluginInstaller.caCertificatePem, `${pem}\n`);
        const p = workload.renderDeploymentSpec("local-file-sink", config, names, [], "abc").template.spec;
        const init = p.initContainers![0];
        assert.deepEqual(init.command.slice(4, 6), ["", "/etc/connectcluster-plugin-ca/plugin-ca.pem"]);
        assert.deepEqual(init.volumeMounts, [
            { name: "plugins", mountPath: "/opt/connectcluster" },
            { name: "plugin-ca", mountPath: "/etc/connectcluster-plugin-ca", readOnly: true },
        ]);
        assert.deepEqual(p.volumes.slice(-1), [
            {
                name: "plugin-ca",
                secret: {
                    secretName: names.secret,
                    defaultMode: 0o440,
                    items: [{ key: "plugin-ca.pem", path: "plugin-ca.pem" }],
                },
            },
        ]);
        assert.ok(!p.containers[0].volumeMounts.some((m) => m.name === "plugin-ca"), "not in the worker");
        const data = workload.renderSecretData("a=b\n", undefined, config.pluginInstaller.caCertificatePem);
        assert.deepEqual(data, { "distributed.properties": "a=b\n", "plugin-ca.pem": `${pem}\n` });
        // The pods read it at start: a new CA rolls them.
        assert.deepEqual(Object.keys(workload.workerInputs(data, {})), ["distributed.properties", "plugin-ca.pem"]);
        const other = workload.renderSecretData("a=b\n", undefined, pem.replace("MIIB", "MIIC"));
        assert.notEqual(
            workload.configChecksum(workload.workerInputs(data, {}), "salt"),
            workload.configChecksum(workload.workerInputs(other, {}), "salt"),
        );
    });

    it("bounds the rollout: progressDeadlineSeconds and pulumi-kubernetes' timeout from rolloutTimeoutSeconds", () => {
        assert.equal(spec.progressDeadlineSeconds, 600);
        assert.deepEqual(workload.renderDeploymentAnnotations(config), { "pulumi.com/timeoutSeconds": "600" });
        const quick = resolveClusterConfig("local-file-sink", { ...args, rolloutTimeoutSeconds: 90 });
        assert.equal(
            workload.renderDeploymentSpec("local-file-sink", quick, names, [], "abc").progressDeadlineSeconds,
            90,
        );
        assert.deepEqual(workload.renderDeploymentAnnotations(quick, { "pulumi.com/skipAwait": "true" }), {
            "pulumi.com/skipAwait": "true",
            "pulumi.com/timeoutSeconds": "90",
        });
        assert.throws(() => resolveClusterConfig("local-file-sink", { ...args, rolloutTimeoutSeconds: 10 }), {
            message: "rolloutTimeoutSeconds must be a whole number ≥ 30 (got 10).",
        });
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

/**
 * The pod side of `plugins` and `pluginInstaller` (render/pluginPod.ts) as the Deployment renderer assembles it: the
 * install-plugins init container, the volumes and mounts, CLASSPATH and -javaagent, the credentials and CA
 * certificates, and when the pod template changes.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { PlainClusterArgs, resolveClusterConfig } from "../../components/config/clusterConfig";
import { renderPluginInstallScript } from "../../components/render/plugins";
import { renderWorkerProperties } from "../../components/render/workerProperties";
import * as workload from "../../components/render/workload";

const config = resolveClusterConfig("local-file-sink", { bootstrapServers: "b:9092", namespace: "kc", replicas: 3 });
const names = { deployment: "local-file-sink", service: "local-file-sink", secret: "local-file-sink-worker-config" };

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

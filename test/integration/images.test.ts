/**
 * The locally built images (scripts/build-images) run the rendered pod spec without Kubernetes: each pod's
 * containers are run with runc from the image the spec names, with the spec's command, environment, user 1000,
 * read-only root, emptyDirs and Secret volumes (imagesSupport.ts). Two pods: the `install-plugins` init container
 * (the installer image) installs the Debezium JDBC plugin from the harness's Maven repository on loopback, SHA-512
 * checked, then the worker (the Connect image) starts from OUR distributed.properties with REST basic auth; the two
 * workers form one group, answer the rendered exec probe, load the installed plugin, and run a FileStream sink.
 * A third pod's init container, given a wrong checksum, fails naming the artifact and installs nothing.
 * Skipped, with the reason printed, where the images cannot be built or run (not root, no apt-get, no runc).
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, afterEach, before, describe, test, TestContext } from "node:test";
import { resolveClusterConfig, ResolvedClusterConfig } from "../../components/config/clusterConfig";
import { renderAutoRestartContainers } from "../../components/render/autoRestart";
import { DEFAULTS } from "../../components/config/defaults";
import { basicAuthorization } from "../../components/basicAuth";
import { buildImages, Container, ImageArchives, unpackImage, UnpackedImage } from "./harness/containers";
import { freePorts, httpGet, httpRequest, LocalCluster, MavenRepoServer, startCluster } from "./harness";
import { waitFor } from "./harness/wait";
import { imagesPodConfig, NAMES, Pod, PodContainer, renderPod } from "./imagesSupport";
import { JDBC_SINK, pluginArgs, PLUGIN } from "./jdbcSinkSupport";
import { FILE_SINK, recordValues } from "./support";

const USERS = { operator: "images-test-password" };
const AUTH = { headers: { Authorization: basicAuthorization("operator", USERS.operator) } };
const GROUP = "images";
const CONTAINERD_NAME = "io.containerd.image.name";
type TaskStatus = { state: string; worker_id: string };
const STRING_CONVERTER = "org.apache.kafka.connect.storage.StringConverter";

describe("the locally built images run the rendered pod spec (runc, no Kubernetes)", () => {
    let unavailable: string | undefined;
    let archives: ImageArchives | undefined;
    let connectImage: UnpackedImage;
    let installerImage: UnpackedImage;
    let cluster: LocalCluster | undefined;
    let repo: MavenRepoServer | undefined;
    const containers: Container[] = [];
    const pods: { pod: Pod; port: number; config: ResolvedClusterConfig; worker?: Container }[] = [];

    before(async () => {
        const [built, started] = await Promise.all([
            buildImages(),
            startCluster({ workers: 0, groupId: GROUP, label: "images" }),
            MavenRepoServer.start().then((server) => (repo = server)),
        ]);
        cluster = started;
        if ("unavailable" in built) {
            unavailable = `the images cannot be built or run here: ${built.unavailable}`;
            return;
        }
        archives = built;
        connectImage = unpackImage(archives.connect);
        installerImage = unpackImage(archives.installer);
    });
    afterEach((t) => cluster?.reportIfFailed(t));
    after(async () => {
        await Promise.all(containers.map((c) => c.stop(15_000)));
        await repo?.stop();
        await cluster?.stop();
    });

    /** The component's config for this cluster (as the seed stack declares it), on this host's broker. */
    function config(restPort: number, sha512?: string) {
        const resolved = resolveClusterConfig(GROUP, {
            bootstrapServers: cluster!.broker.bootstrapServersFor("PLAINTEXT"),
            replicationFactor: 1,
            keyConverter: STRING_CONVERTER,
            valueConverter: STRING_CONVERTER,
            // As stacks/seedStack.ts: the FileStream connectors ship in the image's libs, off the class path.
            pluginPath: [`/opt/kafka/libs/connect-file-${DEFAULTS.image.split(":")[1]}.jar`],
            plugins: pluginArgs(repo!, sha512),
            restAuthEnabled: true,
            // The harness's one deviation: plugins found by their ServiceLoader manifests only (~9 s less per start).
            workerOverrides: { "plugin.discovery": "service_load" },
        });
        return imagesPodConfig(resolved, restPort);
    }

    function skipped(t: TestContext): boolean {
        if (unavailable !== undefined) {
            console.log(`images.test: skipped: ${unavailable}`);
            t.skip(unavailable);
        }
        return unavailable !== undefined;
    }

    /** Runs the pod's init container to its end. */
    async function runInit(pod: Pod): Promise<{ code: number | null; output: string; container: Container }> {
        const init = pod.spec.initContainers?.[0];
        assert.ok(init !== undefined, "the rendered pod spec has the install-plugins init container");
        const container = pod.run(init, installerImage);
        containers.push(container);
        const code = await container.waitForExit();
        return { code, output: fs.readFileSync(container.outFile, "utf8"), container };
    }

    test("the archives are named as the pod spec names its images", (t) => {
        if (skipped(t)) return;
        const { spec } = renderPod(config(8083), USERS);
        // What `ctr images import` names the image: the index's io.containerd.image.name.
        const imported = (archive: string) => {
            const index = JSON.parse(execFileSync("tar", ["-xOf", archive, "index.json"], { encoding: "utf8" }));
            return index.manifests.map((m: { annotations: Record<string, string> }) => m.annotations[CONTAINERD_NAME]);
        };
        assert.deepEqual(imported(archives!.connect), [`docker.io/${spec.containers[0].image}`]);
        assert.deepEqual(imported(archives!.installer), [`docker.io/${spec.initContainers?.[0].image}`]);
        assert.equal(spec.containers[0].image, DEFAULTS.image);
    });

    test("the init container installs the Debezium JDBC plugin in each pod, SHA-512 checked", async (t) => {
        if (skipped(t)) return;
        assert.deepEqual(config(8083).storageTopics, cluster!.storageTopics, "the harness made the same topics");
        for (const port of await freePorts(2)) {
            const { spec, secrets } = renderPod(config(port), USERS);
            pods.push({
                pod: new Pod(`pod-${pods.length + 1}`, cluster!.run, spec, secrets),
                port,
                config: config(port),
            });
        }
        const results = await Promise.all(pods.map(({ pod }) => runInit(pod)));
        for (const [i, result] of results.entries()) {
            assert.equal(result.code, 0, result.container.describe());
            assert.match(result.output, new RegExp(`^install-plugins: installed ${PLUGIN}$`, "m"));
            const installed = path.join(pods[i].pod.volume("plugins"), "plugin-path", PLUGIN);
            const jars = fs.readdirSync(installed, { recursive: true }).map(String);
            assert.ok(
                jars.some((f) => /debezium-connector-jdbc-[\d.]+Final\.jar$/.test(f)),
                jars.join(", "),
            );
            assert.ok(
                jars.some((f) => /postgresql-[\d.]+\.jar$/.test(f)),
                "the bundled JDBC driver",
            );
            // Written by the pod's user (runAsUser 1000), not root.
            assert.equal(fs.statSync(installed).uid, 1000);
        }
    });

    test("a wrong checksum fails the init container, naming the artifact, and installs nothing", async (t) => {
        if (skipped(t)) return;
        const [port] = await freePorts(1);
        const wrong = "0".repeat(128);
        const { spec, secrets } = renderPod(config(port, wrong), USERS);
        const pod = new Pod("pod-wrong-checksum", cluster!.run, spec, secrets);
        const result = await runInit(pod);
        assert.notEqual(result.code, 0, result.container.describe());
        assert.match(
            result.output,
            new RegExp(
                `install-plugins: plugin '${PLUGIN}' ` +
                    `artifact 'debezium-connector-jdbc-3\\.4\\.3\\.Final-plugin\\.tar\\.gz': ` +
                    `SHA-512 mismatch \\(expected ${wrong}, got [0-9a-f]{128}, ` +
                    `from http://127\\.0\\.0\\.1:\\d+/maven2/`,
            ),
        );
        assert.deepEqual(fs.readdirSync(path.join(pod.volume("plugins"), "plugin-path")), []);
    });

    test("two workers from the Connect image form a group, pass the exec probe, run a FileStream sink", async (t) => {
        if (skipped(t)) return;
        assert.equal(pods.length, 2, "the two pods of the init-container test");
        for (const entry of pods) {
            entry.worker = entry.pod.run(entry.pod.spec.containers[0], connectImage);
            containers.push(entry.worker);
        }
        // Ready as the kubelet sees it: the rendered exec probe (bash /dev/tcp, the mounted credential) exits 0
        // once /health answers 200, i.e. once the worker has joined the group.
        await Promise.all(
            pods.map(({ pod, worker }) =>
                waitFor(
                    `${pod.name}'s readiness probe`,
                    async () =>
                        (await worker!.exec(pod.spec.containers[0].readinessProbe!.exec!.command)).code === 0
                            ? true
                            : undefined,
                    {
                        timeoutMs: 180_000,
                        intervalMs: 1_000,
                        abortIf: () => (worker!.running ? undefined : worker!.describe()),
                    },
                ),
            ),
        );
        const [a, b] = pods;
        const url = (port: number) => `http://127.0.0.1:${port}`;

        // KAFKA_OPTS reached the JVM (the JAAS file): no credentials, no answer.
        assert.equal((await httpGet(`${url(a.port)}/connectors`)).status, 401);
        // KAFKA_HEAP_OPTS, KAFKA_OPTS and LOG_DIR on the java command line, as user 1000, root read-only.
        const cmdline = await a.worker!.exec(["bash", "-c", "tr '\\0' '\\n' </proc/1/cmdline"]);
        const args = cmdline.output.split("\n");
        const flags = [
            ...DEFAULTS.heapOptions.split(" "),
            "-Djava.security.auth.login.config=/etc/kafka-connect-rest-auth/jaas.conf",
            "-Dkafka.logs.dir=/var/log/kafka",
        ];
        assert.deepEqual(
            flags.filter((flag) => !args.includes(flag)),
            [],
            `java's command line: ${args.filter((arg) => !arg.includes(".jar")).join(" ")}`,
        );
        const status = await a.worker!.exec(["grep", "^Uid:", "/proc/1/status"]);
        assert.match(status.output, /^Uid:\s+1000\s+1000\s+1000\s+1000$/m);
        const write = await a.worker!.exec(["bash", "-c", "touch /opt/kafka/libs/x"]);
        assert.notEqual(write.code, 0);
        assert.match(write.output, /Read-only file system/);
        // The image's log4j config writes connect.log into LOG_DIR, the logs emptyDir.
        assert.match(fs.readFileSync(path.join(a.pod.volume("logs"), "connect.log"), "utf8"), /Kafka Connect started/);

        // The plugin the init container installed, and the FileStream connectors of the image's libs.
        const plugins = await httpGet(`${url(b.port)}/connector-plugins`, AUTH);
        const classes = (plugins.json as { class: string }[]).map((p) => p.class);
        assert.ok(classes.includes(JDBC_SINK) && classes.includes(FILE_SINK), plugins.text);

        // One group: a sink of two tasks, created on one worker, runs a task on each.
        const topic = "images-sink";
        await cluster!.broker.createTopic({ name: topic, partitions: 2 });
        const sink = { "connector.class": FILE_SINK, "tasks.max": "2", topics: topic, file: "/tmp/images-sink.txt" };
        const created = await httpRequest("PUT", `${url(a.port)}/connectors/images-sink/config`, sink, AUTH);
        assert.equal(created.status, 201, created.text);
        const values = recordValues("image", 0, 40);
        await cluster!.broker.produce(
            topic,
            values.map((value, i) => ({ value, partition: i % 2 })),
        );
        const statuses = await waitFor(
            "both tasks RUNNING, one on each worker",
            async () => {
                const status = await httpGet(`${url(b.port)}/connectors/images-sink/status`, AUTH);
                const tasks = (status.json as { tasks?: { state: string; worker_id: string }[] }).tasks ?? [];
                const workers = new Set(tasks.filter((task) => task.state === "RUNNING").map((task) => task.worker_id));
                return workers.size === 2 ? [...workers].sort() : undefined;
            },
            { timeoutMs: 60_000, intervalMs: 500 },
        );
        assert.deepEqual(statuses, [`127.0.0.1:${a.port}`, `127.0.0.1:${b.port}`].sort());
        const written = await waitFor(
            "every record in the two pods' sink files",
            () => {
                const lines = pods.flatMap(({ pod }) => {
                    const file = path.join(pod.volume("tmp"), "images-sink.txt");
                    return fs.existsSync(file) ? fs.readFileSync(file, "utf8").split("\n").filter(Boolean) : [];
                });
                return lines.length >= values.length ? lines : undefined;
            },
            { timeoutMs: 60_000, intervalMs: 500 },
        );
        assert.deepEqual([...written].sort(), values);
    });

    test("the auto-restart sidecar (installer image) restarts a failed task on its own worker only", async (t) => {
        if (skipped(t)) return;
        assert.ok(
            pods.every(({ worker }) => worker?.running),
            "the workers of the previous test",
        );
        // A FileStream sink whose file is on the read-only root: its task fails when it starts.
        const failing = { "connector.class": FILE_SINK, "tasks.max": "1", topics: "images-sink", file: "/opt/kafka/x" };
        const url = `http://127.0.0.1:${pods[0].port}/connectors/images-failing`;
        assert.equal((await httpRequest("PUT", `${url}/config`, failing, AUTH)).status, 201);
        const owner = await waitFor(
            "the task FAILED",
            async () => {
                const task = ((await httpGet(`${url}/status`, AUTH)).json as { tasks?: TaskStatus[] }).tasks?.[0];
                return task?.state === "FAILED" ? task.worker_id : undefined;
            },
            { timeoutMs: 60_000, intervalMs: 500 },
        );
        // The rendered sidecar of each pod, polling every 2 s (the component's default is 30 s).
        const sidecars = pods.map(({ pod, config }) => {
            const timings = { pollSeconds: 2, backoffUnitSeconds: 60 };
            const [sidecar] = renderAutoRestartContainers({ ...config, autoRestart: timings }, NAMES.restAuth);
            const container = pod.run({ ...sidecar, volumeMounts: [] } as PodContainer, installerImage);
            containers.push(container);
            return container;
        });
        const restarted = await waitFor(
            "a restart logged by the owner's sidecar",
            () => {
                const logs = sidecars.map((c) => fs.readFileSync(c.outFile, "utf8"));
                return logs.some((log) => log.includes("restarted task 0")) ? logs : undefined;
            },
            { timeoutMs: 30_000, intervalMs: 500, abortIf: () => sidecars.find((c) => !c.running)?.describe() },
        );
        const mine = pods.findIndex(({ port }) => owner === `127.0.0.1:${port}`);
        assert.match(restarted[mine], /^auto-restart: watching 127\.0\.0\.1:\d+ every 2s/m);
        assert.match(restarted[mine], /^auto-restart: restarted task 0 of connector images-failing \(restart 1; /m);
        assert.doesNotMatch(restarted[1 - mine], /restarted|cannot read/, "the other pod's sidecar left it alone");
        await httpRequest("DELETE", url, undefined, AUTH);
        // sh as a container's pid 1 has no SIGTERM handler (the kubelet, too, kills it at the grace period's end).
        await Promise.all(sidecars.map((c) => c.stop(1_000)));
    });
});

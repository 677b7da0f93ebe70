/**
 * The example stack (this repository's project: Pulumi.yaml and stacks/index.ts, the seed deployment) through
 * the real Pulumi engine, end to end, as `pulumi preview|up|refresh|destroy` in the project folder run it: the
 * CLI, the Node.js language host, pulumi-resource-kubernetes and pulumi-resource-kafka built by
 * scripts/setup-engine, a real
 * KRaft broker with a SASL listener (the stack's Kafka credentials are Pulumi secrets), a real
 * kube-apiserver, and LocalKubelet playing the kubelet: it runs the Deployment's workers from the
 * distributed.properties in the Secret the stack wrote. The connector reaches the workers through
 * LocalService (kube-proxy's part) at the stack's `restUrl`.
 * Where PostgreSQL is installed, the stack has its database sink from the start: the kubelet runs the
 * `install-plugins` init container's command (Debezium JDBC sink from a loopback Maven repository) before each
 * worker, and the second connector writes to a real PostgreSQL.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { JDBC_SINK_CONNECTOR, SEED_CONNECTOR, SEED_TOPIC } from "../../stacks/seedStack";
import { waitFor } from "../integration/harness";
import { countRecords, deliveryReport, recordValues, taskWorkers, waitForLagZero } from "../integration/support";
import { checkDatabaseSink, checkNoPlaintextSecret } from "./fixtures/exampleStackChecks";
import {
    EXACTLY_ONCE,
    EXAMPLE_STACK_ENGINE,
    NAMESPACE,
    SINK_GROUP,
    sinkSkip,
    STORAGE_TOPICS,
    useExampleStack,
} from "./fixtures/exampleStackRun";
import { prepareEngine } from "./support";

const engine = prepareEngine(EXAMPLE_STACK_ENGINE);

describe(
    "the example stack through the real engine, API server and workers",
    { skip: engine.ok ? false : engine.reason },
    () => {
        const run = useExampleStack();
        const stack = () => run().stack;
        const broker = () => run().broker;
        const rest = () => run().rest();
        const platform = () => run().platform;

        test(
            "1. preview of a fresh stack lists the topics, the Kubernetes objects and the connector, and " +
                "no secret",
            async () => {
                const preview = await stack().preview({ diff: true });
                for (const type of [
                    "kafka:index/topic:Topic",
                    "kubernetes:core/v1:Secret",
                    "kubernetes:apps/v1:Deployment",
                    "kubernetes:core/v1:Service",
                    "kubernetes:policy/v1:PodDisruptionBudget",
                    "connectcluster:Connector",
                ]) {
                    assert.match(
                        preview.stdout,
                        new RegExp(type.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")),
                        `${type} in the preview`,
                    );
                }
                assert.equal(
                    (preview.stdout.match(/kafka:index\/topic:Topic: \(create\)/g) ?? []).length,
                    3,
                    "three storage topics",
                );
                assert.equal(
                    (preview.stdout.match(/connectcluster:Connector: \(create\)/g) ?? []).length,
                    run().sink === undefined ? 1 : 2,
                    "the seed's connector, and the database sink when configured",
                );
                for (const secret of run().secrets()) {
                    assert.ok(!preview.stdout.includes(secret), "no secret (Kafka API, database) in the preview");
                }
            },
        );

        test(
            "2. up creates the topics, the Kubernetes objects and the connector, and the seed pipeline " +
                "moves records",
            async () => {
                const up = await stack().up();
                assert.equal(up.summary.result, "succeeded");
                assert.deepEqual(up.outputs.connectorStates.value, {
                    [SEED_CONNECTOR]: "RUNNING",
                    ...(run().sink === undefined ? {} : { [JDBC_SINK_CONNECTOR]: "RUNNING" }),
                });
                for (const secret of run().secrets()) {
                    assert.ok(!up.stdout.includes(secret), "no secret in the output of up");
                }
                const topics = await broker().describeTopics(STORAGE_TOPICS);
                assert.deepEqual(
                    topics.map((t) => [t.name, t.partitions, t.config["cleanup.policy"]]),
                    [
                        ["_local_file_sink.config", 1, "compact"],
                        ["_local_file_sink.offset", 25, "compact"],
                        ["_local_file_sink.status", 5, "compact"],
                    ],
                );
                for (const object of [
                    `apps/v1/namespaces/${NAMESPACE}/deployments/${SEED_CONNECTOR}`,
                    `v1/namespaces/${NAMESPACE}/services/${SEED_CONNECTOR}`,
                    `v1/namespaces/${NAMESPACE}/secrets/${SEED_CONNECTOR}-worker-config`,
                    `v1/namespaces/${NAMESPACE}/secrets/${SEED_CONNECTOR}-connectors`,
                ]) {
                    assert.ok(
                        await platform().controlPlane.api.get(
                            object.startsWith("v1/") ? `/api/${object}` : `/apis/${object}`,
                        ),
                        `${object} exists`,
                    );
                }
                assert.equal(platform().kubelet.pods.length, 1, "the kubelet runs the one replica");
                const values = recordValues("seed", 0, 200);
                await broker().produce(SEED_TOPIC, values);
                await waitForLagZero(broker(), SINK_GROUP, 2);
                assert.deepEqual(deliveryReport(values, countRecords([platform().sinkFile], "seed")), EXACTLY_ONCE);
            },
        );

        test(
            "2b. database sink: the init container installed the plugin from the Maven repository, keyed JSON " +
                "records land as rows in PostgreSQL, and the password is in no REST response, pod spec or log",
            { skip: sinkSkip },
            (t) => checkDatabaseSink(run(), (message) => t.diagnostic(message)),
        );

        test("3. a second up changes nothing and restarts nothing", async () => {
            const before = run().workerNames();
            const up = await stack().up();
            assert.deepEqual(up.summary.resourceChanges, {
                same: Object.values(up.summary.resourceChanges ?? {}).reduce((a, b) => a + b, 0),
            });
            assert.deepEqual(run().workerNames(), before);
        });

        test(
            "1b. changing one connector key previews exactly that key, on the connector and its reference Secret " +
                "only; up applies it over REST without rolling the workers",
            async () => {
                const before = run().workerNames();
                await stack().setConfig("sinkTasksMax", { value: "2" });
                const steps: string[] = [];
                const preview = await stack().preview({
                    diff: true,
                    onEvent: (event) => {
                        const step = event.resourcePreEvent?.metadata;
                        // Provider resources are left out: the engine reports its default dynamic provider as an
                        // "update" in every run, though it counts no change and the preview does not show it.
                        if (step !== undefined && step.op !== "same" && !step.type.startsWith("pulumi:providers:")) {
                            steps.push(`${step.op} ${step.type} ${step.urn.split("::").pop()}`);
                        }
                    },
                });
                // The connector is updated; the reference copy of its JSON, in its own Secret, changes too, and
                // pulumi-kubernetes replaces a Secret whose data changes (unless its provider sets
                // enableSecretMutable). Nothing for the workers' Secret or the Deployment: no worker restarts.
                assert.deepEqual(
                    steps.sort(),
                    [
                        `create-replacement kubernetes:core/v1:Secret ${SEED_CONNECTOR}-connectors`,
                        `delete-replaced kubernetes:core/v1:Secret ${SEED_CONNECTOR}-connectors`,
                        `replace kubernetes:core/v1:Secret ${SEED_CONNECTOR}-connectors`,
                        `update pulumi-nodejs:dynamic/connectcluster:Connector ${SEED_CONNECTOR}-${SEED_CONNECTOR}`,
                    ],
                    preview.stdout,
                );
                assert.deepEqual(
                    preview.changeSummary,
                    { same: preview.changeSummary.same, update: 1, replace: 1 },
                    preview.stdout,
                );
                const changedValues = preview.stdout
                    .split("\n")
                    .map((line) => /^\s*~ ([\w.-]+)\s*: (.*) => (.*)$/.exec(line))
                    .filter((match) => match !== null)
                    .map((match) => `${match[1]}: ${match[2]} => ${match[3]}`);
                assert.deepEqual(
                    changedValues,
                    ["local-file-sink.json: [secret] => [secret]", 'tasks.max: "1" => "2"'],
                    preview.stdout,
                );
                await stack().up();
                assert.equal((await rest().getConnectorConfig(SEED_CONNECTOR))?.["tasks.max"], "2");
                assert.deepEqual(run().workerNames(), before, "no worker restarted for a connector change");
            },
        );

        test(
            "4. replicas 1 -> 2 by stack config: the kubelet starts a second worker, the tasks are split, no record " +
                "is lost or doubled",
            async () => {
                const producer = broker().startSteadyProducer({
                    topic: SEED_TOPIC,
                    prefix: "scale",
                    ratePerSecond: 100,
                });
                await stack().setConfig("replicas", { value: "2" });
                await stack().up();
                await waitFor(
                    "two workers, each running one task",
                    async () => {
                        const { workers, states } = await taskWorkers(rest(), SEED_CONNECTOR);
                        return platform().kubelet.pods.length === 2 &&
                            workers.size === 2 &&
                            states.every((state) => state === "RUNNING")
                            ? true
                            : undefined;
                    },
                    { timeoutMs: 180_000, intervalMs: 1_000 },
                );
                const acked = await producer.stop();
                await waitForLagZero(broker(), SINK_GROUP, 2);
                assert.deepEqual(
                    deliveryReport(recordValues("scale", 0, acked), countRecords([platform().sinkFile], "scale")),
                    EXACTLY_ONCE,
                );
            },
        );

        test("5. a connector deleted or edited out of band: refresh shows it, up restores it", async () => {
            await rest().deleteConnector(SEED_CONNECTOR);
            const afterDelete = await stack().refresh();
            assert.equal(afterDelete.summary.resourceChanges?.delete, 1, afterDelete.stdout);
            await stack().up();
            assert.equal((await rest().getConnectorConfig(SEED_CONNECTOR))?.["tasks.max"], "2");

            await rest().putConnectorConfig(SEED_CONNECTOR, {
                ...(await rest().getConnectorConfig(SEED_CONNECTOR)),
                "tasks.max": "1",
            });
            const afterEdit = await stack().refresh();
            assert.equal(afterEdit.summary.resourceChanges?.update, 1, afterEdit.stdout);
            await stack().up();
            assert.equal((await rest().getConnectorConfig(SEED_CONNECTOR))?.["tasks.max"], "2");
        });

        test("7. the state file and the stack's config file hold no plaintext secret", () => {
            checkNoPlaintextSecret(run());
        });

        test(
            "6. destroy removes the connector and the Kubernetes objects; the storage topics stay, unless " +
                "protection is opted out",
            async () => {
                await stack().destroy();
                for (const object of [
                    `/apis/apps/v1/namespaces/${NAMESPACE}/deployments/${SEED_CONNECTOR}`,
                    `/api/v1/namespaces/${NAMESPACE}/secrets/${SEED_CONNECTOR}-worker-config`,
                ]) {
                    assert.equal(await platform().controlPlane.api.get(object), undefined, `${object} is gone`);
                }
                await waitFor(
                    "the kubelet to stop the workers",
                    () => (platform().kubelet.pods.length === 0 ? true : undefined),
                    { timeoutMs: 120_000 },
                );
                assert.deepEqual(
                    (await broker().describeTopics(STORAGE_TOPICS)).map((t) => t.name),
                    STORAGE_TOPICS,
                    "the storage topics stay",
                );

                // Coming back: adopt the kept topics; the connector continues from its kept offsets (nothing
                // re-delivered).
                const delivered = countRecords([platform().sinkFile], "seed");
                await stack().setAllConfig({
                    adoptStorageTopics: { value: "true" },
                    retainStorageTopicsOnDelete: { value: "false" },
                });
                await stack().up();
                const more = recordValues("seed", 200, 50);
                await broker().produce(SEED_TOPIC, more);
                await waitForLagZero(broker(), SINK_GROUP, 2);
                assert.deepEqual(
                    deliveryReport([...delivered.keys(), ...more], countRecords([platform().sinkFile], "seed")),
                    EXACTLY_ONCE,
                );
                await stack().destroy();
                assert.deepEqual(
                    await broker()
                        .listTopics()
                        .then((names) => names.filter((name) => STORAGE_TOPICS.includes(name))),
                    [],
                    "opted out: destroy deleted them",
                );
            },
        );
    },
);

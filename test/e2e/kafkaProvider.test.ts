/**
 * pulumi-resource-kafka as scripts/setup-engine builds it (Mongey's Terraform provider through Pulumi's Terraform
 * bridge, under the @pulumi/kafka npm SDK's tokens), driven by that SDK through the real engine (the CLI from
 * setup-engine, a local file backend) against a real KRaft broker from the harness: up creates the topic with the
 * declared partitions, replication factor and config, and getTopic reads it back; a second up changes nothing; a
 * changed config value is a one-key diff in preview and is applied by up; refresh picks up an out-of-band config
 * change and up undoes it; destroy deletes the topic. Also: the plugin's embedded schema names the npm package's
 * version and every token and provider input the npm SDK sends.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, afterEach, before, describe, test } from "node:test";
import * as kafka from "@pulumi/kafka";
import { LocalWorkspace, PulumiCommand, Stack } from "@pulumi/pulumi/automation";
import { Broker, createRunDir, RunDir, TopicDescription } from "../integration/harness";
import { runJava } from "../integration/harness/processes";
import { tail } from "../integration/harness/runDir";
import { ENGINE_BIN, ENGINE_ROOT, engineEnv, prepareEngine } from "./support";

const TOPIC = "e2e-kafka-provider";
const built = prepareEngine(["cli", "kafka"]);

describe(
    "kafka.Topic through pulumi-resource-kafka and the real engine",
    { skip: built.ok ? false : built.reason },
    () => {
        let runDir: RunDir;
        let broker: Broker | undefined;
        let workDir: string | undefined;
        let stack: Stack;
        /** The topic config the program declares; tests change it between runs. */
        let topicConfig: Record<string, string> = { "cleanup.policy": "compact", "retention.ms": "86400000" };

        const describeTopic = async (): Promise<TopicDescription> => {
            const [description] = await requireBroker().describeTopics([TOPIC]);
            assert.ok(description, `the broker describes ${TOPIC}`);
            return description;
        };
        const requireBroker = (): Broker => {
            assert.ok(broker, "the broker is running");
            return broker;
        };

        before(async () => {
            runDir = createRunDir("e2e-kafka-provider");
            broker = await Broker.start({ runDir });
            // The stack's state and work folder live outside the repository: the kafka plugin needs nothing from it.
            workDir = fs.mkdtempSync(path.join(os.tmpdir(), "kafka-provider-e2e-"));
            const backend = path.join(workDir, "state");
            fs.mkdirSync(backend);
            const bootstrapServers = broker.bootstrapServers;
            const program = async () => {
                const provider = new kafka.Provider("k", { bootstrapServers: [bootstrapServers], tlsEnabled: false });
                const topic = new kafka.Topic(
                    "t",
                    { name: TOPIC, partitions: 3, replicationFactor: 1, config: { ...topicConfig } },
                    { provider },
                );
                const readBack = kafka.getTopicOutput({ name: topic.name }, { provider });
                return {
                    name: topic.name,
                    partitions: topic.partitions,
                    replicationFactor: topic.replicationFactor,
                    config: topic.config,
                    readBack: {
                        partitions: readBack.partitions,
                        replicationFactor: readBack.replicationFactor,
                        config: readBack.config,
                    },
                };
            };
            stack = await LocalWorkspace.createOrSelectStack(
                { projectName: "connectcluster-kafka-e2e", stackName: "dev", program },
                {
                    workDir,
                    pulumiCommand: await PulumiCommand.get({ root: ENGINE_ROOT }),
                    envVars: engineEnv(backend, "kafka-e2e-passphrase"),
                },
            );
        });

        afterEach((t) => {
            // TestContext.passed exists at run time (Node 20.12+) but not in @types/node 20.
            if ((t as { readonly passed?: boolean }).passed === false && runDir !== undefined) {
                process.stderr.write(
                    `harness run folder for failed test "${t.name}": ${runDir.path}\n--- broker.log, last ` +
                        `lines:\n${tail(runDir.file("broker.log"), 6)}\n`,
                );
            }
        });

        after(async () => {
            try {
                await stack?.workspace.removeStack("dev", { force: true }).catch(() => undefined);
                await broker?.stop();
            } finally {
                // The broker's run folder stays under test-output/ (pruned by the harness) for reading after a failure.
                if (workDir !== undefined) {
                    fs.rmSync(workDir, { recursive: true, force: true });
                }
            }
        });

        test("up creates the topic with the declared partitions, replication factor and config", async () => {
            const up = await stack.up();
            assert.equal(up.summary.result, "succeeded");
            assert.deepEqual(up.summary.resourceChanges, { create: 3 }, "stack, provider and topic");
            assert.doesNotMatch(
                up.stdout,
                /Type checking failed|Unexpected type/,
                "the bridge's check against the embedded schema passes",
            );
            assert.equal(up.outputs.name.value, TOPIC);
            assert.equal(up.outputs.partitions.value, 3);
            assert.equal(up.outputs.replicationFactor.value, 1);
            assert.deepEqual(up.outputs.config.value, topicConfig);
            assert.deepEqual(
                up.outputs.readBack.value,
                { partitions: 3, replicationFactor: 1, config: topicConfig },
                "kafka:index:getTopic",
            );
            assert.deepEqual(await describeTopic(), {
                name: TOPIC,
                partitions: 3,
                replicationFactor: 1,
                config: topicConfig,
            });
        });

        test("a second up changes nothing", async () => {
            const up = await stack.up();
            assert.deepEqual(up.summary.resourceChanges, { same: 3 });
        });

        test("a changed config value is a one-key update in preview, and up applies it in place", async () => {
            topicConfig = { ...topicConfig, "retention.ms": "172800000" };
            const preview = await stack.preview({ diff: true });
            assert.deepEqual(preview.changeSummary, { same: 2, update: 1 }, preview.stdout);
            const changed = preview.stdout
                .split("\n")
                .filter((line) => /^\s*~\s/.test(line) && !/kafka:index\/topic:Topic|pulumi:pulumi:Stack/.test(line));
            assert.ok(
                changed.some((line) => line.includes("retention.ms")),
                preview.stdout,
            );
            assert.ok(
                !changed.some((line) => /cleanup\.policy|partitions|replicationFactor/.test(line)),
                preview.stdout,
            );
            assert.match(preview.stdout, /86400000.*=>.*172800000/);
            const up = await stack.up();
            assert.deepEqual(up.summary.resourceChanges, { same: 2, update: 1 });
            assert.deepEqual(await describeTopic(), {
                name: TOPIC,
                partitions: 3,
                replicationFactor: 1,
                config: topicConfig,
            });
        });

        test("refresh picks up an out-of-band config change, and up undoes it", async () => {
            await runJava({
                name: "kafka-configs",
                mainClass: "kafka.admin.ConfigCommand",
                args: [
                    "--bootstrap-server",
                    requireBroker().bootstrapServers,
                    "--entity-type",
                    "topics",
                    "--entity-name",
                    TOPIC,
                    "--alter",
                    "--add-config",
                    "retention.ms=60000",
                ],
                runDir,
                heapMb: 256,
                timeoutMs: 60_000,
            });
            assert.equal((await describeTopic()).config["retention.ms"], "60000");
            const refresh = await stack.refresh();
            assert.deepEqual(refresh.summary.resourceChanges, { same: 2, update: 1 }, refresh.stdout);
            const preview = await stack.preview({ diff: true });
            assert.deepEqual(preview.changeSummary, { same: 2, update: 1 }, preview.stdout);
            assert.match(preview.stdout, /60000.*=>.*172800000/);
            await stack.up();
            assert.deepEqual((await describeTopic()).config, topicConfig);
        });

        test(
            "the plugin's schema names the npm package's version and every token and provider input its " + "SDK sends",
            () => {
                const sdkDir = path.dirname(require.resolve("@pulumi/kafka/package.json"));
                const sdkVersion = (
                    JSON.parse(fs.readFileSync(path.join(sdkDir, "package.json"), "utf8")) as { version: string }
                ).version;
                const sources = fs
                    .readdirSync(sdkDir)
                    .filter((file) => file.endsWith(".js"))
                    .map((file) => fs.readFileSync(path.join(sdkDir, file), "utf8"));
                const matches = (pattern: RegExp) =>
                    sources.flatMap((text) => [...text.matchAll(pattern)].map((match) => match[1]));
                const resourceTokens = matches(/__pulumiType = '(kafka:[^']+)'/g).sort();
                const functionTokens = [...new Set(matches(/runtime\.invoke(?:Output)?\("(kafka:[^"]+)"/g))].sort();
                const schema = JSON.parse(
                    execFileSync(
                        path.join(ENGINE_BIN, "pulumi"),
                        ["package", "get-schema", path.join(ENGINE_BIN, "pulumi-resource-kafka")],
                        {
                            // get-schema with a plugin path runs that binary; the backend is never opened.
                            env: { ...process.env, ...engineEnv(path.join(os.tmpdir(), "unused-backend"), "unused") },
                            encoding: "utf8",
                        },
                    ),
                ) as {
                    name: string;
                    version: string;
                    resources: Record<string, unknown>;
                    functions: Record<string, unknown>;
                    config: { variables: Record<string, unknown> };
                };
                assert.equal(schema.name, "kafka");
                assert.equal(schema.version, sdkVersion);
                assert.deepEqual(resourceTokens, [
                    "kafka:index/acl:Acl",
                    "kafka:index/quota:Quota",
                    "kafka:index/topic:Topic",
                    "kafka:index/userScramCredential:UserScramCredential",
                ]);
                assert.deepEqual(Object.keys(schema.resources).sort(), resourceTokens);
                assert.deepEqual(functionTokens, ["kafka:index:getTopic", "kafka:index:getTopics"]);
                assert.deepEqual(
                    functionTokens.filter((token) => !(token in schema.functions)),
                    [],
                );
                const providerSource = fs.readFileSync(path.join(sdkDir, "provider.js"), "utf8");
                const sentByProvider = [...providerSource.matchAll(/resourceInputs\["(\w+)"\]/g)].map(
                    (match) => match[1],
                );
                assert.ok(
                    sentByProvider.includes("bootstrapServers") && sentByProvider.includes("saslPassword"),
                    "the SDK's provider inputs were found",
                );
                assert.deepEqual(
                    sentByProvider.filter((key) => !(key in schema.config.variables)),
                    [],
                    "provider inputs the schema lacks",
                );
            },
        );

        test("destroy deletes the topic", async () => {
            const destroy = await stack.destroy();
            assert.deepEqual(destroy.summary.resourceChanges, { delete: 3 });
            assert.ok(!(await requireBroker().listTopics()).includes(TOPIC), "the topic is gone from the broker");
        });
    },
);

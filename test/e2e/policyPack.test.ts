/**
 * The policy pack (policy/) through the real engine: `pulumi preview --policy-pack policy` of one program, in two
 * stacks of config. "violating" declares each mistake the pack exists for, and the preview fails with every
 * rule's message for exactly the resources that make it; "compliant" is ConnectCluster with its defaults (and a
 * plugin with its checksum) beside the same hand-written resources done right, and the preview passes with no
 * violation. The production rules are then turned off by
 * the pack's config. No cluster or broker is reached: pulumi-resource-kubernetes previews against an unreachable
 * API server, pulumi-resource-kafka connects lazily.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, test } from "node:test";
import * as k8s from "@pulumi/kubernetes";
import * as kafka from "@pulumi/kafka";
import * as pulumi from "@pulumi/pulumi";
import { LocalWorkspace, PulumiCommand, Stack } from "@pulumi/pulumi/automation";
import { ConnectCluster } from "../../components";
import { JDBC_SINK_PLUGIN } from "../../stacks/seedStack";
import { repoRoot } from "../integration/harness";
import { ENGINE_ROOT, engineEnv, prepareEngine, UNREACHABLE_KUBECONFIG } from "./support";

const built = prepareEngine(["cli", "kubernetes", "kafka"]);
const NAMESPACE = "connect-policy";
/**
 * The pack, as a binary analyzer plugin: setup-engine's Node.js language host (v3.68.0) cannot run a pack folder
 * (no RunPlugin), so the engine is given policy/run-policy-pack, which serves the folder's pack itself.
 */
const POLICY_PACK = path.join(repoRoot(), "policy", "run-policy-pack");

/** The program: ConnectCluster and hand-written resources, each breaking the rules when `violate` is set. */
function program(): void {
    const violate = new pulumi.Config().requireBoolean("violate");
    const providers = {
        kafka: new kafka.Provider("kafka", { bootstrapServers: ["127.0.0.1:9"], tlsEnabled: false }),
        kubernetes: new k8s.Provider("k8s", { kubeconfig: UNREACHABLE_KUBECONFIG }),
    };
    new ConnectCluster(
        "sink",
        {
            bootstrapServers: "127.0.0.1:9",
            groupId: "sink",
            namespace: NAMESPACE,
            skipAwait: true,
            restAccess: { url: "http://127.0.0.1:9" },
            plugins: [
                {
                    name: JDBC_SINK_PLUGIN.name,
                    artifacts: [{ maven: JDBC_SINK_PLUGIN.maven, sha512: JDBC_SINK_PLUGIN.sha512 }],
                },
            ],
            ...(violate ? { replicas: 1, replicationFactor: 1, networkPolicy: false } : {}),
            connectors: [
                {
                    name: "orders-sink",
                    config: {
                        "connector.class": "io.debezium.connector.jdbc.JdbcSinkConnector",
                        topics: "orders",
                        "connection.url": "jdbc:postgresql://db:5432/orders",
                        ...(violate ? { "connection.password": "hunter2" } : {}),
                    },
                    secretConfig: violate ? undefined : { "connection.password": pulumi.secret("hunter2") },
                },
            ],
        },
        { providers },
    );
    // Written by hand, as many do: Connect's default config topic name; violating, with partitions and no compaction.
    new kafka.Topic(
        "connect-configs",
        {
            name: "connect-configs",
            partitions: violate ? 3 : 1,
            replicationFactor: 3,
            config: { "cleanup.policy": violate ? "delete" : "compact" },
        },
        { provider: providers.kafka },
    );
    // A hand-made worker Deployment. Violating: plugins from Confluent Hub unchecked, no limits, one worker, no
    // NetworkPolicy. Compliant: the download checked with sha512sum, a memory limit, two workers, a NetworkPolicy.
    const download = violate
        ? ["confluent-hub", "install", "--no-prompt", "debezium/debezium-connector-jdbc:3.4.3"]
        : ["sh", "-c", 'curl -fsSLo /p/jdbc.tgz "$URL" && echo "$SHA512  /p/jdbc.tgz" | sha512sum -c -'];
    new k8s.apps.v1.Deployment(
        "hand-made",
        {
            metadata: { name: "hand-made", namespace: NAMESPACE },
            spec: {
                replicas: violate ? undefined : 2,
                selector: { matchLabels: { app: "hand-made" } },
                template: {
                    metadata: { labels: { app: "hand-made", tier: "connect" } },
                    spec: {
                        initContainers: [{ name: "plugins", image: "curlimages/curl:8.17.0", command: download }],
                        containers: [
                            {
                                name: "connect",
                                image: "confluentinc/cp-kafka-connect:7.9.0",
                                command: ["connect-distributed", "/etc/connect/distributed.properties"],
                                resources: violate ? undefined : { limits: { memory: "2Gi" } },
                            },
                        ],
                    },
                },
            },
        },
        { provider: providers.kubernetes },
    );
    if (!violate) {
        new k8s.networking.v1.NetworkPolicy(
            "hand-made-rest",
            {
                metadata: { name: "hand-made-rest", namespace: NAMESPACE },
                spec: { podSelector: { matchLabels: { app: "hand-made" } }, policyTypes: ["Ingress"], ingress: [] },
            },
            { provider: providers.kubernetes },
        );
    }
}

describe("the policy pack through the real engine", { skip: built.ok ? false : built.reason }, () => {
    let workDir: string;
    let stacks: { compliant: Stack; violating: Stack };
    const preview = async (stack: Stack, config?: string) => {
        try {
            const result = await stack.preview({
                policyPacks: [POLICY_PACK],
                policyPackConfigs: config === undefined ? undefined : [config],
            });
            return { ok: true, output: result.stdout + result.stderr };
        } catch (error) {
            const { stdout, stderr } = error as { stdout?: string; stderr?: string };
            return { ok: false, output: `${stdout ?? ""}${stderr ?? String(error)}` };
        }
    };

    before(async () => {
        workDir = fs.mkdtempSync(path.join(os.tmpdir(), "policy-pack-e2e-"));
        const backend = path.join(workDir, "state");
        fs.mkdirSync(backend);
        const pulumiCommand = await PulumiCommand.get({ root: ENGINE_ROOT });
        const env = engineEnv(backend, "policy-e2e");
        const open = async (name: string, violate: boolean) => {
            const stack = await LocalWorkspace.createOrSelectStack(
                { projectName: "connect-policy-e2e", stackName: name, program: async () => program() },
                { workDir, pulumiCommand, envVars: env },
            );
            await stack.setConfig("violate", { value: String(violate) });
            return stack;
        };
        stacks = { compliant: await open("compliant", false), violating: await open("violating", true) };
    });

    after(() => {
        if (workDir !== undefined) {
            fs.rmSync(workDir, { recursive: true, force: true });
        }
    });

    test("the compliant stack previews with no violation", async () => {
        const result = await preview(stacks.compliant);
        assert.ok(result.ok, result.output);
        assert.deepEqual(violations(result.output, "mandatory"), [], result.output);
        // ConnectCluster's Deployment spec waits on its checksum salt, a resource not created yet: the rules on
        // Deployments run on it at `up`. The engine says so, as advisory notes.
        assert.deepEqual(violations(result.output, "advisory"), [...UNKNOWN_AT_PREVIEW, STACK_UNKNOWN("compliant")]);
    });

    test("the violating stack fails the preview with each rule's message, for the resources breaking it", async () => {
        const result = await preview(stacks.violating);
        assert.equal(result.ok, false, result.output);
        assert.deepEqual(
            violations(result.output, "mandatory"),
            [...PRODUCTION_VIOLATIONS, ...OTHER_VIOLATIONS].sort(),
        );
        assert.deepEqual(violations(result.output, "advisory"), [...UNKNOWN_AT_PREVIEW, STACK_UNKNOWN("violating")]);
    });

    test("with the dev environment's pack config (production: false), the production rules are off", async () => {
        // The file the pull-request and main workflows pass for dev.
        const config = path.join(repoRoot(), ".github", "policy", "dev.json");
        const result = await preview(stacks.violating, config);
        assert.equal(result.ok, false, result.output);
        assert.deepEqual(violations(result.output, "mandatory"), [...OTHER_VIOLATIONS].sort());
    });
});

/** What the violating stack breaks in production only. */
const PRODUCTION_VIOLATIONS = [
    ...(["config", "offset", "status"] as const).map(
        (role) =>
            `connect-production-replication-factor (kafka:index:Topic: sink-${role}-topic): Connect ${role} storage ` +
            `topic "_sink.${role}" has replication factor 1: production needs at least 3, or one broker's loss ` +
            `loses connector configs and offsets.`,
    ),
    `connect-production-replicas (kubernetes:apps/v1:Deployment: hand-made): Kafka Connect Deployment "hand-made" ` +
        `has 1 replica(s): production needs at least 2, so that a worker's failure or a node drain does not stop ` +
        `every connector.`,
];
/** What it breaks anywhere. */
const OTHER_VIOLATIONS = [
    `connect-config-topic-single-partition (kafka:index:Topic: connect-configs): Connect config storage topic ` +
        `"connect-configs" has 3 partitions: it must have exactly 1 (Connect refuses to start otherwise).`,
    `connect-storage-topics-compacted (kafka:index:Topic: connect-configs): Connect config storage topic ` +
        `"connect-configs" has cleanup.policy "delete": set it to "compact", or connector configs and offsets are ` +
        `deleted with old log segments.`,
    `connect-plugin-checksums (kubernetes:apps/v1:Deployment: hand-made): Kafka Connect Deployment "hand-made" ` +
        `container "plugins" downloads plugin artifacts without checking a SHA-256/512 checksum: declare them in ` +
        "ConnectCluster's `plugins` with their sha512, or verify each download with sha512sum.",
    `connect-resource-limits (kubernetes:apps/v1:Deployment: hand-made): Kafka Connect Deployment "hand-made" ` +
        `container "connect" has no memory limit: set resources.limits.memory (and a heap that fits in it).`,
    `connect-rest-network-policy (kubernetes:apps/v1:Deployment: hand-made): Kafka Connect Deployment ` +
        `"hand-made" has no NetworkPolicy selecting its pods in namespace "connect-policy": anyone in the cluster ` +
        `can call its REST API and create connectors. ` +
        `Keep ConnectCluster's networkPolicy (the default) or declare one.`,
    `connector-secrets-in-secret-config (pulumi-nodejs:dynamic/connectcluster:Connector: sink-orders-sink): ` +
        `Connector "orders-sink" has "connection.password" in plain config: move it to secretConfig, which keeps ` +
        `it out of Connect's REST API, the stack state and the preview.`,
];
const CANNOT_RUN = (policy: string) =>
    `can't run policy '${policy}' from policy pack 'connectcluster@v0.1.0' during preview: string value at .spec ` +
    `can't be known during preview`;
const UNKNOWN_AT_PREVIEW = ["connect-plugin-checksums", "connect-production-replicas", "connect-resource-limits"].map(
    (policy) => `${policy} (kubernetes:apps/v1:Deployment: sink-workers): ${CANNOT_RUN(policy)}`,
);
const STACK_UNKNOWN = (stack: string) =>
    `connect-rest-network-policy (pulumi:pulumi:Stack: connect-policy-e2e-${stack}): ` +
    CANNOT_RUN("connect-rest-network-policy");

/**
 * The Policies section of a preview, as "<policy> (<type>: <name>): <message>" sorted: a mandatory entry is its
 * header, the policy's description, then the message; an advisory "can't run" note is the header, then the note.
 */
function violations(output: string, level: "mandatory" | "advisory"): string[] {
    // A failed command's error repeats its output: the first Policies section is read.
    const section = output.slice(output.indexOf("\nPolicies:\n"));
    const lines = section.slice(0, section.indexOf("\nDiagnostics:\n")).split("\n");
    return lines
        .map((line, i) => ({ header: /^\s*- \[(\w+)\]\s+(\S+)\s+\((.+)\)\s*$/.exec(line), i }))
        .filter(({ header }) => header !== null && header[1] === level)
        .map(({ header, i }) => {
            const message = lines[i + (level === "mandatory" ? 2 : 1)]?.trim();
            return `${header![2]} (${header![3]}): ${message}`;
        })
        .sort();
}

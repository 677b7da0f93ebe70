/**
 * The package as others install it: `npm pack` of this repository (after `npm run build`), its file list and
 * entry points; the tarball installed into a fresh program in a temporary folder (npm, preferring its cache and
 * the registry only for what is missing there), a TypeScript program importing the package type-checked and
 * compiled by tsc with Node16 module resolution (which reads `exports`), and `pulumi preview` of that program
 * through the real engine: the CLI, the Node.js language host running the program from the temporary folder, and
 * the component's dynamic connector provider loaded from the installed package. No cluster or broker is reached:
 * pulumi-resource-kubernetes previews against an unreachable API server, pulumi-resource-kafka connects lazily.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, test } from "node:test";
import { LocalWorkspace, PulumiCommand, Stack } from "@pulumi/pulumi/automation";
import { repoRoot } from "../integration/harness";
import { ENGINE_ROOT, engineEnv, prepareEngine, UNREACHABLE_KUBECONFIG } from "./support";

const built = prepareEngine(["cli", "language-nodejs", "kubernetes", "kafka"]);
const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot(), "package.json"), "utf8")) as {
    name: string;
    version: string;
    peerDependencies: Record<string, string>;
    devDependencies: Record<string, string>;
};

/** The consumer's program, as a user would write it from the README. */
const PROGRAM = `import * as k8s from "@pulumi/kubernetes";
import * as kafka from "@pulumi/kafka";
import * as pulumi from "@pulumi/pulumi";
import { ConnectCluster, ConnectClusterArgs } from "${manifest.name}";

const config = new pulumi.Config();
const args: ConnectClusterArgs = {
    bootstrapServers: config.require("bootstrapServers"),
    groupId: "orders-sink",
    namespace: "kafka-connect",
    skipAwait: true,
    restAccess: { url: config.require("restUrl") },
    connectors: [
        {
            name: "orders-sink",
            config: { "connector.class": "FileStreamSink", "tasks.max": 1, topics: "orders", file: "/tmp/orders.txt" },
        },
    ],
};
const cluster = new ConnectCluster("orders", args, {
    providers: {
        kafka: new kafka.Provider("kafka", { bootstrapServers: [args.bootstrapServers as string], tlsEnabled: false }),
        kubernetes: new k8s.Provider("k8s", { kubeconfig: config.require("kubeconfig") }),
    },
});
export const storageTopics = cluster.storageTopicNames;
`;

describe("the packed package, installed into a fresh program", { skip: built.ok ? false : built.reason }, () => {
    let workDir: string;
    let tarball: string;
    let files: string[];
    let programDir: string;

    before(() => {
        workDir = fs.mkdtempSync(path.join(os.tmpdir(), "packaged-install-"));
        const [packed] = JSON.parse(
            execFileSync("npm", ["pack", "--json", "--pack-destination", workDir], {
                cwd: repoRoot(),
                encoding: "utf8",
                stdio: ["ignore", "pipe", "inherit"],
            }),
        ) as { filename: string; files: { path: string }[] }[];
        tarball = path.join(workDir, packed.filename);
        files = packed.files.map((file) => file.path).sort();
        programDir = path.join(workDir, "program");
        fs.mkdirSync(programDir);
    });

    after(() => {
        if (workDir !== undefined) {
            fs.rmSync(workDir, { recursive: true, force: true });
        }
    });

    test("npm pack holds the built component and policy pack, and nothing from tests, stacks or benches", () => {
        assert.ok(files.includes("dist/components/index.js") && files.includes("dist/components/index.d.ts"));
        assert.ok(files.includes("dist/components/provider/connectorProvider.js"));
        assert.deepEqual(
            files.filter((file) => file.startsWith("policy/")),
            ["policy/PulumiPolicy.yaml", "policy/package.json", "policy/run-policy-pack"],
        );
        assert.deepEqual(
            files.filter((file) => !/^(dist\/components\/|dist\/policy\/|policy\/)/.test(file)),
            ["README.md", "package.json"],
            "besides dist/components, dist/policy and the pack's files: README and package.json only",
        );
        assert.deepEqual(
            files.filter(
                (file) =>
                    /(^|\/)(test|stacks|bench|scripts)\//.test(file) ||
                    (file.endsWith(".ts") && !file.endsWith(".d.ts")),
            ),
            [],
        );
    });

    test("the tarball installs into a fresh program, which type-checks against the package's types", () => {
        const pulumiVersions = Object.fromEntries(
            Object.keys(manifest.peerDependencies)
                .filter((name) => name !== "@pulumi/policy")
                .map((name) => [name, manifest.devDependencies[name]]),
        );
        fs.writeFileSync(
            path.join(programDir, "package.json"),
            JSON.stringify({
                name: "connect-consumer",
                private: true,
                main: "bin/index.js",
                dependencies: { [manifest.name]: `file:${tarball}`, ...pulumiVersions },
            }),
        );
        fs.writeFileSync(
            path.join(programDir, "tsconfig.json"),
            JSON.stringify({
                compilerOptions: {
                    strict: true,
                    target: "ES2022",
                    module: "node16",
                    moduleResolution: "node16",
                    outDir: "bin",
                    types: [],
                    skipLibCheck: true,
                },
                files: ["index.ts"],
            }),
        );
        fs.writeFileSync(path.join(programDir, "index.ts"), PROGRAM);
        fs.writeFileSync(
            path.join(programDir, "Pulumi.yaml"),
            "name: connect-consumer\nruntime:\n  name: nodejs\n  options:\n    typescript: false\nmain: bin/index.js\n",
        );
        // Scripts off: @pulumi/kubernetes' install script would download its plugin (the engine's is used here).
        execFileSync(
            "npm",
            ["install", "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts", "--no-package-lock"],
            { cwd: programDir, stdio: ["ignore", "ignore", "inherit"], timeout: 10 * 60_000 },
        );
        const installed = JSON.parse(
            fs.readFileSync(path.join(programDir, "node_modules", manifest.name, "package.json"), "utf8"),
        ) as { version: string };
        assert.equal(installed.version, manifest.version);
        // One @pulumi/pulumi for the program and the component: the peer dependency, not a copy of its own.
        assert.equal(
            fs.existsSync(path.join(programDir, "node_modules", manifest.name, "node_modules", "@pulumi")),
            false,
        );
        execFileSync(process.execPath, [path.join(repoRoot(), "node_modules", "typescript", "bin", "tsc"), "-p", "."], {
            cwd: programDir,
            stdio: ["ignore", "inherit", "inherit"],
        });
        assert.ok(fs.existsSync(path.join(programDir, "bin", "index.js")));
    });

    test("pulumi preview of the program runs the installed component through the real engine", async () => {
        const backend = path.join(workDir, "state");
        fs.mkdirSync(backend);
        const stack: Stack = await LocalWorkspace.createOrSelectStack(
            { workDir: programDir, stackName: "dev" },
            {
                pulumiCommand: await PulumiCommand.get({ root: ENGINE_ROOT }),
                envVars: engineEnv(backend, "packaged-install"),
            },
        );
        await stack.setAllConfig({
            bootstrapServers: { value: "127.0.0.1:9" },
            restUrl: { value: "http://127.0.0.1:9" },
            kubeconfig: { value: UNREACHABLE_KUBECONFIG, secret: true },
        });
        const preview = await stack.preview({ diff: true });
        for (const type of [
            "connectcluster:index:ConnectCluster",
            "kafka:index/topic:Topic",
            "kubernetes:apps/v1:Deployment",
            "kubernetes:networking.k8s.io/v1:NetworkPolicy",
            "pulumi-nodejs:dynamic/connectcluster:Connector",
        ]) {
            assert.ok(preview.stdout.includes(`${type}: (create)`), `${type} in the preview\n${preview.stdout}`);
        }
        const created = [...preview.stdout.matchAll(/^\s*\+ ([\w:./-]+): \(create\)$/gm)].map((m) => m[1]).sort();
        assert.deepEqual(preview.changeSummary, { create: created.length }, preview.stdout);
        assert.deepEqual(
            // The connector's step is planned only once its dynamic provider, deserialized from the state by the
            // engine's pulumi-nodejs plugin and requiring the installed package's modules, has checked its inputs.
            created.filter((type) => !type.startsWith("pulumi:")),
            [
                "connectcluster:index:ConnectCluster",
                "kafka:index/topic:Topic",
                "kafka:index/topic:Topic",
                "kafka:index/topic:Topic",
                "kubernetes:apps/v1:Deployment",
                "kubernetes:core/v1:Secret",
                "kubernetes:core/v1:Secret",
                "kubernetes:core/v1:Service",
                "kubernetes:networking.k8s.io/v1:NetworkPolicy",
                "kubernetes:policy/v1:PodDisruptionBudget",
                "pulumi-nodejs:dynamic/connectcluster:Connector",
                "pulumi-nodejs:dynamic/connectcluster:ExactlyOnceGuard",
                "pulumi-nodejs:dynamic/connectcluster:Salt",
                "pulumi-nodejs:dynamic/connectcluster:UnmanagedConnectors",
            ],
            preview.stdout,
        );
    });
});

/**
 * The GitHub Actions workflows (.github/workflows/) without running them: actionlint (scripts/lint-workflows, also
 * run by `npm run lint`) finds nothing in them and does find planted mistakes; the shape the README documents
 * (tests, then a preview per environment commented on the PR with the policy pack; `up` on main); and every input
 * given to pulumi/actions is one its v7 declares (actionlint does not know that action's inputs).
 */
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, test } from "node:test";
import * as yaml from "js-yaml";
import { repoRoot } from "../integration/harness/kafkaJars";

const WORKFLOWS = path.join(repoRoot(), ".github", "workflows");
/** pulumi/actions v7's inputs (its action.yml). */
const PULUMI_ACTION_INPUTS = [
    "command",
    "stack-name",
    "pulumi-version",
    "pulumi-version-file",
    "work-dir",
    "comment-on-pr",
    "comment-on-pr-number",
    "comment-on-summary",
    "github-token",
    "cloud-url",
    "secrets-provider",
    "parallel",
    "message",
    "config-map",
    "expect-no-changes",
    "diff",
    "replace",
    "target",
    "target-dependents",
    "policyPacks",
    "policyPackConfigs",
    "refresh",
    "upsert",
    "remove",
    "edit-pr-comment",
    "color",
    "exclude-protected",
    "plan",
    "suppress-outputs",
    "suppress-progress",
    "always-include-summary",
];

interface Step {
    readonly uses?: string;
    readonly run?: string;
    readonly with?: Record<string, unknown>;
}
interface Job {
    readonly needs?: string;
    readonly environment?: string;
    readonly strategy?: { readonly matrix?: { readonly environment?: string[] } };
    readonly steps: Step[];
}
interface Workflow {
    readonly on: Record<string, { readonly branches?: string[] }>;
    readonly jobs: Record<string, Job>;
}

const workflow = (file: string) => yaml.load(fs.readFileSync(path.join(WORKFLOWS, file), "utf8")) as Workflow;
const pulumiSteps = (job: Job) => job.steps.filter((step) => step.uses?.startsWith("pulumi/actions@"));
const actionlint = () =>
    execFileSync(path.join(repoRoot(), "scripts", "fetch-actionlint"), {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "inherit"],
        timeout: 20 * 60_000,
    }).trim();

describe("GitHub Actions workflows", () => {
    test("actionlint finds nothing in .github/workflows", () => {
        const result = spawnSync(path.join(repoRoot(), "scripts", "lint-workflows"), ["-oneline"], {
            encoding: "utf8",
            timeout: 20 * 60_000,
        });
        assert.equal(result.status, 0, result.stdout + result.stderr);
        assert.equal(result.stdout, "");
    });

    test("actionlint reports a mistyped expression and an unknown action input", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "workflows-"));
        try {
            const broken = fs
                .readFileSync(path.join(WORKFLOWS, "main.yml"), "utf8")
                .replace("environment: ${{ matrix.environment }}", "environment: ${{ matrix.enviroment }}")
                .replace("cache: npm", "cache: npm\n                  cache-path: .npm");
            fs.writeFileSync(path.join(dir, "main.yml"), broken);
            const result = spawnSync(actionlint(), ["-shellcheck=", "-pyflakes=", "-oneline", "main.yml"], {
                cwd: dir,
                encoding: "utf8",
            });
            assert.equal(result.status, 1, result.stdout + result.stderr);
            const kinds = result.stdout
                .trim()
                .split("\n")
                .map((line) => /\[(\w+)\]$/.exec(line)?.[1]);
            assert.deepEqual(kinds, ["expression", "action"], result.stdout);
            assert.match(result.stdout, /property "enviroment" is not defined/);
            assert.match(result.stdout, /input "cache-path" is not defined in action "actions\/setup-node@v5"/);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    test("pull requests: npm test, then a preview per environment, commented on the PR, with the policy pack", () => {
        const pr = workflow("pull-request.yml");
        assert.deepEqual(pr.on, { pull_request: { branches: ["main"] } });
        assert.deepEqual(
            pr.jobs.test.steps.filter((step) => step.run !== undefined).map((step) => step.run),
            ["npm ci", "npm test"],
        );
        const preview = pr.jobs.preview;
        assert.equal(preview.needs, "test");
        assert.deepEqual(preview.strategy?.matrix?.environment, ["dev", "prod"]);
        const [step, ...more] = pulumiSteps(preview);
        assert.equal(more.length, 0);
        assert.equal(step.uses, "pulumi/actions@v7");
        assert.deepEqual(
            {
                command: step.with?.command,
                "comment-on-pr": step.with?.["comment-on-pr"],
                "comment-on-summary": step.with?.["comment-on-summary"],
                policyPacks: step.with?.policyPacks,
                policyPackConfigs: step.with?.policyPackConfigs,
            },
            {
                command: "preview",
                "comment-on-pr": true,
                "comment-on-summary": true,
                policyPacks: "policy",
                policyPackConfigs: ".github/policy/${{ matrix.environment }}.json",
            },
        );
    });

    test("main: up per environment, one at a time, with the policy pack", () => {
        const main = workflow("main.yml");
        assert.deepEqual(main.on, { push: { branches: ["main"] } });
        const up = main.jobs.up;
        assert.deepEqual(up.strategy?.matrix?.environment, ["dev", "prod"]);
        assert.equal((up.strategy as { "max-parallel"?: number })["max-parallel"], 1);
        const [step] = pulumiSteps(up);
        assert.equal(step.uses, "pulumi/actions@v7");
        assert.equal(step.with?.command, "up");
        assert.equal(step.with?.policyPacks, "policy");
    });

    test("every pulumi/actions input is one v7 declares, and each environment has its policy config", () => {
        const given = fs
            .readdirSync(WORKFLOWS)
            .flatMap((file) => Object.values(workflow(file).jobs))
            .flatMap(pulumiSteps)
            .flatMap((step) => Object.keys(step.with ?? {}));
        assert.ok(given.length > 0);
        assert.deepEqual(
            given.filter((input) => !PULUMI_ACTION_INPUTS.includes(input)),
            [],
        );
        // dev runs with replication factor 1 (stacks/Pulumi.dev.yaml): the production rules are off there only.
        const policyConfig = (environment: string) =>
            JSON.parse(fs.readFileSync(path.join(repoRoot(), ".github", "policy", `${environment}.json`), "utf8"));
        assert.deepEqual(policyConfig("dev"), {
            "connect-production-replicas": { production: false },
            "connect-production-replication-factor": { production: false },
        });
        assert.deepEqual(policyConfig("prod"), {});
    });
});

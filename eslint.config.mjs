// Lint: TypeScript's recommended type-aware rules, Pulumi's rules against Outputs in template literals (they
// render as "Calling [toString] on an Output", not the value), and the layer boundaries of components/.
import pulumi from "@pulumi/eslint-plugin";
import tseslint from "typescript-eslint";

/** Import patterns a layer may not use; `allowTypeImports` lets `import type` through where noted. */
const forbid = (message, groups, allowTypeImports = false) => ({
    "@typescript-eslint/no-restricted-imports": ["error", { patterns: [{ group: groups, message, allowTypeImports }] }],
});
const NO_PULUMI = ["@pulumi/*"];

export default tseslint.config(
    { ignores: ["dist/", "node_modules/", ".cache/", "test-output/", "bench/out/", "eslint.config.mjs"] },
    ...tseslint.configs.recommended,
    {
        files: ["**/*.ts"],
        languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
        plugins: { "@pulumi": pulumi },
        rules: {
            "@pulumi/no-output-in-template-literal": "error",
            "@pulumi/no-output-instance-in-template-literal": "error",
            "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
        },
    },
    // Layers of components/, lowest first: base modules (components/*.ts but index.ts) < render/ and rest/ <
    // config/ < provider/ < cluster/. A layer imports only from below it; nothing below provider/ imports Pulumi.
    {
        files: ["components/*.ts"],
        ignores: ["components/index.ts"],
        rules: forbid("Base modules import no layer of components/ and no Pulumi.", [...NO_PULUMI, "./*/*"]),
    },
    {
        // The resolved config's shape is a type the Deployment renderer reads (type imports only).
        files: ["components/render/**/*.ts"],
        rules: {
            "@typescript-eslint/no-restricted-imports": [
                "error",
                {
                    patterns: [
                        {
                            group: [...NO_PULUMI, "../rest/*", "../provider/*", "../cluster/*"],
                            message: "Renderers are pure: no Pulumi, no REST, provider or component code.",
                        },
                        {
                            group: ["../config/*"],
                            message: "Renderers may import only types from config/.",
                            allowTypeImports: true,
                        },
                    ],
                },
            ],
        },
    },
    {
        files: ["components/rest/**/*.ts"],
        rules: forbid("The REST layer imports no Pulumi, renderer, provider or component code.", [
            ...NO_PULUMI,
            "../render/*",
            "../provider/*",
            "../cluster/*",
            "../config/*",
        ]),
    },
    {
        files: ["components/config/**/*.ts"],
        rules: forbid("Defaults and validation are pure: no Pulumi, REST, provider or component code.", [
            ...NO_PULUMI,
            "../rest/*",
            "../provider/*",
            "../cluster/*",
        ]),
    },
    {
        // Migration helpers (reading a standalone worker's files) run in the user's program: pure, base modules only.
        files: ["components/migration/**/*.ts"],
        rules: forbid("Migration helpers are pure: no Pulumi and no other layer of components/.", [
            ...NO_PULUMI,
            "../render/*",
            "../rest/*",
            "../config/*",
            "../provider/*",
            "../cluster/*",
        ]),
    },
    {
        files: ["components/provider/**/*.ts"],
        ignores: [
            "components/provider/connector.ts",
            "components/provider/salt.ts",
            "components/provider/exactlyOnceGuard.ts",
        ],
        rules: forbid(
            "The provider is serialized into the state: only the REST layer and base modules, Pulumi types only.",
            [...NO_PULUMI, "../render/*", "../cluster/*", "../config/*"],
            true,
        ),
    },
    {
        files: ["stacks/**/*.ts"],
        rules: forbid("Stacks use the package entry only (as a user's program would).", ["../components/*"]),
    },
    {
        // The dynamic provider (components/provider/) runs as Pulumi serialized its closure: a Set or Map it
        // captures from module scope arrives as a plain object (a captured Set once turned every network error
        // into a TypeError). The REST layer is serialized with it.
        files: ["components/provider/**/*.ts", "components/rest/**/*.ts"],
        rules: {
            "no-restricted-syntax": [
                "error",
                {
                    // A program that installs this package serializes the provider with @pulumi/pulumi's own
                    // TypeScript 3.8 parser, which cannot read `??=`, `||=` or `&&=` ("Expression expected").
                    selector: "AssignmentExpression[operator=/^(\\?\\?|\\|\\||&&)=$/]",
                    message:
                        "No logical assignment (??=, ||=, &&=) in components/provider/ or rest/: Pulumi's serializer parses the provider's code with TypeScript 3.8 in a consumer's program. Write x = x ?? y.",
                },
                {
                    selector:
                        ":matches(Program, ExportNamedDeclaration) > VariableDeclaration > VariableDeclarator > NewExpression[callee.name=/^(Set|Map|WeakSet|WeakMap)$/]",
                    message:
                        "No module-scope Set or Map in components/provider/ or rest/: the serialized dynamic provider would capture it as a plain object. Use an array or object, or create it inside the function.",
                },
            ],
        },
    },
);

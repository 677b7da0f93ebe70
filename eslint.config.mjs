// Lint: TypeScript's recommended type-aware rules plus Pulumi's rules against Outputs in template
// literals (they render as "Calling [toString] on an Output", not the value).
import pulumi from "@pulumi/eslint-plugin";
import tseslint from "typescript-eslint";

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
    {
        // The dynamic provider (components/connect/) runs as Pulumi serialized its closure: a Set or Map it
        // captures from module scope arrives as a plain object (a captured Set once turned every network error
        // into a TypeError).
        files: ["components/connect/**/*.ts"],
        rules: {
            "no-restricted-syntax": [
                "error",
                {
                    selector: ":matches(Program, ExportNamedDeclaration) > VariableDeclaration > VariableDeclarator > NewExpression[callee.name=/^(Set|Map|WeakSet|WeakMap)$/]",
                    message: "No module-scope Set or Map in components/connect/: the serialized dynamic provider would capture it as a plain object. Use an array or object, or create it inside the function.",
                },
            ],
        },
    },
);

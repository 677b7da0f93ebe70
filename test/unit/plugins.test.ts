/**
 * `plugins`: validation and resolution of the arguments (config/plugins.ts).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MAVEN_CENTRAL, PluginArgs, resolvePlugins } from "../../components/config/plugins";
import { connectClusterError } from "../../components/errors";

const SHA = "ab".repeat(64);

const jar = (url: string, sha512 = SHA) => ({ url, sha512 });
const one = (artifact: PluginArgs["artifacts"][number], extra: Partial<PluginArgs> = {}): PluginArgs[] => [
    { name: "p", artifacts: [artifact], ...extra },
];
const HOW_TO =
    "get it with `scripts/plugin-checksum <group:artifact:version[:classifier[:type]] or URL>` " +
    "(or `curl -fsSL <url> | sha512sum`).";

describe("resolvePlugins", () => {
    it("resolves Maven coordinates against Maven Central, or a given repository", () => {
        assert.deepEqual(
            resolvePlugins([
                {
                    name: "debezium-jdbc",
                    artifacts: [
                        { maven: "io.debezium:debezium-connector-jdbc:3.4.3.Final:plugin:tar.gz", sha512: SHA },
                        { maven: "org.postgresql:postgresql:42.7.4", sha512: SHA.toUpperCase() },
                        { maven: "g.x:a:1::zip", repository: "https://repo.example.com/maven/", sha512: SHA },
                    ],
                },
            ]),
            [
                {
                    name: "debezium-jdbc",
                    installTo: "plugin-path",
                    images: [],
                    artifacts: [
                        {
                            url:
                                `${MAVEN_CENTRAL}/io/debezium/debezium-connector-jdbc/3.4.3.Final/` +
                                "debezium-connector-jdbc-3.4.3.Final-plugin.tar.gz",
                            sha512: SHA,
                            type: "tgz",
                            fileName: "debezium-connector-jdbc-3.4.3.Final-plugin.tar.gz",
                        },
                        {
                            url: `${MAVEN_CENTRAL}/org/postgresql/postgresql/42.7.4/postgresql-42.7.4.jar`,
                            sha512: SHA,
                            type: "jar",
                            fileName: "postgresql-42.7.4.jar",
                        },
                        {
                            url: "https://repo.example.com/maven/g/x/a/1/a-1.zip",
                            sha512: SHA,
                            type: "zip",
                            fileName: "a-1.zip",
                        },
                    ],
                },
            ],
        );
    });

    it("takes the type from a URL's file name, names odd files by index, and keeps image references", () => {
        const [plugin] = resolvePlugins([
            {
                name: "mixed",
                artifacts: [
                    jar("https://h.example/dl/x.tgz"),
                    { url: "https://h.example/download?id=7", type: "zip", sha512: SHA },
                    jar("http://127.0.0.1:8081/a.jar"),
                ],
            },
        ]);
        assert.deepEqual(
            plugin.artifacts.map((a) => [a.type, a.fileName]),
            [
                ["tgz", "x.tgz"],
                ["zip", "artifact-1.zip"],
                ["jar", "a.jar"],
            ],
        );
        const image = `registry.example/plugins/jdbc:3.4@sha256:${"0".repeat(64)}`;
        assert.deepEqual(resolvePlugins([{ name: "img", artifacts: [{ image }] }]), [
            { name: "img", installTo: "plugin-path", artifacts: [], images: [image] },
        ]);
        assert.deepEqual(
            resolvePlugins([
                {
                    name: "jmx-exporter",
                    installTo: "java-agent",
                    javaAgentOptions: "9404:/etc/jmx/config.yaml",
                    artifacts: [{ maven: "io.prometheus.jmx:jmx_prometheus_javaagent:1.0.1", sha512: SHA }],
                },
            ])[0].javaAgentOptions,
            "9404:/etc/jmx/config.yaml",
        );
        assert.deepEqual(resolvePlugins(undefined), []);
    });

    const f = "plugins[0].artifacts[0]";
    const CASES: [string, PluginArgs[], string][] = [
        [
            "missing sha512",
            [{ name: "p", artifacts: [jar("https://h/a.jar"), { maven: "g:a:1" }] }],
            "plugins[0].artifacts[1].sha512 is required: the SHA-512 of the file (128 hex characters), checked " +
                `before it is unpacked; ${HOW_TO}`,
        ],
        [
            "a SHA-256 instead",
            one(jar("https://h/a.jar", "ab".repeat(32))),
            `${f}.sha512 must be a SHA-512, 128 hex characters (got 64 characters); ${HOW_TO}`,
        ],
        [
            "sha512 with a non-hex character",
            one(jar("https://h/a.jar", "g" + "a".repeat(127))),
            `${f}.sha512 must be a SHA-512, 128 hex characters (got 128 characters); ${HOW_TO}`,
        ],
        [
            "two-part coordinates",
            one({ maven: "io.debezium:debezium-connector-jdbc", sha512: SHA }),
            `${f}.maven "io.debezium:debezium-connector-jdbc" must be group:artifact:version[:classifier[:type]] ` +
                "with type jar, tar.gz, tgz or zip (e.g. " +
                "io.debezium:debezium-connector-jdbc:3.4.3.Final:plugin:tar.gz).",
        ],
        [
            "unknown Maven type",
            one({ maven: "g:a:1:plugin:war", sha512: SHA }),
            `${f}.maven "g:a:1:plugin:war" must be group:artifact:version[:classifier[:type]] with type jar, ` +
                "tar.gz, tgz or zip (e.g. io.debezium:debezium-connector-jdbc:3.4.3.Final:plugin:tar.gz).",
        ],
        [
            "path traversal in coordinates",
            one({ maven: "g:..:1", sha512: SHA }),
            `${f}.maven "g:..:1" must be group:artifact:version[:classifier[:type]] with type jar, tar.gz, tgz or ` +
                "zip (e.g. io.debezium:debezium-connector-jdbc:3.4.3.Final:plugin:tar.gz).",
        ],
        [
            "type contradicting the coordinates",
            one({ maven: "g:a:1:plugin:zip", type: "tgz", sha512: SHA }),
            `${f}.type "tgz" contradicts the Maven type "zip" of g:a:1:plugin:zip; leave type out.`,
        ],
        [
            "uppercase name",
            [{ name: "Debezium", artifacts: [jar("https://h/a.jar")] }],
            'plugins[0].name "Debezium" must be 1-100 characters from a-z, 0-9, ".", "_" and "-", starting with a ' +
                "letter or digit: it becomes the plugin's folder name.",
        ],
        [
            "a name that is shell code",
            [{ name: "a'b;rm -rf", artifacts: [jar("https://h/a.jar")] }],
            `plugins[0].name "a'b;rm -rf" must be 1-100 characters from a-z, 0-9, ".", "_" and "-", starting with ` +
                "a letter or digit: it becomes the plugin's folder name.",
        ],
        [
            "a name that climbs out of the folder",
            [{ name: "..", artifacts: [jar("https://h/a.jar")] }],
            'plugins[0].name ".." must be 1-100 characters from a-z, 0-9, ".", "_" and "-", starting with a letter ' +
                "or digit: it becomes the plugin's folder name.",
        ],
        [
            "duplicate names",
            [
                { name: "p", artifacts: [jar("https://h/a.jar")] },
                { name: "p", artifacts: [jar("https://h/b.jar")] },
            ],
            'plugins[1].name "p" is used twice: give each plugin its own name.',
        ],
        [
            "http to a remote host",
            one(jar("http://repo.example.com/a.jar")),
            `${f}.url must use https:// (http:// is accepted only for a loopback host such as 127.0.0.1).`,
        ],
        [
            "http repository",
            one({ maven: "g:a:1", repository: "http://nexus.internal/maven", sha512: SHA }),
            `${f}.repository must use https:// (http:// is accepted only for a loopback host such as 127.0.0.1).`,
        ],
        [
            "credentials in the URL",
            one(jar("https://user:token@repo.example.com/a.jar")),
            `${f}.url must not hold credentials (they would be in the pod spec): put them in a netrc file in the ` +
                "Secret named by pluginInstaller.credentialsSecret.",
        ],
        ["ftp URL", one(jar("ftp://h/a.jar")), `${f}.url must be an https:// URL.`],
        ["quote in a URL", one(jar("https://h/a'.jar")), `${f}.url must be an https:// URL.`],
        [
            "no file type in the URL",
            one(jar("https://h/download?id=7")),
            `${f}.type is required: the URL's file name does not end in .jar, .tar.gz, .tgz or .zip; give "jar", ` +
                `"tgz" or "zip".`,
        ],
        [
            "both maven and url",
            one({ maven: "g:a:1", url: "https://h/a.jar", sha512: SHA }),
            `${f} must give exactly one of maven, url and image (got maven, url).`,
        ],
        ["no source", one({ sha512: SHA }), `${f} must give exactly one of maven, url and image (got none).`],
        [
            "repository without maven",
            one({ url: "https://h/a.jar", repository: "https://r", sha512: SHA }),
            `${f}.repository applies to maven coordinates only; set maven too.`,
        ],
        [
            "image by tag only",
            one({ image: "registry.example/jdbc:3.4" }),
            `${f}.image "registry.example/jdbc:3.4" must be an image reference pinned by digest, ` +
                "registry/repository[:tag]@sha256:<64 hex characters> (a tag alone can be moved to other contents).",
        ],
        [
            "sha512 on an image",
            one({ image: `r/j@sha256:${"0".repeat(64)}`, sha512: SHA }),
            `${f}.sha512 does not apply to image: pin the image by its digest (<image>@sha256:<digest>) instead.`,
        ],
        [
            "image beside a download",
            [{ name: "p", artifacts: [{ image: `r/j@sha256:${"0".repeat(64)}` }, jar("https://h/a.jar")] }],
            "plugins[0]: an image artifact must be its plugin's only artifact; put the other artifacts in the image " +
                "or in another plugin.",
        ],
        [
            "an archive on the worker class path",
            one(jar("https://h/a.tgz"), { installTo: "worker-classpath" }),
            'plugins[0]: installTo "worker-classpath" takes jar artifacts only; unpack archives into a ' +
                '"plugin-path" plugin instead.',
        ],
        [
            "two java agents in one plugin",
            [{ name: "p", installTo: "java-agent", artifacts: [jar("https://h/a.jar"), jar("https://h/b.jar")] }],
            'plugins[0]: installTo "java-agent" takes exactly one jar artifact, the agent (got 2).',
        ],
        [
            "agent options with a space",
            one(jar("https://h/a.jar"), { installTo: "java-agent", javaAgentOptions: "9404:/a b.yaml" }),
            'plugins[0].javaAgentOptions must be 1-1000 characters without whitespace, quotes, "\\", "$", "`" or ' +
                "glob characters (kafka-run-class.sh splits and expands KAFKA_OPTS).",
        ],
        [
            "agent options without an agent",
            one(jar("https://h/a.jar"), { javaAgentOptions: "9404" }),
            'plugins[0].javaAgentOptions needs installTo "java-agent".',
        ],
        [
            "unknown target",
            one(jar("https://h/a.jar"), { installTo: "libs" as "java-agent" }),
            'plugins[0].installTo must be "plugin-path", "worker-classpath" or "java-agent" (got "libs").',
        ],
        ["no artifacts", [{ name: "p", artifacts: [] }], "plugins[0].artifacts must list at least one artifact."],
    ];
    for (const [what, plugins, message] of CASES) {
        it(`rejects ${what}`, () => {
            assert.throws(() => resolvePlugins(plugins), connectClusterError("invalid-input", message));
        });
    }
});

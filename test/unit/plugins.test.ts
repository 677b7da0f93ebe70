/**
 * `plugins`: validation and resolution (config/plugins.ts), the install script (render/plugins.ts) — rendered, and
 * run with `sh` against an HTTP server started here on 127.0.0.1 serving a jar, a tgz and a zip made here — and the
 * init container's runner (render/pluginPod.ts) run the same way.
 */
import assert from "node:assert/strict";
import { execFile, execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
    existsSync,
    mkdirSync,
    mkdtempSync,
    readdirSync,
    readFileSync,
    rmSync,
    symlinkSync,
    writeFileSync,
} from "node:fs";
import { createServer, Server } from "node:http";
import { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { MAVEN_CENTRAL, PluginArgs, resolvePlugins } from "../../components/config/plugins";
import { connectClusterError } from "../../components/errors";
import { renderPluginInitContainers } from "../../components/render/pluginPod";
import { PluginSpec, renderPluginInstallScript, shellQuote } from "../../components/render/plugins";

const SHA = "ab".repeat(64);

/** The absolute path of a command on PATH, or undefined. */
function spawnSyncWhich(command: string): string | undefined {
    const found = spawnSync("sh", ["-c", 'command -v "$1"', "which", command], { encoding: "utf8" });
    return found.status === 0 ? found.stdout.trim() : undefined;
}

/** Runs a command without blocking the event loop (the test's HTTP server runs in this process). */
function spawn(command: string, args: readonly string[]): Promise<{ status: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
        execFile(command, args, { encoding: "utf8", timeout: 60_000 }, (error, stdout, stderr) => {
            const code = (error as { code?: unknown } | null)?.code;
            resolve({ status: error === null ? 0 : typeof code === "number" ? code : -1, stdout, stderr });
        });
    });
}
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

describe("renderPluginInstallScript", () => {
    const spec: PluginSpec = {
        name: "debezium-jdbc",
        artifacts: [{ url: "https://h/d.tar.gz", sha512: SHA, type: "tgz", fileName: "d.tar.gz" }],
    };

    it("renders a POSIX sh script that verifies everything before unpacking anything", () => {
        const script = renderPluginInstallScript([spec]);
        assert.ok(script.startsWith("# install-plugins, rendered by ConnectCluster"));
        assert.ok(script.includes("\nset -eu\ndest=$1\nnetrc=${2:-}\n"));
        const fetch = script.indexOf(`    fetch 'debezium-jdbc' 'd.tar.gz' 'https://h/d.tar.gz' '${SHA}'\n`);
        const unpack = script.indexOf("    unpack 'debezium-jdbc' 'd.tar.gz' tgz\n");
        assert.ok(fetch > 0 && unpack > fetch, "every fetch (download + checksum) comes before any unpack");
        assert.ok(script.includes('download "$3" "$work/download/$1/$2" || fail'));
        assert.ok(script.includes('tar -xzf "$work/download/$1/$2" -C "$work/unpack/$1"'));
        assert.ok(script.includes('unzip -q -o "$work/download/$1/$2" -d "$work/unpack/$1"'));
        assert.ok(script.includes('--netrc-file "$netrc"'));
    });

    it("single-quotes every value, escaping quotes", () => {
        assert.equal(shellQuote("a'b;rm -rf"), `'a'\\''b;rm -rf'`);
        for (const hostile of ["a'b;rm -rf /", "$(touch x)", "`id`", "'", "\\'", "a\nb"]) {
            assert.equal(execFileSync("sh", ["-c", `printf %s ${shellQuote(hostile)}`], { encoding: "utf8" }), hostile);
        }
    });

    it("rejects a spec it cannot quote safely, naming the field", () => {
        assert.throws(
            () => renderPluginInstallScript([{ ...spec, name: "a'b;rm -rf" }]),
            connectClusterError(
                "invalid-input",
                `plugins[0].name "a'b;rm -rf" must be 1-100 characters from a-z, 0-9, ".", "_" and "-", starting ` +
                    "with a letter or digit (it names the plugin's folder).",
            ),
        );
        const artifact = spec.artifacts[0];
        assert.throws(
            () => renderPluginInstallScript([{ ...spec, artifacts: [{ ...artifact, fileName: "../x.jar" }] }]),
            connectClusterError(
                "invalid-input",
                'plugins[0].artifacts[0].fileName "../x.jar" must be 1-200 characters from A-Z, a-z, 0-9, ".", "_", ' +
                    '"+" and "-", starting with a letter, digit or "_".',
            ),
        );
        assert.throws(
            () => renderPluginInstallScript([{ ...spec, artifacts: [{ ...artifact, sha512: "AB".repeat(64) }] }]),
            connectClusterError(
                "invalid-input",
                "plugins[0].artifacts[0].sha512 must be 128 lowercase hex characters.",
            ),
        );
    });
});

describe("the install script, run with sh against a local HTTP server", () => {
    let server: Server;
    let base: string;
    const root = mkdtempSync(join(tmpdir(), "plugins-test-"));
    const files: Record<string, Buffer> = {};
    const requests: string[] = [];
    const sha512 = (name: string) => createHash("sha512").update(files[name]).digest("hex");

    before(async () => {
        // A jar, a tgz with a folder inside (as Debezium's plugin archive), a zip: made here.
        const src = join(root, "src");
        mkdirSync(join(src, "connector"), { recursive: true });
        writeFileSync(join(src, "connector", "connector.jar"), "connector classes");
        writeFileSync(join(src, "connector", "dependency.jar"), "dependency classes");
        files["driver.jar"] = Buffer.from("PK driver jar bytes");
        execFileSync("tar", ["-czf", join(root, "plugin.tar.gz"), "-C", src, "connector"]);
        execFileSync("zip", ["-qr", join(root, "plugin.zip"), "connector"], { cwd: src });
        files["plugin.tar.gz"] = readFileSync(join(root, "plugin.tar.gz"));
        files["plugin.zip"] = readFileSync(join(root, "plugin.zip"));
        server = createServer((req, res) => {
            requests.push(req.url ?? "");
            const path = req.url ?? "";
            if (path.startsWith("/private/") && req.headers.authorization !== `Basic ${btoa("deployer:s3cret")}`) {
                res.writeHead(401).end();
                return;
            }
            const body = files[path.split("/").pop() ?? ""];
            if (body === undefined) {
                res.writeHead(404).end();
                return;
            }
            res.writeHead(200, { "content-length": body.length }).end(body);
        });
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    after(() => {
        server.close();
        rmSync(root, { recursive: true, force: true });
    });

    /** Runs the rendered script as a file with sh, as the harness's stand-in kubelet does. */
    function run(plugins: PluginArgs[], dest: string, netrc?: string) {
        const script = join(root, `script-${requests.length}-${Date.now()}.sh`);
        writeFileSync(script, renderPluginInstallScript(resolvePlugins(plugins)));
        return spawn("sh", [script, dest, ...(netrc === undefined ? [] : [netrc])]);
    }
    const list = (dir: string): string[] =>
        readdirSync(dir, { recursive: true, encoding: "utf8" })
            .map((p) => p.replace(/\\/g, "/"))
            .sort();

    const good = (): PluginArgs[] => [
        {
            name: "jdbc-sink",
            artifacts: [
                { url: `${base}/repo/plugin.tar.gz`, sha512: sha512("plugin.tar.gz") },
                { url: `${base}/repo/driver.jar`, sha512: sha512("driver.jar") },
            ],
        },
        { name: "zipped", artifacts: [{ url: `${base}/repo/plugin.zip`, sha512: sha512("plugin.zip") }] },
    ];

    it("installs a jar, a tgz and a zip, each plugin in its own folder, and skips them when run again", async () => {
        const dest = join(root, "install");
        const result = await run(good(), dest);
        assert.equal(result.stderr, "");
        assert.equal(result.stdout, "install-plugins: installed jdbc-sink\ninstall-plugins: installed zipped\n");
        assert.equal(result.status, 0);
        assert.deepEqual(list(dest), [
            "jdbc-sink",
            "jdbc-sink/.connectcluster-installed",
            "jdbc-sink/connector",
            "jdbc-sink/connector/connector.jar",
            "jdbc-sink/connector/dependency.jar",
            "jdbc-sink/driver.jar",
            "zipped",
            "zipped/.connectcluster-installed",
            "zipped/connector",
            "zipped/connector/connector.jar",
            "zipped/connector/dependency.jar",
        ]);
        assert.equal(readFileSync(join(dest, "jdbc-sink", "driver.jar"), "utf8"), "PK driver jar bytes");
        assert.equal(readFileSync(join(dest, "zipped", "connector", "connector.jar"), "utf8"), "connector classes");

        const before = requests.length;
        const again = await run(good(), dest);
        assert.equal(again.status, 0);
        assert.equal(again.stdout, "", "nothing installed again");
        assert.equal(requests.length, before, "nothing downloaded again");
    });

    it("fails on a checksum mismatch naming the plugin and artifact, and unpacks nothing", async () => {
        const dest = join(root, "mismatch");
        const plugins = good();
        const wrong = "0".repeat(128);
        plugins[1] = { name: "zipped", artifacts: [{ url: `${base}/repo/plugin.zip`, sha512: wrong }] };
        const result = await run(plugins, dest);
        assert.equal(result.status, 1);
        assert.equal(
            result.stderr,
            `install-plugins: plugin 'zipped' artifact 'plugin.zip': SHA-512 mismatch (expected ${wrong}, got ` +
                `${sha512("plugin.zip")}, from ${base}/repo/plugin.zip); nothing was unpacked\n`,
        );
        assert.equal(result.stdout, "");
        assert.deepEqual(list(dest), [], "not even the plugins verified before it, nor the downloads");
    });

    it("fails on a download error naming the plugin, artifact and URL", async () => {
        const dest = join(root, "missing");
        const result = await run(
            [{ name: "gone", artifacts: [{ url: `${base}/repo/gone.jar`, sha512: SHA }] }, ...good()],
            dest,
        );
        assert.equal(result.status, 1);
        assert.equal(
            result.stderr,
            `curl: (22) The requested URL returned error: 404\n` +
                `install-plugins: plugin 'gone' artifact 'gone.jar': download from ${base}/repo/gone.jar failed ` +
                `(curl exit 22)\n`,
        );
        assert.deepEqual(list(dest), []);
    });

    it("runs no shell code from a URL", async () => {
        const dest = join(root, "hostile");
        const marker = join(root, "pwned");
        const url = `${base}/repo/$(touch${"${IFS}"}${marker});\`touch${"${IFS}"}${marker}\`.jar`;
        const result = await run([{ name: "h", artifacts: [{ url, sha512: SHA }] }], dest);
        assert.equal(result.status, 1);
        assert.equal(existsSync(marker), false, "the URL was passed to curl as one word");
        // Exactly the URL given: no shell expansion, and no curl globbing ({IFS} would arrive as IFS without
        // --globoff).
        assert.equal(requests.at(-1), url.slice(base.length));
    });

    it("sends repository credentials only from the netrc file", async () => {
        const netrc = join(root, "netrc");
        writeFileSync(netrc, "machine 127.0.0.1 login deployer password s3cret\n");
        const plugins = [
            { name: "private", artifacts: [{ url: `${base}/private/driver.jar`, sha512: sha512("driver.jar") }] },
        ];
        const without = await run(plugins, join(root, "private-1"));
        assert.equal(without.status, 1);
        assert.match(without.stderr, /download from .*\/private\/driver.jar failed \(curl exit 22\)\n$/);
        const withNetrc = await run(plugins, join(root, "private-2"), netrc);
        assert.equal(withNetrc.status, 0);
        assert.equal(withNetrc.stdout, "install-plugins: installed private\n");
    });

    // The default init image (curlimages/curl) is Alpine: busybox's sh, tar, unzip and sha512sum beside curl. Run
    // with only those on PATH when busybox is installed (Debian: busybox-static); skipped otherwise.
    const busybox = spawnSyncWhich("busybox");
    it(
        "installs with busybox's sh and tools, as in the init image",
        { skip: busybox === undefined ? "busybox not installed" : false },
        async () => {
            const bin = join(root, "busybox-bin");
            mkdirSync(bin);
            for (const applet of execFileSync(busybox!, ["--list"], { encoding: "utf8" }).split("\n").filter(Boolean)) {
                symlinkSync(busybox!, join(bin, applet));
            }
            symlinkSync(spawnSyncWhich("curl")!, join(bin, "curl"));
            const script = join(root, "busybox.sh");
            writeFileSync(script, renderPluginInstallScript(resolvePlugins(good())));
            const dest = join(root, "busybox-install");
            const result = await spawn("env", ["-i", `PATH=${bin}`, join(bin, "sh"), script, dest]);
            assert.equal(result.stderr, "");
            assert.equal(result.stdout, "install-plugins: installed jdbc-sink\ninstall-plugins: installed zipped\n");
            assert.deepEqual(list(join(dest, "jdbc-sink")), [
                ".connectcluster-installed",
                "connector",
                "connector/connector.jar",
                "connector/dependency.jar",
                "driver.jar",
            ]);
        },
    );

    it("installs every target through the init container's own command", async () => {
        const layout = { installDir: join(root, "pod"), imagesDir: join(root, "images") };
        const plugins = resolvePlugins([
            ...good(),
            {
                name: "driver",
                installTo: "worker-classpath",
                artifacts: [{ url: `${base}/repo/driver.jar`, sha512: sha512("driver.jar") }],
            },
            {
                name: "agent",
                installTo: "java-agent",
                artifacts: [{ url: `${base}/repo/driver.jar`, sha512: sha512("driver.jar") }],
            },
        ]);
        const [container] = renderPluginInitContainers(plugins, { image: "i" }, layout);
        const [command, ...args] = container.command;
        const result = await spawn(command, args);
        assert.equal(result.stderr, "");
        assert.equal(
            result.stdout,
            [
                "install-plugins: installed jdbc-sink",
                "install-plugins: installed zipped",
                "install-plugins: installed driver",
                "install-plugins: installed agent",
                "",
            ].join("\n"),
        );
        assert.equal(result.status, 0);
        assert.deepEqual(readdirSync(layout.installDir).sort(), ["java-agent", "plugin-path", "worker-classpath"]);
        assert.deepEqual(readdirSync(join(layout.installDir, "plugin-path")).sort(), ["jdbc-sink", "zipped"]);
        assert.deepEqual(readdirSync(join(layout.installDir, "worker-classpath", "driver")).sort(), [
            ".connectcluster-installed",
            "driver.jar",
        ]);
        assert.ok(existsSync(join(layout.installDir, "java-agent", "agent", "driver.jar")));
    });

    it("stops the init container at the first target that fails, with the script's message", async () => {
        const layout = { installDir: join(root, "pod-failing"), imagesDir: join(root, "images") };
        const wrong = "1".repeat(128);
        const plugins = resolvePlugins([
            {
                name: "driver",
                installTo: "worker-classpath",
                artifacts: [{ url: `${base}/repo/driver.jar`, sha512: wrong }],
            },
            {
                name: "agent",
                installTo: "java-agent",
                artifacts: [{ url: `${base}/repo/driver.jar`, sha512: sha512("driver.jar") }],
            },
        ]);
        const [container] = renderPluginInitContainers(plugins, { image: "i" }, layout);
        const [command, ...args] = container.command;
        const result = await spawn(command, args);
        assert.equal(result.status, 1);
        assert.equal(
            result.stderr,
            `install-plugins: plugin 'driver' artifact 'driver.jar': SHA-512 mismatch (expected ${wrong}, got ` +
                `${sha512("driver.jar")}, from ${base}/repo/driver.jar); nothing was unpacked\n`,
        );
        assert.deepEqual(list(layout.installDir), ["worker-classpath"], "the agent's target never ran");
    });
});

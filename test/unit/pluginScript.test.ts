/**
 * The plugin install script (render/plugins.ts), rendered, and run with `sh` against an HTTP server started here
 * on 127.0.0.1 serving a jar, a tgz and a zip made here; and the init container's runner (render/pluginPod.ts)
 * run the same way.
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
import { PluginArgs, resolvePlugins } from "../../components/config/plugins";
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

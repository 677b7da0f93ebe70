/**
 * `plugins` on a real worker: the rendered install script (run with sh, as the init container runs it) downloads a
 * plugin archive from an HTTP server on loopback, verifies it and unpacks it with its own top folder; a real
 * Connect worker whose plugin.path is the folder the script filled finds the plugin in that subfolder and runs a
 * connector of it. The plugin is Kafka's connect-file jar, which the harness keeps off the workers' class path.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import { createServer, Server } from "node:http";
import { AddressInfo } from "node:net";
import { after, describe, test } from "node:test";
import { resolvePlugins } from "../../components/config/plugins";
import { renderPluginInstallScript } from "../../components/render/plugins";
import { connectFilePluginJar, ConnectWorker, freePort, httpGet, kafkaLibs, useCluster } from "./harness";
import { FILE_SINK, ProviderDriver } from "./support";

function run(command: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
        execFile(command, args, { encoding: "utf8", timeout: 120_000 }, (error, stdout, stderr) => {
            const code = (error as { code?: unknown } | null)?.code;
            resolve({ code: error === null ? 0 : typeof code === "number" ? code : -1, stdout, stderr });
        });
    });
}

describe("plugins installed by the rendered script, on a real worker", () => {
    const cluster = useCluster({ workers: 0, groupId: "plugins", label: "plugins" });
    let server: Server | undefined;
    let worker: ConnectWorker | undefined;
    after(async () => {
        await worker?.stop();
        server?.close();
    });

    test("the worker loads the plugin from the folder the script filled, and runs its connector", async () => {
        const runDir = cluster().runDir;
        // A plugin archive shaped like Debezium's: one top folder holding the jars.
        const jar = connectFilePluginJar(kafkaLibs());
        fs.mkdirSync(`${runDir}/plugin-src/kafka-connect-file`, { recursive: true });
        fs.mkdirSync(`${runDir}/repo`, { recursive: true });
        fs.copyFileSync(jar, `${runDir}/plugin-src/kafka-connect-file/${jar.split("/").pop()}`);
        const archive = `${runDir}/repo/kafka-connect-file-plugin.tar.gz`;
        const tar = await run("tar", ["-czf", archive, "-C", `${runDir}/plugin-src`, "kafka-connect-file"]);
        assert.equal(tar.code, 0, tar.stderr);
        const body = fs.readFileSync(archive);
        server = createServer((req, res) => {
            if (req.url === "/repo/kafka-connect-file-plugin.tar.gz") {
                res.writeHead(200, { "content-length": body.length }).end(body);
            } else {
                res.writeHead(404).end();
            }
        });
        await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
        const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/repo/kafka-connect-file-plugin.tar.gz`;

        const plugins = resolvePlugins([
            { name: "file-connectors", artifacts: [{ url, sha512: createHash("sha512").update(body).digest("hex") }] },
        ]);
        fs.writeFileSync(`${runDir}/install-plugins.sh`, renderPluginInstallScript(plugins));
        const pluginPath = `${runDir}/opt-connectcluster/plugin-path`;
        const installed = await run("sh", [`${runDir}/install-plugins.sh`, pluginPath]);
        assert.equal(installed.stderr, "");
        assert.equal(installed.stdout, "install-plugins: installed file-connectors\n");

        const rendered = cluster().renderProperties(await freePort());
        const properties = rendered.replace(/^plugin\.path=.*$/m, `plugin.path=${pluginPath}`);
        assert.notEqual(properties, rendered, "plugin.path is the installed folder only");
        worker = await ConnectWorker.start({ name: "worker-plugins", runDir: cluster().run, properties });

        const listed = await httpGet(`${worker.restUrl}/connector-plugins`);
        assert.equal(listed.status, 200);
        assert.ok(
            (listed.json as { class: string }[]).some((p) => p.class === FILE_SINK),
            `FileStreamSink listed: ${listed.text}`,
        );
        assert.match(worker.currentLog(), new RegExp(`Loading plugin from: ${pluginPath}/file-connectors\\b`));

        const created = await new ProviderDriver(() => worker!.restUrl).create("installed-sink", {
            "connector.class": FILE_SINK,
            "tasks.max": "1",
            topics: "plugins-in",
            file: `${runDir}/installed-sink.txt`,
        });
        assert.equal(created.connectorState, "RUNNING");
    });
});

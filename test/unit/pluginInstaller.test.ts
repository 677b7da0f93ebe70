/**
 * `pluginInstaller` (config/pluginInstaller.ts): its checks, and its `caCertificatePem` at work: the init
 * container's own command (render/pluginPod.ts) run with sh against an HTTPS server started here on 127.0.0.1,
 * whose certificate a CA made here signed. curl trusts that CA only when it is given, besides its own bundle.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import { createServer, Server } from "node:https";
import { AddressInfo } from "node:net";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { resolvePluginInstaller } from "../../components/config/pluginInstaller";
import { resolvePlugins } from "../../components/config/plugins";
import { connectClusterError } from "../../components/errors";
import { PLUGIN_CA_DIR, PLUGIN_CA_KEY, renderPluginInitContainers } from "../../components/render/pluginPod";
import { createRunDir, makeTlsMaterial, RunDir, TlsMaterial } from "../integration/harness";

const CA_ERROR =
    'pluginInstaller.caCertificatePem must be one or more PEM certificates ("-----BEGIN CERTIFICATE-----" ... ' +
    '"-----END CERTIFICATE-----"), nothing else: the CA certificates, never a private key.';

describe("resolvePluginInstaller", () => {
    const pem = "-----BEGIN CERTIFICATE-----\nMIIBab+/=\n-----END CERTIFICATE-----";

    it("applies the default image, and keeps the CA certificates as one PEM file's text", () => {
        assert.deepEqual(resolvePluginInstaller(undefined), { image: "curlimages/curl:8.17.0" });
        assert.deepEqual(resolvePluginInstaller({ caCertificatePem: `\n${pem}\n\n${pem}\n\n` }), {
            image: "curlimages/curl:8.17.0",
            caCertificatePem: `${pem}\n\n${pem}\n`,
        });
    });

    it("refuses anything but certificates, without quoting it back", () => {
        const key = "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----";
        for (const bad of ["", "not a pem", key, `${pem}\n${key}`, `${pem}\ntrailing words`, 42]) {
            assert.throws(
                () => resolvePluginInstaller({ caCertificatePem: bad as string }),
                connectClusterError("invalid-input", CA_ERROR),
                String(bad),
            );
        }
    });
});

describe("caCertificatePem: the init container's command against an HTTPS repository with a private CA", () => {
    let runDir: RunDir;
    let tls: TlsMaterial;
    let server: Server;
    let url: string;
    const jar = Buffer.from("PK a connector jar signed by nobody");
    const sha512 = createHash("sha512").update(jar).digest("hex");

    before(async () => {
        runDir = createRunDir("plugin-installer-ca");
        tls = makeTlsMaterial(runDir);
        server = createServer({ cert: tls.brokerCertificatePem, key: tls.brokerKeyPem }, (_req, res) =>
            res.writeHead(200, { "content-length": jar.length }).end(jar),
        );
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/repo/connector.jar`;
    });
    after(() => server?.close());

    /**
     * Runs the rendered init container's command with sh, its CA file (PLUGIN_CA_DIR in a pod) mapped to a file
     * here, as the kubelet would mount the worker Secret's key.
     */
    function install(caCertificatePem: string | undefined, dest: string) {
        const installer = resolvePluginInstaller({ caCertificatePem });
        const plugins = resolvePlugins([{ name: "private", artifacts: [{ url, sha512 }] }]);
        const layout = { installDir: dest, imagesDir: path.join(dest, "images") };
        const [init] = renderPluginInitContainers(plugins, installer, layout);
        const caFile = runDir.file(`${path.basename(dest)}-${PLUGIN_CA_KEY}`);
        if (installer.caCertificatePem !== undefined) {
            fs.writeFileSync(caFile, installer.caCertificatePem);
        }
        const [, ...args] = init.command.map((word) => word.replace(`${PLUGIN_CA_DIR}/${PLUGIN_CA_KEY}`, caFile));
        return new Promise<{ status: number; stderr: string }>((resolve) =>
            execFile("sh", args, { encoding: "utf8", timeout: 60_000 }, (error, _stdout, stderr) =>
                resolve({ status: error === null ? 0 : Number((error as { code?: unknown }).code), stderr }),
            ),
        );
    }

    it("installs from the repository when its CA is given", async () => {
        const dest = runDir.file("with-ca");
        const result = await install(tls.caPem, dest);
        assert.deepEqual(result, { status: 0, stderr: "" });
        assert.deepEqual(fs.readFileSync(path.join(dest, "plugin-path", "private", "connector.jar")), jar);
        assert.ok(!fs.existsSync(path.join(dest, "plugin-path", ".install-plugins")), "the combined bundle is gone");
    });

    it("fails naming the artifact and curl's certificate error without it, installing nothing", async () => {
        const dest = runDir.file("without-ca");
        const result = await install(undefined, dest);
        assert.equal(result.status, 1);
        assert.match(
            result.stderr,
            new RegExp(
                `^curl: \\(60\\) .*\ninstall-plugins: plugin 'private' artifact 'connector.jar': download from ` +
                    `${url.replace(/[.]/g, "\\.")} failed \\(curl exit 60\\)\n$`,
                "s",
            ),
        );
        assert.deepEqual(fs.readdirSync(path.join(dest, "plugin-path")), []);
    });
});

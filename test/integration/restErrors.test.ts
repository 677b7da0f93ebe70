/**
 * How the REST client reports what real workers answer when something is wrong that retrying cannot fix
 * (a broken plugin). What it reports when the Kafka cluster is gone (Connect's "Request timed out") is shown
 * during brokerOutage.test.ts's outage, which waits for that answer anyway.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, describe, test } from "node:test";
import { ConnectRestClient } from "../../components/rest/restClient";
import { useCluster } from "./harness";
import { compileJavaInto } from "./harness/javaBuild";

const BROKEN = "com.example.broken.BrokenSink";

/** A sink connector whose config() needs a class its plugin folder lacks (deleted after compiling). */
function brokenPluginRoot(root: string): string {
    compileJavaInto(
        path.join(root, "broken"),
        {
            "com/example/broken/MissingHelper.java":
                "package com.example.broken;\n" +
                "public class MissingHelper {\n" +
                "    public static org.apache.kafka.common.config.ConfigDef configDef() {\n" +
                "        return new org.apache.kafka.common.config.ConfigDef();\n" +
                "    }\n" +
                "}\n",
            "com/example/broken/BrokenSink.java":
                "package com.example.broken;\n" +
                "import java.util.*;\n" +
                "import org.apache.kafka.common.config.ConfigDef;\n" +
                "import org.apache.kafka.connect.connector.Task;\n" +
                "import org.apache.kafka.connect.sink.SinkConnector;\n" +
                "public class BrokenSink extends SinkConnector {\n" +
                '    public String version() { return "1"; }\n' +
                "    public void start(Map<String, String> props) {}\n" +
                "    public Class<? extends Task> taskClass() { return null; }\n" +
                "    public List<Map<String, String>> taskConfigs(int maxTasks) { return List.of(); }\n" +
                "    public void stop() {}\n" +
                "    public ConfigDef config() { return MissingHelper.configDef(); }\n" +
                "}\n",
        },
        {
            resources: { "META-INF/services/org.apache.kafka.connect.sink.SinkConnector": `${BROKEN}\n` },
            drop: ["com/example/broken/MissingHelper.class"],
        },
    );
    return root;
}

describe("REST errors on real workers", () => {
    const pluginRoot = path.join(
        process.env.TMPDIR ?? "/tmp",
        `connectcluster-broken-plugin-${process.pid}-${Date.now()}`,
    );
    const cluster = useCluster({
        workers: 1,
        groupId: "rest-errors",
        label: "rest-errors",
        extraPluginPath: [brokenPluginRoot(pluginRoot)],
    });
    after(() => fs.rmSync(pluginRoot, { recursive: true, force: true }));

    test("validating a config for a broken plugin fails at once with Connect's message", async (t) => {
        const client = new ConnectRestClient(
            { baseUrl: cluster().restUrl(0) },
            { requestTimeoutMs: 30_000, deadlineMs: 60_000, initialBackoffMs: 250, maxBackoffMs: 2_000 },
        );
        const started = Date.now();
        await assert.rejects(client.validateConfig("broken", { "connector.class": BROKEN, topics: "t" }), {
            name: "ConnectClusterError",
            kind: "server",
            status: 500,
            message:
                `Kafka Connect rejected PUT /connector-plugins/${BROKEN}/config/validate for connector "broken": ` +
                "HTTP 500: java.lang.NoClassDefFoundError: com/example/broken/MissingHelper",
        });
        const took = Date.now() - started;
        t.diagnostic(`validate of the broken plugin failed after ${took} ms (the deadline was 60 000 ms)`);
        assert.ok(took < 10_000, `took ${took} ms`);
    });
});

/** Connectors are constructed without the SDK's per-promise stack traces; the limit is always put back. */
import assert from "node:assert/strict";
import { afterEach, before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { recordRegistrations, settle } from "./support/pulumiMocks";
import { suspendPromiseStackTraces, withStackTrace } from "../../components/provider/promiseStacks";

// Mocks first, then the code under test.
const registrations = recordRegistrations();
let Connector: typeof import("../../components/provider/connector").Connector;

// The SDK's promise wrapper, looked up by its callers at each call: record the trace each promise got.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const debuggable = require("@pulumi/pulumi/runtime/debuggable") as {
    debuggablePromise: (p: Promise<unknown>, ctx: unknown) => Promise<unknown>;
};
const original = debuggable.debuggablePromise;
const traces: { ctx: string; trace: string }[] = [];
debuggable.debuggablePromise = (p, ctx) => {
    const wrapped = original(p, ctx);
    traces.push({ ctx: String(ctx), trace: String((p as unknown as { _debugStackTrace: string })._debugStackTrace) });
    return wrapped;
};

const hasFrames = (trace: string) => /\n\s+at /.test(trace);
const access = { url: { baseUrl: "http://connect.example:8083" } };
const sink = (name: string) => ({
    name,
    config: { "connector.class": "FileStreamSink", topics: "t", file: "/tmp/x" },
    access,
    readyTimeoutMs: 1000,
});

describe("promise stack traces", () => {
    before(async () => {
        ({ Connector } = await import("../../components/provider/connector"));
    });
    afterEach(() => {
        traces.length = 0;
    });

    it("leaves new errors without frames until restored, and restores the limit it found", () => {
        const before = Error.stackTraceLimit;
        const restore = suspendPromiseStackTraces({});
        assert.equal(new Error("x").stack, "Error: x");
        restore();
        assert.equal(Error.stackTraceLimit, before);
        assert.ok(hasFrames(new Error("x").stack ?? ""));
    });

    it("keeps them when PULUMI_DEBUG_PROMISE_LEAKS is set", () => {
        const restore = suspendPromiseStackTraces({ PULUMI_DEBUG_PROMISE_LEAKS: "1" });
        assert.ok(hasFrames(new Error("x").stack ?? ""));
        restore();
    });

    const leaksDebugged = process.env.PULUMI_DEBUG_PROMISE_LEAKS ? "PULUMI_DEBUG_PROMISE_LEAKS keeps them" : false;
    it(
        "constructs a Connector without traces on the SDK's promises, which other resources still get",
        {
            skip: leaksDebugged,
        },
        async () => {
            const limit = Error.stackTraceLimit;
            new Connector("c-1", sink("c-1"));
            const connectorTraces = traces.splice(0);
            new pulumi.ComponentResource("test:index:Other", "other", {});
            const otherTraces = traces.splice(0);
            await settle();
            assert.equal(Error.stackTraceLimit, limit);
            const properties = connectorTraces.filter(
                (t) => t.ctx.startsWith("transferProperty(") && t.ctx.includes("c-1"),
            );
            assert.ok(properties.length >= 5, `promises of the connector's properties: ${properties.length}`);
            assert.deepEqual(
                connectorTraces.filter((t) => hasFrames(t.trace)).map((t) => t.ctx),
                [],
            );
            assert.ok(otherTraces.length > 0 && otherTraces.every((t) => hasFrames(t.trace)));
            assert.ok(registrations.some((r) => r.name === "c-1"));
        },
    );

    it("puts the limit back when the construction throws, and gives the error a trace from the caller", () => {
        const limit = Error.stackTraceLimit;
        assert.throws(
            () => new Connector("", sink("c-2")),
            (error: Error) =>
                /Missing resource name argument/.test(error.message) &&
                hasFrames(error.stack ?? "") &&
                (error.stack ?? "").includes("promiseStacks.test"),
        );
        assert.equal(Error.stackTraceLimit, limit);
    });

    it("leaves an error that has a trace as it is", () => {
        const error = new Error("made with frames");
        const stack = error.stack;
        assert.equal(withStackTrace(error, it), error);
        assert.equal(error.stack, stack);
        assert.equal(withStackTrace("not an error", it), "not an error");
    });
});

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as lib from "../../components";
import { connectClusterError, isConnectClusterError, withMessage } from "../../components/errors";

describe("connectClusterError", () => {
    it("makes a real Error named ConnectClusterError with its kind, field and status", () => {
        const error = connectClusterError("invalid-input", "restPort must be between 1 and 65535 (got 0).", {
            field: "restPort",
        });
        assert.ok(error instanceof Error);
        assert.equal(String(error), "ConnectClusterError: restPort must be between 1 and 65535 (got 0).");
        assert.deepEqual(
            { name: error.name, kind: error.kind, field: error.field, status: error.status },
            { name: "ConnectClusterError", kind: "invalid-input", field: "restPort", status: undefined },
        );
        assert.deepEqual(Object.keys(error), ["kind", "field"]);
    });

    it("is recognised by the guard and by instanceof of the exported names, and nothing else is", () => {
        const error = connectClusterError("conflict", "x", { status: 409 });
        assert.equal(isConnectClusterError(error), true);
        assert.equal(error instanceof lib.ConnectClusterError, true);
        assert.equal(error instanceof lib.ConnectorConfigError, true);
        assert.equal(lib.isConnectClusterError(new Error("x")), false);
        assert.equal(new Error("x") instanceof lib.ConnectClusterError, false);
        assert.equal(isConnectClusterError({ name: "Other" }), false);
    });

    it("prints no stack frames, as Pulumi's provider host prints it", () => {
        const error = connectClusterError(
            "server",
            "Kafka Connect rejected GET / for the Connect cluster: HTTP 500: x",
        );
        assert.equal(
            `${error}: ${error.stack}`,
            "ConnectClusterError: Kafka Connect rejected GET / for the Connect cluster: HTTP 500: x: ",
        );
    });

    it("keeps its message when Pulumi prefixes the property it was serializing", () => {
        const error = connectClusterError("invalid-input", "replicas must be a whole number ≥ 0 (got -1).", {
            field: "replicas",
        });
        error.message = `error serializing property "metadata": ${error.message}`;
        assert.equal(error.message, "replicas must be a whole number ≥ 0 (got -1).");
    });

    it("withMessage keeps kind, field and status, and makes other errors kind failed", () => {
        const original = connectClusterError("bad-request", "a", { field: 'connectors["s"].config', status: 400 });
        const noted = withMessage(original, "a\n(the new connector was deleted again)");
        assert.deepEqual(
            { kind: noted.kind, field: noted.field, status: noted.status, message: noted.message },
            {
                kind: "bad-request",
                field: 'connectors["s"].config',
                status: 400,
                message: "a\n(the new connector was deleted again)",
            },
        );
        const other = withMessage(new SyntaxError("Unexpected token"), "Unexpected token\n(undone)");
        assert.deepEqual(
            { name: other.name, kind: other.kind, message: other.message },
            { name: "ConnectClusterError", kind: "failed", message: "Unexpected token\n(undone)" },
        );
    });
});

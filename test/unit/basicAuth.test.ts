import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { basicAuthorization } from "../../components/basicAuth";

describe("basicAuthorization", () => {
    const CASES: readonly { name: string; username: string; password: string; header: string }[] = [
        { name: "a user and password", username: "ops", password: "s3cret", header: "Basic b3BzOnMzY3JldA==" },
        {
            name: "a colon in the password (only the first one separates)",
            username: "a",
            password: "b:c",
            header: "Basic YTpiOmM=",
        },
        {
            name: "non-ASCII characters, as UTF-8",
            username: "user",
            password: "pä:ss",
            header: "Basic dXNlcjpww6Q6c3M=",
        },
        { name: "empty user and password", username: "", password: "", header: "Basic Og==" },
    ];
    for (const row of CASES) {
        it(`encodes ${row.name}`, () => {
            assert.equal(basicAuthorization(row.username, row.password), row.header);
        });
    }
});

/**
 * The example stack (stacks/index.ts) under mocks with a given stack config: mocks and config are set at once (before
 * anything imports the stack), `load()` imports it and waits until every registration is recorded.
 */
import * as pulumi from "@pulumi/pulumi";
import { recordRegistrations, Registration, settle, valueOf } from "./pulumiMocks";

/** Pulumi.yaml's project name: the prefix of every config key. */
const PROJECT = "connect-cluster-example";

/** The stack config that turns the database sink on (its password is the caller's, a secret key). */
export function databaseSinkConfig(password: string): Record<string, string> {
    return {
        bootstrapServers: "localhost:9092",
        replicationFactor: "1",
        kafkaTls: "false",
        jdbcSinkUrl: "jdbc:postgresql://127.0.0.1:5432/shop",
        jdbcSinkUser: "sink",
        jdbcSinkPassword: password,
    };
}

export interface MockedExampleStack {
    /** Every resource the stack registers, in order, once load() resolved. */
    readonly registrations: Registration[];
    load(): Promise<{ stack: typeof import("../../../stacks"); seed: typeof import("../../../stacks/seedStack") }>;
}

/** Sets the mocks and the stack's config (keys without the project prefix; `secretKeys` among them are secrets). */
export function mockExampleStack(
    config: Record<string, string>,
    secretKeys: readonly string[] = [],
): MockedExampleStack {
    const registrations = recordRegistrations(PROJECT);
    pulumi.runtime.setAllConfig(
        Object.fromEntries(Object.entries(config).map(([key, value]) => [`${PROJECT}:${key}`, value])),
        secretKeys.map((key) => `${PROJECT}:${key}`),
    );
    return {
        registrations,
        async load() {
            const stack = await import("../../../stacks");
            const seed = await import("../../../stacks/seedStack");
            await valueOf(stack.connectorStates);
            await settle();
            return { stack, seed };
        },
    };
}

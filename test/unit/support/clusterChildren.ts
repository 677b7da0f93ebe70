/**
 * What the ConnectCluster unit tests share: the seed's connector, and reading a component's children from the
 * recorded registrations once every Output settled.
 */
import assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { Registration, settle, valueOf } from "./pulumiMocks";

export const seedConnector = {
    name: "local-file-sink",
    config: {
        "connector.class": "FileStreamSink",
        "tasks.max": 1,
        topics: "szcode2.qa.avro.server",
        file: "/tmp/test.sink.txt",
    },
};

/** The children of a component, from `registrations`, once its connectors' states have resolved. */
export function childrenReader(registrations: Registration[]) {
    return async (cluster: pulumi.ComponentResource): Promise<Registration[]> => {
        const urn = await valueOf(cluster.urn);
        await valueOf(
            pulumi.output((cluster as unknown as { connectorStates: pulumi.Output<unknown> }).connectorStates),
        );
        await settle();
        return registrations.filter((r) => r.parent === urn);
    };
}

/** The one child of `type`; fails when there is none or more than one. */
export function one(children: Registration[], type: string): Registration {
    const matches = children.filter((r) => r.type === type);
    assert.equal(matches.length, 1, `expected exactly one ${type}, got ${matches.length}`);
    return matches[0];
}

/**
 * What the integration suites share on top of the harness: driving connectors through our own
 * provider code (as `pulumi up` would), and counting records in sink files.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import {
    connectorProvider,
    ConnectorInputs,
    ConnectorOutputs,
    DesiredState,
} from "../../components/provider/connectorProvider";
import { ConnectorConfig } from "../../components/provider/connectorConfig";
import { ConnectRestClient, RestTarget, RetryPolicy } from "../../components/rest/restClient";
import { ConsumerGroupDescription, KafkaOps, waitFor } from "./harness";

export const FILE_SINK = "org.apache.kafka.connect.file.FileStreamSinkConnector";
export const FILE_SOURCE = "org.apache.kafka.connect.file.FileStreamSourceConnector";

/** Asserts each setting is rendered for the worker and for its producer, consumer and admin clients (undefined:
 * absent). */
export function assertOnEveryClient(
    properties: Readonly<Record<string, string>>,
    expected: Readonly<Record<string, string | undefined>>,
): void {
    for (const prefix of ["", "producer.", "consumer.", "admin."]) {
        for (const [key, value] of Object.entries(expected)) {
            assert.equal(properties[`${prefix}${key}`], value, `${prefix}${key}`);
        }
    }
}

const provider = connectorProvider as Required<typeof connectorProvider>;

/** The provider's lifecycle for one connector against one worker's REST URL. */
export class ProviderDriver {
    constructor(
        private readonly restUrl: () => string,
        private readonly readyTimeoutMs = 90_000,
        /** Credentials and CA, as the component passes them from restAccess. */
        private readonly target: Omit<RestTarget, "baseUrl"> = {},
    ) {}

    inputs(name: string, config: ConnectorConfig, secretsDigest?: string): ConnectorInputs {
        return {
            name,
            config,
            secretsDigest,
            access: { url: { ...this.target, baseUrl: this.restUrl() } },
            readyTimeoutMs: this.readyTimeoutMs,
        };
    }

    /** check → create, as the engine calls them for a new resource. */
    async create(name: string, config: ConnectorConfig, secretsDigest?: string): Promise<ConnectorOutputs> {
        const checked = await this.check(undefined, this.inputs(name, config, secretsDigest));
        return (await provider.create(checked)).outs!;
    }

    /** check → diff → update when the diff says so; returns the new outputs and whether anything was written. */
    async update(
        olds: ConnectorOutputs,
        config: ConnectorConfig,
        secretsDigest?: string,
    ): Promise<{ outs: ConnectorOutputs; changed: boolean }> {
        const checked = await this.check(olds, { ...this.inputs(olds.name, config, secretsDigest) });
        const diff = await provider.diff(olds.name, olds, checked);
        if (!diff.changes) {
            return { outs: olds, changed: false };
        }
        return { outs: (await provider.update(olds.name, olds, checked)).outs!, changed: true };
    }

    async read(olds: ConnectorOutputs): Promise<ConnectorOutputs | undefined> {
        const result = await provider.read(olds.name, olds);
        return result.id === undefined ? undefined : (result.props as ConnectorOutputs);
    }

    async delete(olds: ConnectorOutputs): Promise<void> {
        await provider.delete(olds.name, olds);
    }

    private async check(olds: ConnectorInputs | undefined, news: ConnectorInputs): Promise<ConnectorInputs> {
        const result = await provider.check(olds ?? ({} as ConnectorInputs), news);
        if (result.failures !== undefined && result.failures.length > 0) {
            throw new Error(result.failures.map((failure) => failure.reason).join("\n"));
        }
        return result.inputs!;
    }
}

/** A client with test-friendly retry bounds. */
export function restClient(
    baseUrl: string,
    policy: Partial<RetryPolicy> = {},
    target: Omit<RestTarget, "baseUrl"> = {},
): ConnectRestClient {
    return new ConnectRestClient(
        { ...target, baseUrl },
        { requestTimeoutMs: 30_000, deadlineMs: 60_000, initialBackoffMs: 200, maxBackoffMs: 2_000, ...policy },
    );
}

/** Record values `<prefix>-0000000`…: unique, fixed width, findable even if two writers interleave lines. */
export function recordValues(prefix: string, from: number, count: number): string[] {
    return Array.from({ length: count }, (_, i) => `${prefix}-${String(from + i).padStart(7, "0")}`);
}

/**
 * How often each record value occurs across sink files. Tasks on several workers append to the same
 * file; each value is written whole by one write, so counting tokens is exact even where lines interleave.
 */
export function countRecords(files: readonly string[], prefix: string): Map<string, number> {
    const counts = new Map<string, number>();
    const token = new RegExp(`${prefix}-\\d{7}`, "g");
    for (const file of files) {
        if (!fs.existsSync(file)) {
            continue;
        }
        for (const match of fs.readFileSync(file, "utf8").match(token) ?? []) {
            counts.set(match, (counts.get(match) ?? 0) + 1);
        }
    }
    return counts;
}

/** Missing and duplicated values of `expected` in `counts`. */
export function deliveryReport(
    expected: readonly string[],
    counts: ReadonlyMap<string, number>,
): { missing: string[]; duplicated: string[]; unexpected: string[] } {
    const wanted = new Set(expected);
    return {
        missing: expected.filter((value) => !counts.has(value)),
        duplicated: expected.filter((value) => (counts.get(value) ?? 0) > 1),
        unexpected: [...counts.keys()].filter((value) => !wanted.has(value)),
    };
}

/** Distinct worker ids running the connector's tasks. */
export async function taskWorkers(
    client: ConnectRestClient,
    connector: string,
): Promise<{ workers: Set<string>; states: string[] }> {
    const status = await client.getConnectorStatus(connector);
    return {
        workers: new Set(status?.tasks.map((task) => task.worker_id) ?? []),
        states: status?.tasks.map((task) => task.state) ?? [],
    };
}

/** A consumer group's committed offset per `<topic>-<partition>`. */
export function committedOffsets(group: ConsumerGroupDescription): Map<string, number> {
    return new Map(group.partitions.map((p) => [`${p.topic}-${p.partition}`, p.committedOffset] as const));
}

/** Waits until the sink's tasks run on every one of `workerIds` and each of its `partitions` has a committed offset. */
export async function waitForSinkSpread(
    broker: KafkaOps,
    client: ConnectRestClient,
    connector: string,
    workerIds: readonly string[],
    partitions: number,
): Promise<void> {
    await waitFor(
        `${connector}'s tasks RUNNING on ${workerIds.join(" and ")}, and every partition committed at least once`,
        async () => {
            const placement = await taskWorkers(client, connector);
            const committed = committedOffsets(await broker.describeConsumerGroup(`connect-${connector}`));
            return workerIds.every((id) => placement.workers.has(id)) && committed.size === partitions
                ? true
                : undefined;
        },
        { timeoutMs: 120_000, intervalMs: 500 },
    );
}

/** Waits until all `tasks` tasks of `connector` are RUNNING, every one on `workerId`. */
export async function waitForTasksOn(
    client: ConnectRestClient,
    connector: string,
    workerId: string,
    tasks: number,
    timeoutMs: number,
    intervalMs = 500,
): Promise<void> {
    await waitFor(
        `all ${tasks} tasks of ${connector} RUNNING on ${workerId}`,
        async () => {
            const placement = await taskWorkers(client, connector);
            const moved = placement.workers.size === 1 && placement.workers.has(workerId);
            return moved && placement.states.length === tasks && placement.states.every((state) => state === "RUNNING")
                ? true
                : undefined;
        },
        { timeoutMs, intervalMs },
    );
}

/** Waits until every partition's committed offset in `groupId` has moved past `offsets` (records flowing again). */
export async function waitForCommitsPast(
    broker: KafkaOps,
    groupId: string,
    offsets: ReadonlyMap<string, number>,
    timeoutMs: number,
    intervalMs = 1_000,
): Promise<void> {
    await waitFor(
        `every partition of ${groupId} consumed and committed past ${JSON.stringify(Object.fromEntries(offsets))}`,
        async () => {
            const now = committedOffsets(await broker.describeConsumerGroup(groupId));
            return [...offsets].every(([partition, offset]) => (now.get(partition) ?? -1) > offset) ? true : undefined;
        },
        { timeoutMs, intervalMs },
    );
}

/** Waits until a sink's consumer group has committed up to the end of all `partitions`: nothing more can arrive. */
export async function waitForLagZero(broker: KafkaOps, groupId: string, partitions: number): Promise<void> {
    await waitFor(
        `consumer group ${groupId} to commit every offset`,
        async () => {
            const group = await broker.describeConsumerGroup(groupId);
            return group.partitions.length === partitions && group.partitions.every((p) => p.lag === 0)
                ? true
                : undefined;
        },
        { timeoutMs: 120_000, intervalMs: 1_000 },
    );
}

/**
 * FileStreamSinks on `topic` (one task per partition) declared in a state: `inputs` as the component passes them,
 * and `declare`, the diff → update the engine runs when the declared state changes.
 */
export function fileSinkStates(
    restUrl: () => string,
    topic: string,
    partitions: number,
    file: (name: string) => string,
): {
    inputs(name: string, state: DesiredState): ConnectorInputs;
    declare(olds: ConnectorOutputs, state: DesiredState): Promise<ConnectorOutputs>;
} {
    const provider = connectorProvider as Required<typeof connectorProvider>;
    const inputs = (name: string, state: DesiredState): ConnectorInputs => ({
        ...new ProviderDriver(restUrl).inputs(name, {
            "connector.class": FILE_SINK,
            "tasks.max": String(partitions),
            topics: topic,
            file: file(name),
        }),
        state,
    });
    const declare = async (olds: ConnectorOutputs, state: DesiredState): Promise<ConnectorOutputs> => {
        const news = { ...inputs(olds.name, state), config: olds.config };
        assert.equal((await provider.diff(olds.name, olds, news)).changes, true);
        return (await provider.update(olds.name, olds, news)).outs!;
    };
    return { inputs, declare };
}

/**
 * A FileStreamSink (2 tasks) created through the provider on `topic` (2 partitions, already created), then 100
 * keyed records produced to it: every one lands in `file` exactly once. Shows that the workers' consumers and
 * the REST path work with whatever Kafka security they were rendered with. Returns the values produced.
 */
export async function assertSinkDeliversOnce(
    broker: KafkaOps,
    driver: ProviderDriver,
    sink: { readonly name: string; readonly topic: string; readonly file: string; readonly prefix: string },
): Promise<string[]> {
    await driver.create(sink.name, {
        "connector.class": FILE_SINK,
        "tasks.max": "2",
        topics: sink.topic,
        file: sink.file,
    });
    const values = recordValues(sink.prefix, 0, 100);
    await broker.produce(
        sink.topic,
        values.map((value, i) => ({ key: `k${i}`, value })),
    );
    await waitForLagZero(broker, `connect-${sink.name}`, 2);
    assert.deepEqual(deliveryReport(values, countRecords([sink.file], sink.prefix)), {
        missing: [],
        duplicated: [],
        unexpected: [],
    });
    return values;
}

/**
 * Admin, produce and consume operations against a Kafka cluster, run by java/KafkaTool.java. A JVM
 * start costs 1-2 s here, so operations can be batched: `batch([...])` runs them all in one JVM.
 */
import * as fs from "node:fs";
import { runJava } from "./processes";
import { RunDir } from "./runDir";

/** A topic to create; StorageTopicSpec from components/render/storageTopics.ts has this shape. */
export interface TopicSpec {
    readonly name: string;
    readonly partitions: number;
    readonly replicationFactor?: number;
    readonly config?: Readonly<Record<string, string>>;
}

export interface TopicDescription {
    readonly name: string;
    readonly partitions: number;
    readonly replicationFactor: number;
    /** Only the configs set on the topic itself (not broker defaults), e.g. cleanup.policy=compact. */
    readonly config: Readonly<Record<string, string>>;
}

export interface RecordToProduce {
    readonly key?: string | null;
    readonly value: string | null;
    readonly partition?: number;
}

export interface ConsumedRecord {
    readonly partition: number;
    readonly offset: number;
    readonly key: string | null;
    readonly value: string | null;
}

export interface GroupPartitionOffsets {
    readonly topic: string;
    readonly partition: number;
    readonly committedOffset: number;
    readonly endOffset: number;
    readonly lag: number;
}

export interface ConsumerGroupDescription {
    readonly groupId: string;
    /** The GroupState name: "STABLE", "EMPTY", "PREPARING_REBALANCE", ..., or "DEAD" (no such group). */
    readonly state: string;
    readonly members: number;
    readonly partitions: readonly GroupPartitionOffsets[];
}

/** One operation of a batch; results come back in the same order. */
export type KafkaToolOp =
    | { readonly op: "createTopics"; readonly topics: readonly (TopicSpec & { readonly ifNotExists?: boolean })[] }
    | { readonly op: "describeTopics"; readonly names: readonly string[] }
    | { readonly op: "listTopics" }
    | { readonly op: "produce"; readonly topic: string; readonly records: readonly RecordToProduce[] }
    | {
          readonly op: "consume";
          readonly topic: string;
          readonly timeoutMs?: number;
          readonly isolationLevel?: "read_committed" | "read_uncommitted";
      }
    | { readonly op: "describeGroup"; readonly groupId: string };

/** What each operation returns. */
export type KafkaToolResult<O extends KafkaToolOp> = O extends { op: "createTopics" }
    ? string[]
    : O extends { op: "describeTopics" }
      ? TopicDescription[]
      : O extends { op: "listTopics" }
        ? string[]
        : O extends { op: "produce" }
          ? number
          : O extends { op: "consume" }
            ? ConsumedRecord[]
            : ConsumerGroupDescription;

let requestCounter = 0;

export class KafkaOps {
    constructor(
        readonly bootstrapServers: string,
        protected readonly runDir: RunDir,
    ) {}

    /** Runs the operations in one JVM, in order; results are typed per operation. */
    async batch<const T extends readonly KafkaToolOp[]>(
        ops: T,
        timeoutMs = 60_000,
    ): Promise<{ -readonly [K in keyof T]: KafkaToolResult<T[K]> }> {
        const requestFile = this.runDir.file(`kafka-tool-request-${process.pid}-${++requestCounter}.json`);
        fs.writeFileSync(requestFile, JSON.stringify(ops, null, 1));
        const stdout = await runJava({
            name: "kafka-tool",
            mainClass: "KafkaTool",
            args: [this.bootstrapServers, requestFile],
            runDir: this.runDir,
            heapMb: 256,
            timeoutMs,
        });
        const line = stdout.trim().split("\n").pop() ?? "";
        const results: unknown = JSON.parse(line);
        if (!Array.isArray(results) || results.length !== ops.length) {
            throw new Error(`harness: KafkaTool answered ${line.slice(0, 200)} to ${ops.length} operations`);
        }
        fs.rmSync(requestFile, { force: true });
        return results as { -readonly [K in keyof T]: KafkaToolResult<T[K]> };
    }

    /** Creates topics (replication factor 1 unless given); with ifNotExists, existing ones are skipped. */
    async createTopics(
        topics: readonly TopicSpec[],
        options: { readonly ifNotExists?: boolean } = {},
    ): Promise<string[]> {
        const [created] = await this.batch([
            { op: "createTopics", topics: topics.map((t) => ({ ...t, ifNotExists: options.ifNotExists })) },
        ]);
        return created;
    }

    async createTopic(topic: TopicSpec): Promise<void> {
        await this.createTopics([topic]);
    }

    async describeTopics(names: readonly string[]): Promise<TopicDescription[]> {
        const [descriptions] = await this.batch([{ op: "describeTopics", names }]);
        return descriptions;
    }

    async listTopics(): Promise<string[]> {
        const [names] = await this.batch([{ op: "listTopics" }]);
        return names;
    }

    /** Produces records (acks=all) and returns how many were acknowledged. Strings become values. */
    async produce(topic: string, records: readonly (RecordToProduce | string)[]): Promise<number> {
        const normalized = records.map((r) => (typeof r === "string" ? { value: r } : r));
        const [sent] = await this.batch([{ op: "produce", topic, records: normalized }]);
        return sent;
    }

    /**
     * Every record in the topic, from the beginning to the end offsets at the time of the call. `read_committed`
     * skips records of aborted transactions and stops before an open one (Kafka's default: read_uncommitted).
     */
    async consume(
        topic: string,
        timeoutMs = 30_000,
        isolationLevel: "read_committed" | "read_uncommitted" = "read_uncommitted",
    ): Promise<ConsumedRecord[]> {
        const [records] = await this.batch([{ op: "consume", topic, timeoutMs, isolationLevel }], timeoutMs + 30_000);
        return records;
    }

    /** Committed offsets and lag of a consumer group; a sink connector's group is `connect-<name>`. */
    async describeConsumerGroup(groupId: string): Promise<ConsumerGroupDescription> {
        const [group] = await this.batch([{ op: "describeGroup", groupId }]);
        return group;
    }
}

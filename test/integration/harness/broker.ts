/**
 * A single-node KRaft Kafka (one process is broker and controller) on 127.0.0.1 (or an address in a network
 * namespace), with its data in the run folder. Formatted with `kafka.tools.StorageTool format --standalone`, run
 * with `kafka.Kafka`.
 */
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import { formatProperties } from "../../../components/render/properties";
import { SecurityProtocol } from "../../../components/render/workerProperties";
import { KafkaOps } from "./kafkaTool";
import { freePorts, isListening } from "./ports";
import { JavaProcess, runJava } from "./processes";
import { fileSize, logSummary, readFrom, RunDir } from "./runDir";
import { SteadyProducer, SteadyProducerOptions } from "./steadyProducer";
import { sslListenerConfig, TlsMaterial } from "./tls";
import { waitFor } from "./wait";

export interface BrokerOptions {
    readonly runDir: RunDir;
    /** The Kafka release the broker runs (scripts/fetch-kafka fetches it). Default: the newest supported. */
    readonly kafkaVersion?: string;
    /** Default 512. */
    readonly heapMb?: number;
    /** Extra or replaced server.properties entries. */
    readonly config?: Readonly<Record<string, string>>;
    /** Default 60 s. */
    readonly startTimeoutMs?: number;
    /**
     * SCRAM users (SCRAM-SHA-256 and -512 credentials, created at format time): with them the broker also
     * listens with SASL_PLAINTEXT on `saslBootstrapServers`. The harness's own tools keep using PLAINTEXT.
     */
    readonly scramUsers?: readonly { readonly username: string; readonly password: string }[];
    /** With certificates, the broker also listens with SSL (client certificates required) on `tlsBootstrapServers`. */
    readonly tls?: TlsMaterial;
    /**
     * With certificates (and scramUsers, who are its users), the broker also listens with SASL_SSL on
     * `saslSslBootstrapServers`, as Confluent Cloud does: TLS with the broker certificate only (no client
     * certificate asked for), then SASL PLAIN or SCRAM-SHA-512.
     */
    readonly saslSsl?: TlsMaterial;
    /**
     * Where it listens and how it is started, for a broker inside a network namespace (the real node's): its address
     * there and the command that enters it. Default: 127.0.0.1, started directly.
     */
    readonly network?: { readonly host: string; readonly launcher: readonly string[] };
}

const STARTED_LINE = "Kafka Server started";

export class Broker extends KafkaOps {
    /** The SASL_PLAINTEXT (SCRAM) listener, when the broker was started with scramUsers. */
    saslBootstrapServers: string | undefined;
    /** The SSL listener (client certificates required), when the broker was started with tls. */
    tlsBootstrapServers: string | undefined;
    /** The SASL_SSL listener (PLAIN and SCRAM-SHA-512 over server-side TLS), when the broker was started with saslSsl.
     * */
    saslSslBootstrapServers: string | undefined;
    /** Every steady producer started against this broker (stopped ones stay; check `running`). */
    readonly steadyProducers: SteadyProducer[] = [];
    private current: JavaProcess;
    /** Where the current JVM's lines start in broker.log (the file is appended to across restarts). */
    private logStart = 0;

    private constructor(
        runDir: RunDir,
        readonly port: number,
        readonly controllerPort: number,
        readonly propertiesFile: string,
        readonly dataDir: string,
        private readonly heapMb: number | undefined,
        private readonly startTimeoutMs: number,
        /** The Kafka release the broker runs (undefined: the newest supported). */
        readonly kafkaVersion: string | undefined,
        readonly network: BrokerOptions["network"],
    ) {
        super(`${network?.host ?? "127.0.0.1"}:${port}`, runDir);
        this.current = this.spawn();
    }

    /** Formats the storage, starts the broker and waits until it serves clients. */
    static async start(options: BrokerOptions): Promise<Broker> {
        const { runDir } = options;
        const host = options.network?.host ?? "127.0.0.1";
        const [port, controllerPort, saslPort, sslPort, saslSslPort] = await freePorts(5);
        const dataDir = runDir.file("kafka-data");
        const propertiesFile = runDir.file("broker.properties");
        const users = options.scramUsers ?? [];
        if (options.saslSsl !== undefined && users.length === 0) {
            throw new Error("harness: the SASL_SSL listener (saslSsl) needs scramUsers, its only users");
        }
        const sasl = users.length > 0 ? saslListenerConfig(users) : {};
        const ssl = options.tls === undefined ? {} : sslListenerConfig(options.tls);
        const saslSsl = options.saslSsl === undefined ? {} : saslSslListenerConfig(options.saslSsl, users);
        const extraListeners = [
            ...(users.length > 0 ? [`SASL_PLAINTEXT://${host}:${saslPort}`] : []),
            ...(options.tls ? [`SSL://${host}:${sslPort}`] : []),
            ...(options.saslSsl ? [`SASL_SSL://${host}:${saslSslPort}`] : []),
        ];
        fs.writeFileSync(
            propertiesFile,
            brokerProperties(
                host,
                port,
                controllerPort,
                dataDir,
                { ...sasl, ...ssl, ...saslSsl, ...options.config },
                extraListeners,
            ),
        );
        const scramArgs = users.flatMap((user) =>
            ["SCRAM-SHA-256", "SCRAM-SHA-512"].flatMap((mechanism) => [
                "--add-scram",
                `${mechanism}=[name=${user.username},password=${user.password}]`,
            ]),
        );
        await runJava({
            name: "kafka-storage-format",
            mainClass: "kafka.tools.StorageTool",
            args: ["format", "--standalone", "--cluster-id", newClusterId(), "--config", propertiesFile, ...scramArgs],
            runDir,
            heapMb: 256,
            timeoutMs: 60_000,
            kafkaVersion: options.kafkaVersion,
        });
        const broker = new Broker(
            runDir,
            port,
            controllerPort,
            propertiesFile,
            dataDir,
            options.heapMb,
            options.startTimeoutMs ?? 60_000,
            options.kafkaVersion,
            options.network,
        );
        broker.saslBootstrapServers = users.length > 0 ? `${host}:${saslPort}` : undefined;
        broker.tlsBootstrapServers = options.tls ? `${host}:${sslPort}` : undefined;
        broker.saslSslBootstrapServers = options.saslSsl ? `${host}:${saslSslPort}` : undefined;
        try {
            await broker.waitUntilReady();
        } catch (error) {
            await broker.kill();
            throw error;
        }
        return broker;
    }

    /** The listener for clients using `protocol`; throws when the broker was started without it. */
    bootstrapServersFor(protocol: SecurityProtocol): string {
        const listeners: Record<SecurityProtocol, string | undefined> = {
            PLAINTEXT: this.bootstrapServers,
            SASL_PLAINTEXT: this.saslBootstrapServers,
            SSL: this.tlsBootstrapServers,
            SASL_SSL: this.saslSslBootstrapServers,
        };
        const servers = listeners[protocol];
        if (servers === undefined) {
            throw new Error(
                `harness: the broker has no ${protocol} listener (start it with scramUsers, tls or saslSsl)`,
            );
        }
        return servers;
    }

    /** The running (or last) broker JVM. */
    get process(): JavaProcess {
        return this.current;
    }

    get logFile(): string {
        return this.current.logFile;
    }

    /** Graceful shutdown (SIGTERM). */
    async stop(): Promise<void> {
        await this.current.stop(30_000);
    }

    /** SIGKILL, as a crashed broker. */
    async kill(): Promise<void> {
        await this.current.kill();
    }

    /**
     * Starts a background producer of `<prefix>-0000000`, `<prefix>-0000001`, … at `ratePerSecond`
     * (idempotent, acks=all, keyed over all partitions); its stop() returns the acknowledged count.
     */
    startSteadyProducer(options: SteadyProducerOptions): SteadyProducer {
        const producer = SteadyProducer.start(this.bootstrapServers, this.runDir, options);
        this.steadyProducers.push(producer);
        return producer;
    }

    /** Kills the steady producers still running (cleanup: their counts are lost). */
    async killSteadyProducers(): Promise<void> {
        await Promise.all(
            this.steadyProducers.filter((producer) => producer.running).map((producer) => producer.kill()),
        );
    }

    /** Starts the broker again on the same ports and data (after stop() or kill()). */
    async restart(): Promise<void> {
        await this.current.stop(30_000);
        this.current = this.spawn();
        await this.waitUntilReady();
    }

    private spawn(): JavaProcess {
        this.logStart = fileSize(this.runDir.file("broker.log"));
        return new JavaProcess({
            name: "broker",
            mainClass: "kafka.Kafka",
            args: [this.propertiesFile],
            runDir: this.runDir,
            heapMb: this.heapMb,
            kafkaVersion: this.kafkaVersion,
            launcher: this.network?.launcher,
        });
    }

    private async waitUntilReady(): Promise<void> {
        const process = this.current;
        await waitFor(
            `the Kafka broker on ${this.bootstrapServers}`,
            async () => {
                const started = readFrom(process.logFile, this.logStart).includes(STARTED_LINE);
                return started && (await isListening(this.port, this.network?.host)) ? true : undefined;
            },
            {
                timeoutMs: this.startTimeoutMs,
                abortIf: () => (process.running ? undefined : process.describeExit()),
                hint: () => logSummary(process.logFile),
            },
        );
    }
}

export function startBroker(options: BrokerOptions): Promise<Broker> {
    return Broker.start(options);
}

/** The SASL_PLAINTEXT listener accepts SCRAM-SHA-256, SCRAM-SHA-512 and PLAIN (Confluent Cloud's mechanism) for the
 * same users. */
function saslListenerConfig(
    users: readonly { readonly username: string; readonly password: string }[],
): Record<string, string> {
    return {
        "sasl.enabled.mechanisms": "SCRAM-SHA-256,SCRAM-SHA-512,PLAIN",
        "listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config":
            "org.apache.kafka.common.security.scram.ScramLoginModule required;",
        "listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config":
            "org.apache.kafka.common.security.scram.ScramLoginModule required;",
        "listener.name.sasl_plaintext.plain.sasl.jaas.config":
            "org.apache.kafka.common.security.plain.PlainLoginModule required " + `${plainUsers(users)};`,
    };
}

/**
 * The SASL_SSL listener: the broker certificate only (`ssl.client.auth` none, so no truststore), and
 * PLAIN and SCRAM-SHA-512 for the same users as the SASL_PLAINTEXT listener.
 */
function saslSslListenerConfig(
    tls: TlsMaterial,
    users: readonly { readonly username: string; readonly password: string }[],
): Record<string, string> {
    return {
        "listener.name.sasl_ssl.ssl.keystore.type": "PEM",
        "listener.name.sasl_ssl.ssl.keystore.certificate.chain": tls.brokerCertificatePem.trim(),
        "listener.name.sasl_ssl.ssl.keystore.key": tls.brokerKeyPem.trim(),
        "listener.name.sasl_ssl.ssl.client.auth": "none",
        "listener.name.sasl_ssl.sasl.enabled.mechanisms": "PLAIN,SCRAM-SHA-512",
        "listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config":
            "org.apache.kafka.common.security.scram.ScramLoginModule required;",
        "listener.name.sasl_ssl.plain.sasl.jaas.config":
            `org.apache.kafka.common.security.plain.PlainLoginModule ` + `required ${plainUsers(users)};`,
    };
}

/** The PLAIN login module's user list: `user_<name>="<password>"` for each user. */
function plainUsers(users: readonly { readonly username: string; readonly password: string }[]): string {
    return users.map((user) => `user_${user.username}="${user.password}"`).join(" ");
}

function brokerProperties(
    host: string,
    port: number,
    controllerPort: number,
    dataDir: string,
    config: Readonly<Record<string, string>>,
    extraListeners: readonly string[],
): string {
    const extra = extraListeners.map((listener) => `,${listener}`).join("");
    const entries: Record<string, string> = {
        "process.roles": "broker,controller",
        "node.id": "1",
        "controller.quorum.bootstrap.servers": `${host}:${controllerPort}`,
        listeners: `PLAINTEXT://${host}:${port},CONTROLLER://${host}:${controllerPort}${extra}`,
        "advertised.listeners": `PLAINTEXT://${host}:${port},CONTROLLER://${host}:${controllerPort}${extra}`,
        "controller.listener.names": "CONTROLLER",
        "inter.broker.listener.name": "PLAINTEXT",
        "listener.security.protocol.map":
            "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT,SSL:SSL,SASL_SSL:SASL_SSL",
        "log.dirs": dataDir,
        // Topics are created explicitly (as the component does); a typo must not auto-create one.
        "auto.create.topics.enable": "false",
        "num.partitions": "1",
        "offsets.topic.replication.factor": "1",
        "offsets.topic.num.partitions": "5",
        "transaction.state.log.replication.factor": "1",
        "transaction.state.log.min.isr": "1",
        "transaction.state.log.num.partitions": "5",
        "share.coordinator.state.topic.replication.factor": "1",
        "share.coordinator.state.topic.min.isr": "1",
        // Classic groups (Connect's worker group too) form without the default 3 s wait.
        "group.initial.rebalance.delay.ms": "0",
        "num.network.threads": "2",
        "num.io.threads": "2",
        "num.recovery.threads.per.data.dir": "1",
        ...config,
    };
    return formatProperties([{ title: "Single-node KRaft broker written by the integration harness", entries }]);
}

/** A KRaft cluster id: 16 random bytes, URL-safe base64 without padding (as `kafka-storage random-uuid`). */
function newClusterId(): string {
    for (;;) {
        const id = randomBytes(16).toString("base64url");
        if (!id.startsWith("-")) {
            return id;
        }
    }
}

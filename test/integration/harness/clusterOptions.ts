/** What a LocalCluster is started with, and what it reports about its group. */
import type { PluginArgs } from "../../../components/config/plugins";
import type { ResolvedPlugin } from "../../../components/render/plugins";
import type { StorageTopicOptions } from "../../../components/render/storageTopics";
import type { ExactlyOnceSourceSupport, KafkaClientSecurity } from "../../../components/render/workerProperties";
import type { ConnectWorker, ConverterChoice, WorkerAssignment } from "./connectWorker";
import type { RestKeystore, TlsMaterial } from "./tls";

export interface ClusterOptions {
    /** How many workers to start (0 is allowed: add them later with addWorker()). */
    readonly workers: number;
    /** Default "harness". */
    readonly groupId?: string;
    /**
     * The Kafka release the broker and the workers run, e.g. OLDEST_KAFKA (scripts/fetch-kafka fetches it).
     * Default: the newest supported, scripts/kafka/pom.xml's kafka.version.
     */
    readonly kafkaVersion?: string;
    /** Names the run folder under test-output/ (default: the group id). */
    readonly label?: string;
    /** Key and value converter (default "string"). */
    readonly converter?: ConverterChoice;
    readonly converterSchemasEnable?: boolean;
    /** Default 10 s (Kafka's default is 5 min). */
    readonly scheduledRebalanceMaxDelayMs?: number;
    /**
     * plugin.path entries after the connect-file jar (e.g. connectMirrorPluginPath(), or a folder holding a
     * test's own plugin).
     */
    readonly extraPluginPath?: readonly string[];
    /** The component's `exactlyOnceSourceSupport`, rendered as it renders it. Default: its default (disabled). */
    readonly exactlyOnceSourceSupport?: ExactlyOnceSourceSupport;
    /** Passed to the renderer as `overrides`, over HARNESS_WORKER_DEFAULTS. */
    readonly workerOverrides?: Readonly<Record<string, string>>;
    readonly storageTopics?: {
        readonly config?: StorageTopicOptions;
        readonly offset?: StorageTopicOptions;
        readonly status?: StorageTopicOptions;
    };
    readonly brokerConfig?: Readonly<Record<string, string>>;
    /** Per JVM, default 512. */
    readonly heapMb?: number;
    /** SCRAM users the broker knows; the workers then connect to its SASL_PLAINTEXT listener. */
    readonly scramUsers?: readonly { readonly username: string; readonly password: string }[];
    /** Certificates: the broker gets an SSL listener requiring client certificates, and the workers use it. */
    readonly brokerTls?: TlsMaterial;
    /** Certificates (with scramUsers): the broker gets a SASL_SSL listener, server-side TLS then SASL PLAIN or
     * SCRAM-SHA-512. */
    readonly brokerSaslSsl?: TlsMaterial;
    /**
     * The workers' Kafka security, rendered by the component's renderer (with the prefixed client copies).
     * Its protocol picks the broker listener the workers use (PLAINTEXT when absent).
     */
    readonly kafkaSecurity?: KafkaClientSecurity;
    /**
     * REST basic auth as `restAuth` renders it: the rest-auth Secret's files are written to the run folder
     * (where a pod has them mounted) and the JAAS file is passed as the JVM flag KAFKA_OPTS would carry.
     */
    readonly restAuth?: { readonly users: Readonly<Record<string, string>> };
    /** An HTTPS listener as `restTls` renders it, the rest-tls Secret's files written to the run folder. */
    readonly restTls?: RestKeystore;
    /**
     * Connector plugins as the component's `plugins` input takes them. Before each worker starts, the rendered
     * install script runs into `<worker>-plugins/` in the run folder (as the init container does into the pod's
     * volume) and that folder goes on the worker's plugin.path; if the script fails, the worker is not started.
     */
    readonly plugins?: readonly PluginArgs[];
}

export interface AddWorkerOptions {
    /** Passed to the renderer as `overrides` for this worker only. */
    readonly workerOverrides?: Readonly<Record<string, string>>;
    /**
     * Added to the worker JVM's environment (POD_IP defaults to 127.0.0.1). With another POD_IP the worker
     * advertises an address nobody can reach it on: pass waitForGroup false, as waitForStableGroup()
     * recognizes a leader only by its real REST URL.
     */
    readonly env?: Readonly<Record<string, string>>;
    /** Default true: wait until the group is stable with the new worker. */
    readonly waitForGroup?: boolean;
    /**
     * This worker's plugin list (a pod of a changed pod spec) instead of the cluster's `plugins`; [] for none. Also
     * plugins as the component resolved them (ResolvedClusterConfig.plugins), e.g. with the metrics agent.
     */
    readonly plugins?: readonly PluginArgs[] | readonly ResolvedPlugin[];
}

export interface StableGroup {
    readonly generation: number;
    readonly leaderUrl: string;
    readonly leader: ConnectWorker;
    readonly members: readonly ConnectWorker[];
    readonly assignments: ReadonlyMap<ConnectWorker, WorkerAssignment>;
}

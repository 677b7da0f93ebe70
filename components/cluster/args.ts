/**
 * The public inputs of ConnectCluster. Every default lives in one place, `DEFAULTS` (config/defaults.ts);
 * each field's comment states its default as `Default: <value>.` and README's argument tables show the same
 * (test/unit/argsReference.test.ts keeps the three in agreement).
 */
import * as pulumi from "@pulumi/pulumi";
import type { SaslMechanism, SecurityProtocol } from "../render/workerProperties";
import type { MetricsArgs } from "../config/metrics";
import type { PluginArgs } from "../config/plugins";

export type { MetricsArgs } from "../config/metrics";
export type { PluginArgs, PluginArtifactArgs } from "../config/plugins";

/** One offset as Connect's offsets API (KIP-875) shows it: a partition and its offset (`null` deletes it). */
export interface ConnectorOffsetArgs {
    /** Which partition: a sink's `{ kafka_topic, kafka_partition }`, a source's own keys. Required. */
    readonly partition: Record<string, unknown>;
    /** Its offset: a sink's `{ kafka_offset }`, a source's own keys; `null` deletes it. Required. */
    readonly offset: Record<string, unknown> | null;
}

/** Offsets declared for a connector: all reset, or these set; `revision` asks for the same again. */
export type ConnectorOffsetsArgs =
    | { readonly reset: true; readonly revision?: string }
    | { readonly set: readonly ConnectorOffsetArgs[]; readonly revision?: string };

/** One connector, the seed's JSON shape `{ "name", "config" }`. */
export interface ConnectorArgs {
    /**
     * Connector name, also its Secret key (`<name>.json`) and its REST path. 1-200 characters from
     * a-z, A-Z, 0-9, ".", "_" and "-". Renaming replaces the connector (a new consumer group). Required.
     */
    readonly name: string;
    /**
     * Connector config as Connect takes it (`connector.class`, `tasks.max`, `topics`, ...). Numbers and
     * booleans are sent as strings, as Connect stores them. Must not contain `name`. Required.
     */
    readonly config: pulumi.Input<Record<string, pulumi.Input<string | number | boolean>>>;
    /**
     * Secret config values (passwords, tokens). They are stored only in a Kubernetes Secret mounted into
     * the workers; Connect receives `${file:/etc/kafka-connect-secrets/<name>.properties:<key>}` in their
     * place, resolved by the workers, so neither Connect's REST API nor its config topic holds the value.
     * Keys must not also appear in `config`. A changed value rolls the workers and restarts the connector.
     * Default: none.
     */
    readonly secretConfig?: pulumi.Input<Record<string, pulumi.Input<string>>>;
    /**
     * The connector's name before a rename. A new name is a new connector to Connect: for a sink, a new
     * consumer group. Set this (with `onRename`) to rename instead of deleting one connector and
     * creating another. Keep it until the rename has been applied everywhere. Default: none.
     */
    readonly previousName?: string;
    /**
     * Required with `previousName`: `"copy-offsets"` carries the old connector's committed offsets over
     * (Kafka 3.7+; neither runs while they are copied), `"reset"` starts the new one afresh (a sink
     * re-reads its topics from the earliest offset). Default: none.
     */
    readonly onRename?: "copy-offsets" | "reset";
    /**
     * The state `up` keeps the connector in: `"running"`; `"paused"` (its tasks stay assigned but process
     * nothing, e.g. during a database maintenance window); `"stopped"` (no task at all, offsets kept).
     * A change is applied in place (`PUT /connectors/<name>/pause|resume|stop`), without a config write; a new
     * connector is created directly in its state (Kafka 3.7+). A connector paused or resumed by hand shows as
     * drift after `pulumi refresh`, and `up` puts it back. A FAILED connector cannot be paused: restart it or
     * declare `"stopped"`. Default: `"running"`.
     */
    readonly state?: "running" | "paused" | "stopped";
    /**
     * Offsets to write (KIP-875, Kafka 3.6+): `{ reset: true }` deletes them all; `{ set: [{ partition, offset }] }`
     * writes these (a sink's partition is `{ kafka_topic, kafka_partition }` with offset `{ kafka_offset }`, the next
     * record it reads; a source's are its own, e.g. FileStreamSource's `{ filename }` and `{ position }`; a `null`
     * offset deletes that partition's). Applied once per change of this value: `up` stops the connector, resets or
     * sets its offsets and puts it back in its `state`; later `up`s with the same value do nothing. A new connector
     * is created STOPPED, given its offsets, then moved to its state, so it never runs from another position. Change
     * only `revision` (any string) to apply the same value again. Not with `onRename: "copy-offsets"`.
     * Default: none.
     */
    readonly offsets?: pulumi.Input<ConnectorOffsetsArgs>;
    /**
     * Read the connector's current offsets (`GET /connectors/<name>/offsets`) after each create, update and refresh
     * into the component's `connectorOffsets` output. Default: `false`.
     */
    readonly readOffsets?: boolean;
    /**
     * Take over a connector of this name that already exists in the Connect cluster (`pulumi import` cannot work
     * for connectors): on create its config is written only when it differs from `config` (Connect restarts it
     * then; when equal it is not restarted), then it is moved to `state`. From then on the stack owns it:
     * removing it from `connectors` or `pulumi destroy` deletes it. Without it, create fails when the connector
     * exists with another config. Default: `false`.
     */
    readonly adopt?: boolean;
    /**
     * Delete the connector's offsets when it is deleted. Default: `false` (Connect keeps them, so a
     * connector created again under the same name continues where it stopped).
     */
    readonly deleteOffsetsOnDelete?: boolean;
}

/** Kafka authentication, applied to the worker and its producer, consumer and admin clients. */
export interface KafkaSecurityArgs {
    /** `security.protocol`. Required when this block is given. */
    readonly protocol: pulumi.Input<SecurityProtocol>;
    /**
     * SASL mechanism and credentials; required for SASL_* protocols, rejected otherwise. Wrap the password in
     * `pulumi.secret`. Default: none.
     */
    readonly sasl?: pulumi.Input<{
        /** `sasl.mechanism`: PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512. Required. */
        readonly mechanism: pulumi.Input<SaslMechanism>;
        /** The SASL user (e.g. a Confluent Cloud API key). Required. */
        readonly username: pulumi.Input<string>;
        /** Its password; wrap it in `pulumi.secret`. Required. */
        readonly password: pulumi.Input<string>;
    }>;
    /** PEM CA bundle for the brokers' certificates. Default: the JVM's trust store. */
    readonly caCertificatePem?: pulumi.Input<string>;
    /** PEM client certificate chain for mutual TLS; needs `clientKeyPem`. Default: none. */
    readonly clientCertificatePem?: pulumi.Input<string>;
    /** PEM (PKCS#8, unencrypted) client key for mutual TLS; needs `clientCertificatePem`. Default: none. */
    readonly clientKeyPem?: pulumi.Input<string>;
}

/** Options for one of the three storage topics. */
export interface StorageTopicArgs {
    /** Topic name. Default: `_<groupId, - as _>.config` / `.offset` / `.status` (the seed's convention). */
    readonly name?: pulumi.Input<string>;
    /** Partitions, by role. Default: `{ config: 1, offset: 25, status: 5 }` (the config topic allows only 1). */
    readonly partitions?: pulumi.Input<number>;
    /**
     * Extra topic configs (e.g. `min.insync.replicas`). `cleanup.policy` is always `compact`; another value is
     * rejected. Default: none.
     */
    readonly config?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

/**
 * HTTP basic authentication on the workers' REST API, with Kafka's BasicAuthSecurityRestExtension (in
 * `/opt/kafka/libs` of the apache/kafka image). Every request needs credentials, `/health` included.
 */
export interface RestAuthArgs {
    /**
     * User name → password. Required, at least one user (Kafka's login module admits everyone when it has
     * none); names without ":" or whitespace. Wrap the map or the passwords in `pulumi.secret`. Stored
     * only in the `<name>-rest-auth` Kubernetes Secret mounted into the workers; a change rolls them.
     * The dynamic provider logs in as `restAccess.username` (default: the only user) with that user's
     * password from this map unless `restAccess.password` is given; the pods' probes log in as the first
     * user by name.
     */
    readonly users: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

/**
 * An HTTPS listener instead of HTTP for the workers' REST API, also used by workers forwarding requests
 * to the leader. Kafka Connect's REST server reads only a keystore file (PEM keys are not supported by it).
 * For now with at most 1 replica: Kafka 4's HTTPS listener refuses requests whose Host its certificate does
 * not name, and workers forward to the leader at its pod IP.
 */
export interface RestTlsArgs {
    /**
     * Base64 of a PKCS#12 keystore with the workers' private key and certificate chain, e.g. cert-manager's
     * `keystore.p12`, or `openssl pkcs12 -export -in tls.crt -inkey tls.key -out keystore.p12`. It must name
     * the host clients use (Connect answers 400 "Invalid SNI" otherwise). One certificate for all workers:
     * each trusts exactly it when forwarding to the leader. Required. Wrap it in `pulumi.secret`.
     */
    readonly keystorePkcs12Base64: pulumi.Input<string>;
    /** The keystore's password. Required. Wrap it in `pulumi.secret`. */
    readonly keystorePassword: pulumi.Input<string>;
}

/**
 * How `pulumi up` reaches the workers' REST API. Give at most one of `url` and `kubernetesServiceProxy`.
 * Default: `kubernetesServiceProxy` with the ambient kubeconfig.
 */
export interface RestAccessArgs {
    /**
     * Base URL of the Connect REST API (an ingress, a port-forward). Conflicts with `kubernetesServiceProxy`.
     * Default: none (the service proxy).
     */
    readonly url?: pulumi.Input<string>;
    /**
     * Basic-auth user for `url`. Default: with `restAuth`, its only user (required when it has several);
     * otherwise none.
     */
    readonly username?: pulumi.Input<string>;
    /**
     * Basic-auth password for `url`; wrap it in `pulumi.secret`. Default: with `restAuth`,
     * `restAuth.users[username]`; otherwise none.
     */
    readonly password?: pulumi.Input<string>;
    /**
     * PEM CA bundle to trust for an https `url` (with `restTls`: the CA of its certificate). Default: the system
     * trust store.
     */
    readonly caCertificatePem?: pulumi.Input<string>;
    /**
     * Go through the Kubernetes API server's service proxy (`/api/v1/namespaces/<ns>/services/<svc>:rest/proxy`)
     * with a kubeconfig, so no ingress or port-forward is needed. Conflicts with `url`, and cannot be used with
     * `restAuth`: the API server removes the Authorization header after authenticating you with it.
     * Default: used, with the ambient kubeconfig, when `url` is not given.
     */
    readonly kubernetesServiceProxy?: pulumi.Input<{
        /**
         * Kubeconfig contents; wrap in `pulumi.secret`. Default: `$KUBECONFIG` or `~/.kube/config`, read when
         * the provider runs.
         */
        readonly kubeconfig?: pulumi.Input<string>;
        /** Context to use. Default: the kubeconfig's current context. */
        readonly context?: pulumi.Input<string>;
    }>;
}

export interface ConnectClusterArgs {
    /** Kafka bootstrap servers (`host:port,...`). Required. */
    readonly bootstrapServers: pulumi.Input<string>;
    /** Connect cluster name (`group.id`); workers sharing it form one cluster. Default: the component's name. */
    readonly groupId?: pulumi.Input<string>;
    /** Kubernetes namespace of every object. Default: `"default"`. */
    readonly namespace?: pulumi.Input<string>;
    /** Number of worker pods; 0 stops all workers. Default: `2` (work is split between them, and one can fail). */
    readonly replicas?: pulumi.Input<number>;
    /** Replication factor of the three storage topics. Default: `3` (Confluent Cloud requires 3). */
    readonly replicationFactor?: pulumi.Input<number>;
    /** Storage topic overrides. Default: see StorageTopicArgs. */
    readonly storageTopics?: {
        /** The config topic's options. Default: see StorageTopicArgs. */
        readonly config?: StorageTopicArgs;
        /** The offset topic's options. Default: see StorageTopicArgs. */
        readonly offset?: StorageTopicArgs;
        /** The status topic's options. Default: see StorageTopicArgs. */
        readonly status?: StorageTopicArgs;
    };
    /**
     * Keep the storage topics (connector configs and offsets) in Kafka when the component is deleted.
     * Set `false` to let `pulumi destroy` delete them. Default: `true`.
     */
    readonly retainStorageTopicsOnDelete?: boolean;
    /**
     * Adopt storage topics that already exist (kept by an earlier `pulumi destroy`, or made by hand) instead
     * of creating them: Pulumi imports them, and their partitions, replication factor and config must match
     * what this component declares. Needs plain (not Output) `groupId` and storage topic names. Set it for the
     * first `up` after a destroy that kept the topics; Kafka answers "topic already exists" otherwise.
     * Default: `false`.
     */
    readonly adoptStorageTopics?: boolean;
    /** Kafka authentication for the workers. Default: none (PLAINTEXT). */
    readonly kafkaSecurity?: KafkaSecurityArgs;
    /** `key.converter`. Default: `"org.apache.kafka.connect.json.JsonConverter"`. */
    readonly keyConverter?: pulumi.Input<string>;
    /** `value.converter`. Default: `"org.apache.kafka.connect.json.JsonConverter"`. */
    readonly valueConverter?: pulumi.Input<string>;
    /** `schemas.enable` for JSON converters. Default: `false` (plain JSON, no schema envelope). */
    readonly converterSchemasEnable?: pulumi.Input<boolean>;
    /** `plugin.path` entries inside the image. Default: `["/opt/kafka/plugins"]`. */
    readonly pluginPath?: pulumi.Input<pulumi.Input<string>[]>;
    /**
     * Connector plugins and other jars the workers need, downloaded at pod start by the `install-plugins` init
     * container, each artifact checked against its SHA-512 before anything is unpacked (see PluginArgs and the
     * README's `plugins` section). Plain values, checked at preview. A change rolls the workers, one at a time;
     * a failed download or checksum fails the new pod and leaves the running ones alone. Default: none (no init
     * container).
     */
    readonly plugins?: PluginArgs[];
    /** The init container that installs `plugins`. Default: `{ image: "curlimages/curl:8.17.0" }`. */
    readonly pluginInstaller?: {
        /**
         * Its image: needs sh, curl, sha512sum, tar and unzip, and must run as a non-root user. Default:
         * `curlimages/curl:8.17.0`.
         */
        readonly image?: pulumi.Input<string>;
        /**
         * Name of a Secret in the namespace whose `netrc` key is a netrc file with credentials for private
         * repositories (`machine <host> login <user> password <token>`). Mounted only into the init container,
         * read by curl; the credentials appear nowhere in the pod spec. Default: none.
         */
        readonly credentialsSecret?: pulumi.Input<string>;
        /**
         * PEM certificates of the CAs that sign your repositories' https certificates (an in-house mirror), trusted
         * by curl besides the image's own CA bundle (found at `$CURL_CA_BUNDLE`, `$SSL_CERT_FILE` or the usual
         * Debian, Alpine, RHEL and SUSE paths; without one, only these are trusted, with a warning). Public
         * material: carried in the worker Secret, mounted only into the init container; a change rolls the
         * workers. Certificates only, no key. Default: none.
         */
        readonly caCertificatePem?: pulumi.Input<string>;
    };
    /**
     * Prometheus metrics from the JMX exporter agent, installed like `plugins` (see MetricsArgs and README's
     * *Metrics*): Connect's connector, task and worker metrics on a `metrics` port of the pods and the Service,
     * the `prometheus.io/*` scrape annotations, a PodMonitor when asked. Plain values, checked at preview.
     * Default: `{ enabled: false, port: 9404 }`.
     */
    readonly metrics?: MetricsArgs;
    /**
     * Spreading of the workers across nodes (`topologySpreadConstraints` on `kubernetes.io/hostname`, max skew 1):
     * `"preferred"` (`ScheduleAnyway`: a one-node cluster still runs every worker), `"required"`
     * (`DoNotSchedule`: a worker stays Pending rather than share a node another node could spare), `"off"`.
     * Default: `"preferred"`.
     */
    readonly topologySpread?: pulumi.Input<"preferred" | "required" | "off">;
    /**
     * How long a departed worker's tasks wait for it to come back before moving (`scheduled.rebalance.max.delay.ms`).
     * Default: `15000` (Kafka's own default, 300000, leaves a dead pod's tasks idle for five minutes; shorter moves
     * a crashed pod's tasks sooner, longer lets a container restarted in place take them back; see bench P3/P8).
     */
    readonly scheduledRebalanceMaxDelayMs?: pulumi.Input<number>;
    /**
     * Which client settings a connector's config may override (`connector.client.config.override.policy`).
     * Default: `"None"` (Kafka's default, `"All"`, lets any connector replace the worker's Kafka credentials
     * or bootstrap servers with `consumer.override.*`).
     */
    readonly connectorClientConfigOverridePolicy?: pulumi.Input<"None" | "Principal" | "All">;
    /**
     * Exactly-once source connectors (KIP-618), `exactly.once.source.support`: with `"enabled"`, every source task
     * writes its records and its offsets in one Kafka transaction, so a crashed worker causes neither duplicates
     * nor gaps for a `read_committed` consumer. A running cluster must go `"disabled"` → `"preparing"` →
     * `"enabled"`, one
     * `up` each (an `up` straight to `"enabled"` is refused at preview); a new cluster may start at `"enabled"`. Needs
     * transactional ACLs on secured Kafka (README: *Exactly-once source connectors*). A connector declares
     * `exactly.once.support: "required"` in its config to be refused rather than run without it. Default:
     * `"disabled"`.
     */
    readonly exactlyOnceSourceSupport?: pulumi.Input<"disabled" | "preparing" | "enabled">;
    /**
     * Create a NetworkPolicy that lets only the workers themselves and `restAllowedFrom` reach the REST port.
     * With the default service-proxy access and a CNI that enforces NetworkPolicy, the API server's address
     * must be in `restAllowedFrom` (an `ipBlock`). Default: `true`.
     */
    readonly networkPolicy?: boolean;
    /**
     * Restart failed connectors and tasks between `up`s: an `auto-restart` container beside each worker (the
     * `pluginInstaller` image: curl and busybox) restarts the failed ones running on its own worker, with Strimzi's
     * backoff (after the n-th restart of one, the next no sooner than min(n² + n, 60) minutes; counted in memory,
     * reset once it stays healthy that long). `up` restarts failed ones whatever this says. Default: `false`.
     */
    readonly autoRestart?: boolean;
    /** NetworkPolicy peers (podSelector / namespaceSelector / ipBlock) allowed to call the REST API. Default: `[]`. */
    readonly restAllowedFrom?: pulumi.Input<pulumi.Input<Record<string, unknown>>[]>;
    /**
     * Other worker settings, written after the component's own. Keys the component owns (group.id, topics,
     * converters, listeners, security, ...) and keys Connect does not define are rejected. Default: `{}`.
     */
    readonly workerOverrides?: pulumi.Input<Record<string, pulumi.Input<string>>>;
    /** REST API port of every worker. Default: `8083`. */
    readonly restPort?: pulumi.Input<number>;
    /** Basic authentication on the REST API. Needs `restAccess.url`. Default: none (any caller the policy admits). */
    readonly restAuth?: RestAuthArgs;
    /** Serve the REST API over HTTPS; needs `replicas` ≤ 1 for now. Default: none (plain HTTP). */
    readonly restTls?: RestTlsArgs;
    /** Container image with Kafka Connect. Default: `"apache/kafka:4.3.1"`. */
    readonly image?: pulumi.Input<string>;
    /** Path of `connect-distributed` in the image. Default: `"/opt/kafka/bin/connect-distributed.sh"`. */
    readonly connectDistributedPath?: pulumi.Input<string>;
    /** JVM heap flags (`KAFKA_HEAP_OPTS`). Default: `"-Xms1g -Xmx1g"`. */
    readonly heapOptions?: pulumi.Input<string>;
    /**
     * CPU and memory of each worker; `requests` and `limits` each replace the default's as a whole.
     * Default: `{ requests: { cpu: "500m", memory: "1536Mi" }, limits: { memory: "1536Mi" } }`.
     */
    readonly resources?: pulumi.Input<{
        /** Container resource requests. Default: `{ cpu: "500m", memory: "1536Mi" }`. */
        readonly requests?: pulumi.Input<Record<string, pulumi.Input<string>>>;
        /** Container resource limits. Default: `{ memory: "1536Mi" }`. */
        readonly limits?: pulumi.Input<Record<string, pulumi.Input<string>>>;
    }>;
    /** Extra labels on every Kubernetes object and pod. Default: `{}`. */
    readonly labels?: pulumi.Input<Record<string, pulumi.Input<string>>>;
    /** Connectors to register over the REST API once the workers are ready. Default: `[]`. */
    readonly connectors?: ConnectorArgs[];
    /**
     * Connectors that other stacks or tools own on the same Connect cluster: names, or prefixes ending in `*`
     * (`"team-b-*"`). Every other connector in the cluster that `connectors` does not declare is reported (a
     * warning during preview and `up`, and the `unmanagedConnectors` output) and never touched; these are
     * left out of that report. Default: `[]`.
     */
    readonly ignoreUnmanagedConnectors?: string[];
    /**
     * How `pulumi up` reaches the REST API.
     * Default: `{ kubernetesServiceProxy: {} }` (the Kubernetes service proxy with the ambient kubeconfig).
     */
    readonly restAccess?: RestAccessArgs;
    /**
     * Seconds to wait for a connector and all its tasks to be RUNNING after a change; also bounds retries of
     * transient REST failures, which stop after 120 s at most. Default: `300`.
     */
    readonly connectorReadyTimeoutSeconds?: pulumi.Input<number>;
    /**
     * Seconds a rollout of the workers may take before `up` fails: the Deployment's `progressDeadlineSeconds` and
     * the `pulumi.com/timeoutSeconds` annotation pulumi-kubernetes waits by. A new pod that never gets Ready (a bad
     * plugin checksum, a worker that cannot start) then fails `up` after this long, with the old pods still running
     * (maxUnavailable 0; not with `restTls`, whose rollout replaces the pod) and no connector changed. It bounds the
     * whole rollout, one pod at a time: allow `replicas` × a worker's start. At least 30. Default: `600`.
     */
    readonly rolloutTimeoutSeconds?: pulumi.Input<number>;
    /**
     * Annotate every Kubernetes object with `pulumi.com/skipAwait: "true"`, so `pulumi up` does not wait for
     * the Deployment's rollout or the Service's endpoints. Only for clusters where nothing reports readiness
     * (a bare API server in tests, some CI sandboxes): the connectors still wait until they are RUNNING.
     * Default: `false`.
     */
    readonly skipAwait?: boolean;
}

/**
 * Every default of ConnectCluster, in one place, each with the reason for it. Pure: no imports.
 *
 * `cluster/args.ts` states each default in its doc comment (`Default: ...`) and README's argument tables
 * show it; test/unit/argsReference.test.ts keeps the three in agreement. The dynamic provider and its REST
 * client are serialized into the stack's state and may not import this layer: their timings live in one
 * block of their own, rest/providerDefaults.ts, and test/unit/defaults.test.ts checks where the two meet.
 */
export const DEFAULTS = {
    /** Kubernetes' own default namespace, where kubectl looks when none is given. */
    namespace: "default",
    /** Two workers: the tasks are split between them, and one can fail or be drained while the other works. */
    replicas: 2,
    /** Three copies of connector configs and offsets survive a broker's loss; Confluent Cloud accepts only 3. */
    replicationFactor: 3,
    /** Kafka's own defaults for distributed workers (offset 25, status 5); Connect needs a 1-partition config topic. */
    storageTopicPartitions: { config: 1, offset: 25, status: 5 },
    /** The topics hold every connector's config and offsets: a `pulumi destroy` must not lose them by default. */
    retainStorageTopicsOnDelete: true,
    /** Importing topics that exist is a choice to make knowingly: their settings must match the declared ones. */
    adoptStorageTopics: false,
    /** JSON ships with Kafka and needs no schema registry; used for both `keyConverter` and `valueConverter`. */
    converter: "org.apache.kafka.connect.json.JsonConverter",
    /** Plain JSON without a schema envelope, as producers without a schema registry write it. */
    converterSchemasEnable: false,
    /** A folder apart from the image's own jars (/opt/kafka/libs), for plugins an image layer adds. */
    pluginPath: ["/opt/kafka/plugins"],
    /**
     * How long a vanished worker's tasks wait for it, after the group noticed it (10 s). Kafka's 300000 leaves a
     * dead pod's tasks idle for five minutes; 15 s puts them back to RUNNING ~25 s after a SIGKILL (bench P3) and
     * still lets a container restarted in place (JVM start ~10 s) take its own tasks back. In a rolling restart the
     * tasks of a pod that stops gracefully wait for it too (Connect's assignor treats a worker that left like one that
     * vanished) unless that pod led the group; sink output keeps flowing meanwhile (bench P8: the same moves and sink
     * pauses with 0 s and 30 s), a source task of that pod produces nothing until its tasks are reassigned.
     */
    scheduledRebalanceMaxDelayMs: 15_000,
    /** Kafka's "All" lets any connector config replace the worker's Kafka credentials or bootstrap servers. */
    clientConfigOverridePolicy: "None",
    /** The REST API can create connectors that read what the workers can read: only listed peers may call it. */
    networkPolicy: true,
    /** No peers besides the workers themselves (they forward requests to the leader). */
    restAllowedFrom: [],
    /**
     * Exactly-once source support (KIP-618) changes how every source task writes (transactions) and needs ACLs
     * Kafka's own default does not; on a running cluster it must go through "preparing" first. Off unless asked.
     */
    exactlyOnceSourceSupport: "disabled",
    /** No worker settings beyond the component's own. */
    workerOverrides: {},
    /** Kafka Connect's own REST port, the one every tool and tutorial expects. */
    restPort: 8083,
    /** The Apache Kafka release the integration and end-to-end tests run. */
    image: "apache/kafka:4.3.1",
    /** Where the apache/kafka image keeps the start script (Confluent images: `connect-distributed`). */
    connectDistributedPath: "/opt/kafka/bin/connect-distributed.sh",
    /** connect-distributed.sh's own `-Xmx2G` outgrows the memory limit below; a fixed 1 GB heap stays inside it. */
    heapOptions: "-Xms1g -Xmx1g",
    /** The 1 GB heap plus the JVM's own memory; no CPU limit, so a busy worker is not throttled by CFS quotas. */
    resources: { requests: { cpu: "500m", memory: "1536Mi" }, limits: { memory: "1536Mi" } },
    /** No labels beyond the component's own. */
    labels: {},
    /** A cluster without connectors is valid: they can be added later. */
    connectors: [],
    /** The API server's service proxy with the caller's kubeconfig: no ingress or port-forward to set up. */
    restAccess: { kubernetesServiceProxy: {} },
    /** Five minutes: room for new workers to start and join the group, and for a connector's tasks to start. */
    connectorReadyTimeoutSeconds: 300,
    /**
     * Ten minutes, Kubernetes' own progressDeadlineSeconds and pulumi-kubernetes' own await: room for plugin downloads
     * and the startup probe's five minutes. At least 30 s, so a worker has time to join its group.
     */
    rolloutTimeoutSeconds: 600,
    minRolloutTimeoutSeconds: 30,
    /** Waiting for the rollout and the Service's endpoints is what makes `up` fail when the workers do not start. */
    skipAwait: false,
    /** Every connector no declaration covers is reported: nothing is assumed to belong to another stack. */
    ignoreUnmanagedConnectors: [],
    /** A connector that already exists is not taken over unless its declaration says so. */
    adopt: false,
    /** Kept offsets let a connector created again under the same name continue where it stopped. */
    deleteOffsetsOnDelete: false,
    /** A declared connector runs unless it says otherwise, as Connect's own connectors do. */
    state: "running",
    /** Reading offsets costs a REST call per connector on every create, update and refresh: only on request. */
    readOffsets: false,
    /** Where connector secrets (`secretConfig`) are mounted in the workers; the file config provider reads only it. */
    connectorSecretsDir: "/etc/kafka-connect-secrets",
    /** The pod's IP, from the downward API, is what each worker advertises to its peers (routable, no DNS needed). */
    advertisedHostEnv: "POD_IP",
    /** The REST listener binds every interface of the pod: the Service, the probes and peer workers all call it. */
    listenerHost: "0.0.0.0",
    /** Automatic restarts are opt-in: a restart can hide a fault someone should look at (`up` restarts them too). */
    autoRestart: false,
    /** How often each worker's auto-restart container reads its statuses: cheap (one GET), and soon after a failure. */
    autoRestartPollSeconds: 30,
    /** Strimzi's backoff counts minutes: after the n-th restart, the next no sooner than min(n² + n, 60) minutes. */
    autoRestartBackoffUnitSeconds: 60,
    /** Where the rest-auth Secret (users file, JAAS file, probe credential) is mounted when `restAuth` is set. */
    restAuthDir: "/etc/kafka-connect-rest-auth",
    /** Where the rest-tls Secret (PKCS#12 keystore, its password) is mounted when `restTls` is set. */
    restTlsDir: "/etc/kafka-connect-rest-tls",
    /**
     * Client settings changed from Kafka's defaults; `workerOverrides` may replace them. After a worker dies
     * (SIGKILL, node loss), its sink tasks' consumers stay members of the sink's consumer group, and their
     * partitions unconsumed, until `session.timeout.ms` expires: Kafka's 45 s made records flow again ~47 s
     * after a kill in the failover test, 10 s makes it ~22 s.
     */
    failoverClientSettings: { "consumer.session.timeout.ms": "10000", "consumer.heartbeat.interval.ms": "3000" },
    /**
     * Worker settings changed from Kafka's defaults; `workerOverrides` may replace them. A sink task commits its
     * consumer offsets (and a source task its source offsets) every `offset.flush.interval.ms`: after a SIGKILL,
     * everything since the last commit is delivered again. Kafka's 60 s re-delivered 340 of 5490 records in one
     * run; 5 s (what Kafka's own system tests use) bounds it to about 5 s of records (bench P3).
     */
    failoverWorkerSettings: { "offset.flush.interval.ms": "5000" },
    /**
     * The `install-plugins` init container's image: it needs sh, curl, sha512sum, tar and unzip, and runs as
     * non-root. curl's official image is Alpine with busybox (sh, sha512sum, tar, unzip) and curl, ~10 MB, and
     * runs as a non-root user; pinned so an upstream change cannot alter what installs the plugins.
     */
    pluginInstaller: { image: "curlimages/curl:8.17.0" },
    /** The emptyDir the plugins are installed into (read-only in the workers). */
    pluginInstallDir: "/opt/connectcluster",
    /** Where image artifacts are mounted, one folder per plugin (outside the read-only emptyDir mount). */
    pluginImagesDir: "/opt/connectcluster-images",
    /** Metrics are opt-in; 9404 is the JMX exporter's port in Prometheus's list of default port allocations. */
    metrics: { enabled: false, port: 9404 },
    /**
     * The Prometheus JMX exporter agent `metrics` installs (a java-agent plugin), from Maven Central; the SHA-512
     * is that of jmx_prometheus_javaagent-1.0.1.jar, pinned like the test artifacts in scripts/plugins/artifacts.
     */
    metricsAgent: {
        maven: "io.prometheus.jmx:jmx_prometheus_javaagent:1.0.1",
        sha512:
            "f81d876e8110cbabd4a9cb3fe1740ec2d896ec4bce5cb5049a2d74c40f437814" +
            "18cea246f40e6afdfabbdf0e162cb837625f496dedcb76aebbba53b6ae7cacba",
    },
    /**
     * Workers spread across nodes (`topologySpreadConstraints` on `kubernetes.io/hostname`) so two do not share a
     * failure domain; `ScheduleAnyway`, so a one-node cluster still runs them all.
     */
    topologySpread: "preferred",
} as const;

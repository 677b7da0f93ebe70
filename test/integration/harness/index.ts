/** The integration-test harness: real Kafka and real Connect workers on loopback. */
export { Broker, BrokerOptions, startBroker } from "./broker";
export { AddWorkerOptions, ClusterOptions, LocalCluster, StableGroup, startCluster } from "./cluster";
export { useCluster } from "./hooks";
export {
    CONVERTER_CLASSES,
    ConnectWorker,
    ConnectWorkerOptions,
    ConverterChoice,
    HARNESS_WORKER_DEFAULTS,
    StandaloneWorker,
    StandaloneWorkerOptions,
    WorkerAssignment,
    WorkerProcessOptions,
} from "./connectWorker";
export { HttpOptions, HttpResponse, httpGet, httpRequest } from "./http";
export {
    connectFilePluginJar,
    connectMirrorPluginPath,
    kafkaLibs,
    kafkaVersion,
    newestKafka,
    OLDEST_KAFKA,
    repoRoot,
} from "./kafkaJars";
export {
    ConsumedRecord,
    ConsumerGroupDescription,
    KafkaOps,
    KafkaToolOp,
    RecordToProduce,
    TopicDescription,
    TopicSpec,
} from "./kafkaTool";
export { freePort, freePorts, isListening } from "./ports";
export {
    MavenRepoServer,
    PinnedArtifact,
    pinnedArtifact,
    pinnedArtifacts,
    pluginRepository,
    serveMavenFile,
} from "./mavenRepo";
export { findPostgres, PostgresBinaries, PostgresOptions, PostgresServer, startPostgres } from "./postgres";
export { JavaProcess, killAllJavaProcesses, liveJavaPids } from "./processes";
export { createRunDir, RunDir } from "./runDir";
export { SteadyProducer, SteadyProducerOptions } from "./steadyProducer";
export {
    makeRestKeystore,
    makeServerCertificate,
    makeTlsMaterial,
    opensslAvailable,
    RestKeystore,
    ServerCertificate,
    TlsMaterial,
} from "./tls";
export { sleep, waitFor } from "./wait";

export * from "./cluster/args";
export { ConnectCluster, CONNECT_CLUSTER_TYPE, StorageTopicNames } from "./cluster/connectCluster";
export { ConnectorSet, ConnectorSetArgs, CONNECTOR_SET_TYPE, connectRestAccess } from "./cluster/connectorSet";
export { resolveClusterConfig, ResolvedClusterConfig, PlainClusterArgs } from "./config/clusterConfig";
export { DEFAULTS } from "./config/defaults";
export { ConnectClusterError, ConnectClusterErrorKind, isConnectClusterError } from "./errors";
export { Connector, ConnectorResourceArgs } from "./provider/connector";
export { ConnectorConfig } from "./provider/connectorConfig";
/** @deprecated Use ConnectClusterError: every error this package raises is one (`instanceof` works for both). */
export { ConnectClusterError as ConnectorConfigError } from "./errors";
export { RestAccess, ConnectorInputs, ConnectorOutputs, TaskStateOutput } from "./provider/connectorProvider";
export { ConnectRestClient, ConnectRestError, ConnectorStatus, RestTarget, RetryPolicy } from "./rest/restClient";
export { renderWorkerProperties, WorkerSpec, KafkaClientSecurity } from "./render/workerProperties";
export { storageTopicSpecs, StorageTopicSpec, StorageTopicSet } from "./render/storageTopics";
export { confluentCloud, ConfluentCloudArgs } from "./cluster/presets";
export { renderPluginInstallScript, PluginSpec, PluginArtifact, PluginTarget } from "./render/plugins";
export { resolvePlugins, MAVEN_CENTRAL } from "./config/plugins";
export { readStandaloneOffsets, standaloneConnectorOffsets, StandaloneOffset } from "./migration/standaloneOffsets";

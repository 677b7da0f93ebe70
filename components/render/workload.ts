/**
 * Renders the Kubernetes side (Secret contents, Deployment, Service, PodDisruptionBudget specs) from
 * resolved config. Pure: the component hands these plain objects to @pulumi/kubernetes.
 */
import type { ResolvedClusterConfig } from "../config/clusterConfig";
import { restrictedSecurityContext } from "./containerSecurity";
import * as metricsPod from "./metrics";
import * as pluginPod from "./pluginPod";
import { authenticatedHealthProbeCommand, jaasJvmOption, PROBE_AUTHORIZATION_FILE } from "./restAuth";
import { renderTopologySpreadConstraints } from "./scheduling";
import { connectorSecretKey, PROPERTIES_KEY } from "./secretData";
export * from "./secretData";

/** Where the worker Secret and the connectors' reference Secret are mounted (one volume): the seed's layout. */
export const PROPERTIES_DIR = "/etc/kafka-connect-properties";
export const PROPERTIES_FILE = `${PROPERTIES_DIR}/distributed/distributed.properties`;
export const CONNECTORS_DIR = `${PROPERTIES_DIR}/connectors`;
export const CHECKSUM_ANNOTATION = "connectcluster.io/config-checksum";
export const REST_PORT_NAME = "rest";
/** Tells pulumi-resource-kubernetes not to await readiness (the `skipAwait` option). */
export const SKIP_AWAIT_ANNOTATION = "pulumi.com/skipAwait";
/** How long pulumi-kubernetes waits for the Deployment's rollout (`rolloutTimeoutSeconds`). */
export const TIMEOUT_ANNOTATION = "pulumi.com/timeoutSeconds";

/**
 * The Deployment's annotations: the objects' common ones (`skipAwait`) and the rollout's timeout, which
 * pulumi-kubernetes reads instead of its own ten minutes.
 */
export function renderDeploymentAnnotations(
    config: ResolvedClusterConfig,
    common: Readonly<Record<string, string>> = {},
): Record<string, string> {
    return { ...common, [TIMEOUT_ANNOTATION]: String(config.rolloutTimeoutSeconds) };
}
const CONTAINER_NAME = "connect";
const NON_ROOT_UID = 1000;

/** Selector labels (stable for the life of the Deployment) and the full label set. */
export function workloadLabels(
    componentName: string,
    config: ResolvedClusterConfig,
): { selector: Record<string, string>; all: Record<string, string> } {
    const selector = { "app.kubernetes.io/name": "kafka-connect", "app.kubernetes.io/instance": componentName };
    return {
        selector,
        all: {
            ...config.labels,
            ...selector,
            "app.kubernetes.io/managed-by": "pulumi",
            "connectcluster.io/group-id": config.groupId,
        },
    };
}

export interface WorkloadNames {
    readonly deployment: string;
    readonly service: string;
    /** The worker Secret: `distributed.properties`. */
    readonly secret: string;
    /** The connectors' reference Secret (`<connector>.json` files), when there are connectors. */
    readonly connectors?: string;
    /** The Secret with connectors' secret values, when any connector has them. */
    readonly connectorSecrets?: string;
    /** The Secret with the REST users and JAAS file, when `restAuth` is set. */
    readonly restAuth?: string;
    /** The Secret with the REST listener's keystore, when `restTls` is set. */
    readonly restTls?: string;
}

/** The Deployment spec running `connect-distributed <distributed.properties>`. */
export function renderDeploymentSpec(
    componentName: string,
    config: ResolvedClusterConfig,
    names: WorkloadNames,
    connectorNames: readonly string[],
    checksum: string,
    connectorsWithSecrets: readonly string[] = [],
) {
    const labels = workloadLabels(componentName, config);
    // FileConfigProvider's allowed.paths must exist or the worker does not start: without secrets, an empty folder.
    const secretsVolume =
        names.connectorSecrets === undefined
            ? { name: "connector-secrets", emptyDir: {} }
            : {
                  name: "connector-secrets",
                  secret: {
                      secretName: names.connectorSecrets,
                      defaultMode: 0o440,
                      items: connectorsWithSecrets.map((name) => ({
                          key: `${name}.properties`,
                          path: `${name}.properties`,
                      })),
                  },
              };
    const secretsMount = { name: "connector-secrets", mountPath: config.worker.connectorSecretsDir, readOnly: true };
    const rest = restSecurityParts(config, names);
    const healthProbe = { ...healthCheck(config), timeoutSeconds: 5 };
    const { plugins, pluginInstaller, pluginLayout } = config;
    const initContainers = pluginPod.renderPluginInitContainers(plugins, pluginInstaller, pluginLayout);
    const spread = renderTopologySpreadConstraints(config.topologySpread, labels.selector);
    return {
        replicas: config.replicas,
        selector: { matchLabels: labels.selector },
        // A rollout that stops progressing (a new pod that never gets Ready) is marked failed after this.
        progressDeadlineSeconds: config.rolloutTimeoutSeconds,
        // One new pod at a time, none removed before its replacement is ready: each step is one rebalance.
        // With TLS (one replica, see restTls), never two workers at once: they could not forward to each other.
        strategy:
            config.restTlsDir === undefined
                ? { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } }
                : { type: "Recreate" },
        template: {
            metadata: {
                labels: labels.all,
                annotations: {
                    [CHECKSUM_ANNOTATION]: checksum,
                    ...(config.metrics === undefined ? {} : metricsPod.scrapeAnnotations(config.metrics)),
                },
            },
            spec: {
                securityContext: {
                    runAsNonRoot: true,
                    runAsUser: NON_ROOT_UID,
                    runAsGroup: NON_ROOT_UID,
                    fsGroup: NON_ROOT_UID,
                    seccompProfile: { type: "RuntimeDefault" },
                },
                terminationGracePeriodSeconds: 60,
                ...(spread.length > 0 ? { topologySpreadConstraints: spread } : {}),
                // Plugins are installed before the worker starts; none: no init container, the template unchanged.
                ...(initContainers.length > 0 ? { initContainers } : {}),
                containers: [
                    {
                        name: CONTAINER_NAME,
                        image: config.image,
                        command: [config.connectDistributedPath, PROPERTIES_FILE],
                        env: pluginPod.withPluginEnv(
                            [
                                ...advertisedHostEnv(config),
                                { name: "KAFKA_HEAP_OPTS", value: config.heapOptions },
                                { name: "LOG_DIR", value: "/var/log/kafka" },
                                ...rest.env,
                            ],
                            plugins,
                            pluginLayout,
                        ),
                        ports: [
                            { name: REST_PORT_NAME, containerPort: config.restPort, protocol: "TCP" },
                            ...(config.metrics === undefined ? [] : [metricsPod.metricsPort(config.metrics)]),
                        ],
                        // /health answers 200 only once the worker has joined the cluster (Kafka 3.9+); see
                        // healthCheck().
                        startupProbe: { ...healthProbe, periodSeconds: 5, failureThreshold: 60 },
                        readinessProbe: { ...healthProbe, periodSeconds: 10, failureThreshold: 3 },
                        livenessProbe: { ...healthProbe, periodSeconds: 20, failureThreshold: 6 },
                        resources: config.resources,
                        securityContext: restrictedSecurityContext(),
                        volumeMounts: [
                            { name: "worker-config", mountPath: PROPERTIES_DIR, readOnly: true },
                            { name: "tmp", mountPath: "/tmp" },
                            { name: "logs", mountPath: "/var/log/kafka" },
                            secretsMount,
                            ...rest.mounts,
                            ...pluginPod.renderPluginMounts(plugins, pluginLayout),
                        ],
                    },
                ],
                volumes: [
                    workerConfigVolume(names, connectorNames, config.metrics !== undefined),
                    { name: "tmp", emptyDir: {} },
                    { name: "logs", emptyDir: {} },
                    secretsVolume,
                    ...rest.volumes,
                    ...pluginPod.renderPluginVolumes(plugins, pluginInstaller, pluginLayout, {
                        workerSecret: names.secret,
                    }),
                ],
            },
        },
    };
}

/**
 * The seed's layout at PROPERTIES_DIR, from two Secrets in one projected volume (no nested mounts):
 * `distributed/distributed.properties` from the worker Secret, `connectors/<name>.json` from the connectors'
 * reference Secret.
 */
function workerConfigVolume(names: WorkloadNames, connectorNames: readonly string[], metrics: boolean) {
    const exporter = { key: metricsPod.METRICS_CONFIG_KEY, path: metricsPod.METRICS_CONFIG_PATH };
    const properties = {
        secret: {
            name: names.secret,
            items: [
                { key: PROPERTIES_KEY, path: "distributed/distributed.properties" },
                ...(metrics ? [exporter] : []),
            ],
        },
    };
    const connectors =
        names.connectors === undefined || connectorNames.length === 0
            ? []
            : [
                  {
                      secret: {
                          name: names.connectors,
                          items: connectorNames.map((name) => ({
                              key: connectorSecretKey(name),
                              path: `connectors/${connectorSecretKey(name)}`,
                          })),
                      },
                  },
              ];
    return { name: "worker-config", projected: { defaultMode: 0o440, sources: [properties, ...connectors] } };
}

/**
 * Each worker advertises its own pod IP, so peers can forward requests to the leader: the variable that
 * `distributed.properties` reads its advertised host from (`config.worker.advertisedHost`, named only there)
 * is set from the downward API. None when the advertised host is a fixed name.
 */
function advertisedHostEnv(config: ResolvedClusterConfig) {
    const host = config.worker.advertisedHost;
    return "fromEnv" in host ? [{ name: host.fromEnv, valueFrom: { fieldRef: { fieldPath: "status.podIP" } } }] : [];
}

/**
 * How the kubelet asks a worker whether it is healthy. /health answers 200 only once the worker has
 * joined the group, so it is the probe of choice; basic auth (which also guards /health) and TLS change
 * how it can be asked:
 *  - neither: httpGet /health;
 *  - TLS only: httpGet /health over HTTPS (the kubelet does not verify the certificate);
 *  - basic auth over HTTP: an exec probe sending the Authorization value from the mounted Secret
 *    (headers of an httpGet probe would put the credential in the pod spec);
 *  - both: a TCP check only (bash cannot speak TLS, and the image has no curl): the port is open once the
 *    REST server started, a little before the worker joined the group.
 */
export type HealthCheck =
    | { readonly httpGet: { readonly path: string; readonly port: string; readonly scheme?: "HTTPS" } }
    | { readonly exec: { readonly command: string[] } }
    | { readonly tcpSocket: { readonly port: string } };

export function healthCheck(config: ResolvedClusterConfig): HealthCheck {
    // With TLS, an HTTP probe cannot work: the kubelet calls https://<pod IP>/health, and Jetty answers 400
    // "Invalid SNI" to a Host its certificate does not name (no certificate issued in advance names a pod IP).
    if (config.restTlsDir !== undefined) {
        return { tcpSocket: { port: REST_PORT_NAME } };
    }
    if (config.restAuthDir !== undefined) {
        return {
            exec: {
                command: authenticatedHealthProbeCommand(
                    config.restPort,
                    `${config.restAuthDir}/${PROBE_AUTHORIZATION_FILE}`,
                ),
            },
        };
    }
    return { httpGet: { path: "/health", port: REST_PORT_NAME } };
}

/** Environment, volumes and mounts for REST basic auth and TLS: Secrets mounted read-only, only paths in the spec. */
function restSecurityParts(config: ResolvedClusterConfig, names: WorkloadNames) {
    const env: { name: string; value: string }[] = [];
    const volumes: { name: string; secret: { secretName: string; defaultMode: number } }[] = [];
    const mounts: { name: string; mountPath: string; readOnly: boolean }[] = [];
    if (config.restAuthDir !== undefined && names.restAuth !== undefined) {
        // The JAAS file is only read through this JVM flag; kafka-run-class.sh passes KAFKA_OPTS to the JVM.
        env.push({ name: "KAFKA_OPTS", value: jaasJvmOption(config.restAuthDir) });
        volumes.push({ name: "rest-auth", secret: { secretName: names.restAuth, defaultMode: 0o440 } });
        mounts.push({ name: "rest-auth", mountPath: config.restAuthDir, readOnly: true });
    }
    if (config.restTlsDir !== undefined && names.restTls !== undefined) {
        volumes.push({ name: "rest-tls", secret: { secretName: names.restTls, defaultMode: 0o440 } });
        mounts.push({ name: "rest-tls", mountPath: config.restTlsDir, readOnly: true });
    }
    return { env, volumes, mounts };
}

/** ClusterIP Service for the REST API. */
export function renderServiceSpec(componentName: string, config: ResolvedClusterConfig) {
    return {
        type: "ClusterIP",
        selector: workloadLabels(componentName, config).selector,
        ports: [
            { name: REST_PORT_NAME, port: config.restPort, targetPort: REST_PORT_NAME, protocol: "TCP" },
            ...metricsPod.metricsServicePorts(config.metrics),
        ],
    };
}

/** At most one worker down for voluntary disruptions (drains): the others keep the tasks running. */
export function renderPodDisruptionBudgetSpec(componentName: string, config: ResolvedClusterConfig) {
    return { maxUnavailable: 1, selector: { matchLabels: workloadLabels(componentName, config).selector } };
}

/**
 * Only the workers (they forward requests to the leader) and the given peers may reach the REST port; only
 * `metrics.allowedFrom` the metrics port.
 */
export function renderNetworkPolicySpec(
    componentName: string,
    config: ResolvedClusterConfig,
    allowedFrom: readonly Record<string, unknown>[],
) {
    const selector = workloadLabels(componentName, config).selector;
    return {
        podSelector: { matchLabels: selector },
        policyTypes: ["Ingress"],
        ingress: [
            {
                ports: [{ port: REST_PORT_NAME, protocol: "TCP" }],
                from: [{ podSelector: { matchLabels: selector } }, ...allowedFrom],
            },
            ...metricsPod.metricsIngressRules(config.metrics),
        ],
    };
}

/** The in-cluster URL of the REST API. */
export function serviceUrl(serviceName: string, namespace: string, restPort: number, https = false): string {
    return `${https ? "https" : "http"}://${serviceName}.${namespace}.svc:${restPort}`;
}

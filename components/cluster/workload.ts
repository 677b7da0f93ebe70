/**
 * ConnectCluster's storage topics and workload: the three compacted topics Connect keeps its state in, and
 * the Deployment, Service, PodDisruptionBudget and NetworkPolicy of the workers, from the pure renderers.
 */
import * as kafka from "@pulumi/kafka";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { PlainInputs, ResolvedInputs } from "./inputs";
import { ClusterSecrets } from "./secrets";
import { STORAGE_TOPIC_ROLES, StorageTopicRole } from "../render/storageTopics";
import { renderPodMonitorSpec } from "../render/metrics";
import { withAutoRestart } from "../render/autoRestart";
import * as workload from "../render/workload";

export function declareStorageTopics(
    name: string,
    parent: pulumi.ComponentResource,
    plain: PlainInputs,
    inputs: ResolvedInputs,
): Record<StorageTopicRole, kafka.Topic> {
    const topics = {} as Record<StorageTopicRole, kafka.Topic>;
    for (const role of STORAGE_TOPIC_ROLES) {
        const spec = inputs.config.storageTopics[role];
        topics[role] = new kafka.Topic(
            `${name}-${role}-topic`,
            {
                name: spec.name,
                partitions: spec.partitions,
                replicationFactor: spec.replicationFactor,
                config: spec.config,
            },
            {
                parent,
                retainOnDelete: plain.options.retainStorageTopicsOnDelete,
                import: plain.adoptedTopicNames?.[role],
            },
        );
    }
    return topics;
}

export interface ClusterWorkload {
    readonly deployment: k8s.apps.v1.Deployment;
    readonly service: k8s.core.v1.Service;
    readonly podDisruptionBudget: k8s.policy.v1.PodDisruptionBudget;
    /** Absent when `networkPolicy` is false. */
    readonly networkPolicy?: k8s.networking.v1.NetworkPolicy;
    /** Only with `metrics.podMonitor`. */
    readonly podMonitor?: k8s.apiextensions.CustomResource;
}

/** The workers, started after the topics and every Secret they mount exist. */
export function declareWorkload(
    name: string,
    parent: pulumi.ComponentResource,
    plain: PlainInputs,
    inputs: ResolvedInputs,
    topics: Record<StorageTopicRole, kafka.Topic>,
    secrets: ClusterSecrets,
    exactlyOnceGuard: pulumi.Resource,
): ClusterWorkload {
    const { config, metadata } = inputs;
    const { names } = plain;
    // A keyed digest of what the workers read at start: it can be shown in diffs, and reveals nothing about them.
    const checksum = pulumi.unsecret(
        pulumi
            .all([secrets.workerInputs, secrets.checksumSalt.value])
            .apply(([files, salt]) => workload.configChecksum(files, salt)),
    );
    const connectorNames = plain.connectors.map((c) => c.name);
    const withSecrets = plain.connectors.filter((c) => c.secretConfig !== undefined).map((c) => c.name);
    const deployment = new k8s.apps.v1.Deployment(
        `${name}-workers`,
        {
            metadata: {
                ...metadata(names.deployment),
                annotations: config.apply((c) => workload.renderDeploymentAnnotations(c, metadata(name).annotations)),
            },
            spec: pulumi
                .all([config, checksum])
                .apply(([c, sum]) =>
                    withAutoRestart(
                        workload.renderDeploymentSpec(name, c, names, connectorNames, sum, withSecrets),
                        c,
                        names.restAuth,
                    ),
                ),
        },
        {
            parent,
            dependsOn: [
                exactlyOnceGuard,
                ...Object.values(topics),
                secrets.worker,
                ...[secrets.connectorsReference, secrets.connectorSecrets, secrets.restAuth, secrets.restTls].filter(
                    (s): s is k8s.core.v1.Secret => s !== undefined,
                ),
            ],
        },
    );
    const service = new k8s.core.v1.Service(
        `${name}-rest`,
        { metadata: metadata(names.service), spec: config.apply((c) => workload.renderServiceSpec(name, c)) },
        { parent },
    );
    const podDisruptionBudget = new k8s.policy.v1.PodDisruptionBudget(
        `${name}-pdb`,
        { metadata: metadata(name), spec: config.apply((c) => workload.renderPodDisruptionBudgetSpec(name, c)) },
        { parent },
    );
    const networkPolicy = !plain.options.networkPolicy
        ? undefined
        : new k8s.networking.v1.NetworkPolicy(
              `${name}-rest-policy`,
              {
                  metadata: metadata(`${name}-rest`),
                  spec: config.apply((c) => workload.renderNetworkPolicySpec(name, c, c.restAllowedFrom ?? [])),
              },
              { parent },
          );
    const podMonitor = !plain.podMonitor
        ? undefined
        : new k8s.apiextensions.CustomResource(
              `${name}-pod-monitor`,
              {
                  apiVersion: "monitoring.coreos.com/v1",
                  kind: "PodMonitor",
                  metadata: {
                      ...metadata(name),
                      labels: pulumi
                          .all([metadata(name).labels, config])
                          .apply(([own, c]) => ({ ...c.metrics?.podMonitor?.labels, ...own })),
                  },
                  spec: config.apply((c) =>
                      renderPodMonitorSpec(workload.workloadLabels(name, c).selector, c.metrics!),
                  ),
              },
              { parent, dependsOn: [deployment] },
          );
    return { deployment, service, podDisruptionBudget, networkPolicy, podMonitor };
}

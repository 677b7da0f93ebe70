/**
 * The ConnectCluster policy pack (CrossGuard): `pulumi preview --policy-pack <this folder>`. The rules are in
 * rules.ts; here they become policies. The two production rules read the pack's config `production`
 * (default true): set it to false for a development stack (`--policy-pack-config`).
 */
import { PolicyPack, ReportViolation, ResourceValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import * as rules from "./rules";

type Check = (args: ResourceValidationArgs) => string[];

/** A mandatory policy on resources of one type. */
function onType(name: string, description: string, type: string, check: Check, production = false) {
    return {
        name,
        description,
        enforcementLevel: "mandatory" as const,
        ...(production ? { configSchema: PRODUCTION_SCHEMA } : {}),
        validateResource: (args: ResourceValidationArgs, report: ReportViolation) => {
            if (args.type !== type) {
                return;
            }
            if (production && !args.getConfig<{ production: boolean }>().production) {
                return;
            }
            check(args).forEach((message) => report(message));
        },
    };
}

const PRODUCTION_SCHEMA = {
    properties: { production: { type: "boolean" as const, default: true } },
};

const topicRole = (args: ResourceValidationArgs) => rules.storageRole(args.name, (args.props as rules.TopicProps).name);

const networkPolicy: StackValidationPolicy = {
    name: "connect-rest-network-policy",
    description: "Kafka Connect's REST API is reachable only through a NetworkPolicy.",
    enforcementLevel: "mandatory",
    validateStack: (args, report) => {
        const policies = args.resources
            .filter((r) => r.type === rules.TYPES.networkPolicy)
            .map((r) => r.props as rules.NetworkPolicyProps);
        // A Deployment whose spec is unknown at preview (ConnectCluster's, in a new stack: its checksum annotation
        // comes from a resource not created yet) throws on access; the others are still judged, then the first
        // such error is rethrown, so the engine notes that the policy could not run on everything at preview.
        let unknownAtPreview: unknown;
        for (const resource of args.resources.filter((r) => r.type === rules.TYPES.deployment)) {
            try {
                rules
                    .restNetworkPolicy(resource.props as rules.DeploymentProps, policies)
                    .forEach((message) => report(message, resource.urn));
            } catch (error) {
                unknownAtPreview ??= error;
            }
        }
        if (unknownAtPreview !== undefined) {
            throw unknownAtPreview;
        }
    },
};

new PolicyPack("connectcluster", {
    policies: [
        onType(
            "connect-config-topic-single-partition",
            "Connect's config storage topic has exactly one partition.",
            rules.TYPES.topic,
            (args) => rules.configTopicPartitions(topicRole(args), args.props as rules.TopicProps),
        ),
        onType(
            "connect-storage-topics-compacted",
            "Connect's storage topics are compacted.",
            rules.TYPES.topic,
            (args) => rules.storageTopicCompacted(topicRole(args), args.props as rules.TopicProps),
        ),
        onType(
            "connect-production-replication-factor",
            "In production, Connect's storage topics have a replication factor of at least 3.",
            rules.TYPES.topic,
            (args) => rules.storageTopicReplication(topicRole(args), args.props as rules.TopicProps, 3),
            true,
        ),
        onType(
            "connect-production-replicas",
            "In production, a Kafka Connect Deployment runs at least 2 workers.",
            rules.TYPES.deployment,
            (args) => rules.workerReplicas(args.props as rules.DeploymentProps, 2),
            true,
        ),
        onType(
            "connect-resource-limits",
            "Kafka Connect workers have a memory limit.",
            rules.TYPES.deployment,
            (args) => rules.workerLimits(args.props as rules.DeploymentProps),
        ),
        onType(
            "connect-plugin-checksums",
            "Kafka Connect plugin downloads are verified by checksum.",
            rules.TYPES.deployment,
            (args) => rules.pluginChecksums(args.props as rules.DeploymentProps),
        ),
        onType(
            "connector-secrets-in-secret-config",
            "Connector credentials are in secretConfig, not in plain config.",
            rules.TYPES.connector,
            (args) => {
                const props = args.props as { name?: unknown; config?: unknown };
                return rules.connectorSecrets(props.name, props.config);
            },
        ),
        networkPolicy,
    ],
});

/**
 * Presets: the inputs a known Kafka service needs, to spread into ConnectClusterArgs.
 */
import * as pulumi from "@pulumi/pulumi";
import { ConnectClusterArgs } from "./args";

export interface ConfluentCloudArgs {
    /** The cluster's bootstrap endpoint, `pkc-xxxxx.<region>.<cloud>.confluent.cloud:9092`. Required. */
    readonly bootstrapServers: pulumi.Input<string>;
    /** A Kafka API key of the cluster (the SASL username). Required. */
    readonly apiKey: pulumi.Input<string>;
    /** Its secret (the SASL password). Wrap it in `pulumi.secret`. Required. */
    readonly apiSecret: pulumi.Input<string>;
}

/** Client settings Confluent recommends for self-managed Connect, for the worker and each of its clients. */
const CONFLUENT_CLIENT_SETTINGS: Readonly<Record<string, string>> = {
    "client.dns.lookup": "use_all_dns_ips",
    "request.timeout.ms": "20000",
    "retry.backoff.ms": "500",
};

/**
 * Confluent Cloud, the seed's setup: SASL_SSL with PLAIN (API key and secret), replication factor 3
 * (the only one Confluent Cloud accepts), and its recommended client timeouts applied to the worker
 * and its producer, consumer and admin clients. The brokers' certificates are publicly trusted, so no CA.
 *
 * ```ts
 * new ConnectCluster("sink", { ...confluentCloud({ bootstrapServers, apiKey, apiSecret }), connectors: [...] });
 * ```
 */
export function confluentCloud(
    args: ConfluentCloudArgs,
): Pick<ConnectClusterArgs, "bootstrapServers" | "kafkaSecurity" | "replicationFactor" | "workerOverrides"> {
    const overrides: Record<string, string> = {};
    for (const prefix of ["", "producer.", "consumer.", "admin."]) {
        for (const [key, value] of Object.entries(CONFLUENT_CLIENT_SETTINGS)) {
            overrides[`${prefix}${key}`] = value;
        }
    }
    return {
        bootstrapServers: args.bootstrapServers,
        replicationFactor: 3,
        kafkaSecurity: {
            protocol: "SASL_SSL",
            sasl: { mechanism: "PLAIN", username: args.apiKey, password: pulumi.secret(args.apiSecret) },
        },
        workerOverrides: overrides,
    };
}

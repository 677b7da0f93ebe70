/**
 * Checks of `kafkaSecurity`, the Kafka client security block: which combinations of protocol, SASL and
 * certificates make sense. Pure; errors name the field and the fix and never contain a secret value.
 */
import { connectClusterError } from "../errors";
import { KafkaClientSecurity } from "../render/workerProperties";

/** Checks the security block's combinations; returns it unchanged when valid. */
export function validateKafkaSecurity(security: KafkaClientSecurity | undefined): KafkaClientSecurity | undefined {
    if (security === undefined) {
        return undefined;
    }
    const protocols = ["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"];
    if (!protocols.includes(security.protocol)) {
        throw connectClusterError(
            "invalid-input",
            `kafkaSecurity.protocol must be one of ${protocols.join(", ")} (got "${security.protocol}").`,
            { field: "kafkaSecurity.protocol" },
        );
    }
    const usesSasl = security.protocol.startsWith("SASL_");
    if (usesSasl && security.sasl === undefined) {
        throw connectClusterError(
            "invalid-input",
            `kafkaSecurity.sasl is required with protocol ${security.protocol}: give mechanism, username and password.`,
            { field: "kafkaSecurity.sasl" },
        );
    }
    if (!usesSasl && security.sasl !== undefined) {
        throw connectClusterError(
            "invalid-input",
            `kafkaSecurity.sasl is set but protocol ${security.protocol} does not use SASL: use SASL_SSL or ` +
                `SASL_PLAINTEXT.`,
            { field: "kafkaSecurity.sasl" },
        );
    }
    if (security.sasl !== undefined && !["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"].includes(security.sasl.mechanism)) {
        throw connectClusterError(
            "invalid-input",
            `kafkaSecurity.sasl.mechanism must be PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512.`,
            { field: "kafkaSecurity.sasl.mechanism" },
        );
    }
    if ((security.clientCertificatePem === undefined) !== (security.clientKeyPem === undefined)) {
        throw connectClusterError(
            "invalid-input",
            `kafkaSecurity.clientCertificatePem and clientKeyPem go together: give both or neither.`,
            { field: "kafkaSecurity.clientCertificatePem" },
        );
    }
    const usesTls = security.protocol === "SSL" || security.protocol === "SASL_SSL";
    if (!usesTls && (security.caCertificatePem !== undefined || security.clientCertificatePem !== undefined)) {
        throw connectClusterError(
            "invalid-input",
            `kafkaSecurity certificates are set but protocol ${security.protocol} does not use TLS: use SSL or ` +
                `SASL_SSL.`,
            { field: "kafkaSecurity" },
        );
    }
    return security;
}

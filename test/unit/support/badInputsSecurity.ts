/**
 * The bad-input catalogue's rows about security: REST access, its auth and TLS, Kafka security, worker overrides
 * of what the component owns (storage topic settings, advertised host and listener, REST extensions, the file
 * config provider), and a secretConfig key with a colon. Part of CATALOGUE (badInputCatalogue.ts), last.
 */
import type { ConnectClusterArgs } from "../../../components";
import type { BadInput } from "./badInputCatalogue";

const sink = { "connector.class": "FileStreamSink", topics: "t" };
const base: ConnectClusterArgs = { bootstrapServers: "broker:9092" };

export const SECURITY_ROWS: readonly BadInput[] = [
    {
        name: "both REST access modes",
        rejectedBy: "validateRestAccess",
        args: { ...base, restAccess: { url: "http://c:8083", kubernetesServiceProxy: {} } },
        message: "restAccess: give either url or kubernetesServiceProxy, not both.",
    },
    {
        name: "REST credentials without a URL",
        rejectedBy: "validateRestAccess",
        args: { ...base, restAccess: { username: "admin" } },
        message: "restAccess.username, password and caCertificatePem apply to restAccess.url; set url too.",
    },
    {
        name: "restAuth through the service proxy",
        rejectedBy: "validateRestAccess",
        args: { ...base, restAuth: { users: { ops: "pw" } } },
        message:
            "restAuth needs restAccess.url (an ingress, a VPN or port-forward address): the Kubernetes API server's " +
            "service proxy removes the Authorization header, so the provider's credentials would never reach the " +
            "workers.",
    },
    {
        name: "restAuth without users",
        rejectedBy: "validateRestAuthUsers",
        args: { ...base, restAuth: { users: {} }, restAccess: { url: "http://c:8083" } },
        message:
            "restAuth.users must name at least one user: Kafka's PropertyFileLoginModule lets everyone in when it " +
            "has " +
            "no users.",
    },
    {
        name: "restAuth user name with a colon",
        rejectedBy: "validateRestAuthUsers",
        args: { ...base, restAuth: { users: { "a:b": "pw" } }, restAccess: { url: "http://c:8083" } },
        message: 'restAuth.users: user name "a:b" must be 1-200 characters without ":" or whitespace.',
    },
    {
        name: "restAuth with several users and no restAccess.username",
        rejectedBy: "resolveRestCredentials",
        args: { ...base, restAuth: { users: { a: "1", b: "2" } }, restAccess: { url: "http://c:8083" } },
        message:
            "restAccess.username is required: restAuth.users has 2 users (a, b); name the one the provider logs in as.",
    },
    {
        name: "restTls through the API server's proxy",
        rejectedBy: "validateRestAccess",
        args: { ...base, replicas: 1, restTls: { keystorePkcs12Base64: "MA==", keystorePassword: "pw" } },
        message:
            "restTls needs restAccess.url (an address the workers' certificate names): through the Kubernetes API " +
            "server's service proxy the request reaches a worker under a host name its certificate cannot name, and " +
            'Jetty refuses it (HTTP 400 "Invalid SNI").',
    },
    {
        name: "restTls with 2 replicas",
        rejectedBy: "resolveClusterConfig",
        args: {
            ...base,
            restTls: { keystorePkcs12Base64: "MA==", keystorePassword: "pw" },
            restAccess: { url: "https://connect.example:8083" },
        },
        message:
            "restTls supports at most 1 replica for now (got 2): workers forward requests to the leader at its pod " +
            "IP, " +
            "and Kafka Connect's HTTPS listener refuses requests whose host its certificate does not name (HTTP 400 " +
            '"Invalid SNI").',
    },
    {
        name: "override of the REST listener's TLS",
        rejectedBy: "validateWorkerOverrides",
        args: { ...base, workerOverrides: { "listeners.https.ssl.keystore.location": "/k.p12" } },
        message:
            'workerOverrides["listeners.https.ssl.keystore.location"]: this worker setting is owned by ' +
            "ConnectCluster " +
            "(restTls); set that input instead of overriding it.",
    },
    {
        name: "SASL protocol without credentials",
        rejectedBy: "validateKafkaSecurity",
        args: { ...base, kafkaSecurity: { protocol: "SASL_SSL" } },
        message: "kafkaSecurity.sasl is required with protocol SASL_SSL: give mechanism, username and password.",
    },
    {
        name: "credentials with a non-SASL protocol",
        rejectedBy: "validateKafkaSecurity",
        args: {
            ...base,
            kafkaSecurity: { protocol: "SSL", sasl: { mechanism: "PLAIN", username: "u", password: "p" } },
        },
        message: "kafkaSecurity.sasl is set but protocol SSL does not use SASL: use SASL_SSL or SASL_PLAINTEXT.",
    },
    {
        name: "client certificate without its key",
        rejectedBy: "validateKafkaSecurity",
        args: { ...base, kafkaSecurity: { protocol: "SSL", clientCertificatePem: "CERT" } },
        message: "kafkaSecurity.clientCertificatePem and clientKeyPem go together: give both or neither.",
    },
    {
        name: "unknown SASL mechanism",
        rejectedBy: "validateKafkaSecurity",
        args: {
            ...base,
            kafkaSecurity: {
                protocol: "SASL_SSL",
                sasl: { mechanism: "GSSAPI" as "PLAIN", username: "u", password: "p" },
            },
        },
        message: "kafkaSecurity.sasl.mechanism must be PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512.",
    },
    {
        name: "override of a storage topic setting",
        rejectedBy: "validateWorkerOverrides",
        args: { ...base, workerOverrides: { "status.storage.topic": "x" } },
        message:
            'workerOverrides["status.storage.topic"]: this worker setting is owned by ConnectCluster ' +
            "(storageTopics.status.name); set that input instead of overriding it.",
    },
    {
        name: "override of the advertised host",
        rejectedBy: "validateWorkerOverrides",
        args: { ...base, workerOverrides: { "rest.advertised.host.name": "x" } },
        message:
            'workerOverrides["rest.advertised.host.name"]: this worker setting is owned by ConnectCluster ((derived ' +
            "from the pod IP)); set that input instead of overriding it.",
    },
    {
        name: "consumer security setting as an override",
        rejectedBy: "validateWorkerOverrides",
        args: { ...base, workerOverrides: { "consumer.sasl.jaas.config": "x" } },
        message:
            'workerOverrides["consumer.sasl.jaas.config"]: Kafka security settings are owned by ConnectCluster; set ' +
            "the `kafkaSecurity` input, which applies them to the worker and its producer, consumer and admin " +
            "clients.",
    },
    {
        name: "override of the REST extensions",
        rejectedBy: "validateWorkerOverrides",
        args: { ...base, workerOverrides: { "rest.extension.classes": "x" } },
        message:
            'workerOverrides["rest.extension.classes"]: this worker setting is owned by ConnectCluster (restAuth); ' +
            "set that input instead of overriding it.",
    },
    {
        name: "override of the advertised listener",
        rejectedBy: "validateWorkerOverrides",
        args: { ...base, workerOverrides: { "rest.advertised.listener": "x" } },
        message:
            'workerOverrides["rest.advertised.listener"]: this worker setting is owned by ConnectCluster (restTls); ' +
            "set that input instead of overriding it.",
    },
    {
        name: "override of the file config provider",
        rejectedBy: "validateWorkerOverrides",
        args: { ...base, workerOverrides: { "config.providers.file.class": "x" } },
        message:
            'workerOverrides["config.providers.file.class"]: this worker setting is owned by ConnectCluster (config ' +
            "providers); set that input instead of overriding it.",
    },
    {
        name: "secretConfig key with a colon",
        rejectedBy: "validateSecretKeys",
        args: { ...base, connectors: [{ name: "s", config: sink, secretConfig: { "a:b": "x" } }] },
        message: 'connectors["s"].secretConfig["a:b"]: keys may use only a-z, A-Z, 0-9, ".", "_" and "-".',
    },
    {
        name: "restAuth with an empty user name",
        rejectedBy: "validateRestAuthUsers",
        args: { ...base, restAuth: { users: { "": "pw" } }, restAccess: { url: "http://c:8083" } },
        message: 'restAuth.users: user name "" must be 1-200 characters without ":" or whitespace.',
    },
    {
        name: "restAuth with an empty password",
        rejectedBy: "validateRestAuthUsers",
        args: { ...base, restAuth: { users: { ops: "" } }, restAccess: { url: "http://c:8083" } },
        message: 'restAuth.users["ops"]: the password must be a non-empty string.',
    },
    {
        name: "a CA over plaintext",
        rejectedBy: "validateKafkaSecurity",
        args: { ...base, kafkaSecurity: { protocol: "PLAINTEXT", caCertificatePem: "CA" } },
        message: "kafkaSecurity certificates are set but protocol PLAINTEXT does not use TLS: use SSL or SASL_SSL.",
    },
    {
        name: "an unknown security protocol",
        rejectedBy: "validateKafkaSecurity",
        args: { ...base, kafkaSecurity: { protocol: "TLS" as "SSL" } },
        message: 'kafkaSecurity.protocol must be one of PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL (got "TLS").',
    },
];

/**
 * ConnectCluster's Secrets: the workers' config (`distributed.properties`), the connectors' JSON files (a
 * reference copy), the connectors' secret values, the REST users and the REST keystore. Secret values are
 * stored only in Secrets mounted into the pods: nothing secret reaches the pod spec or the properties.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ConnectClusterArgs } from "./args";
import { REST_TLS_FILES } from "../config/clusterConfig";
import { PlainInputs, ResolvedInputs } from "./inputs";
import { Salt } from "../provider/salt";
import { escapePropertyValue } from "../render/properties";
import { renderRestAuthSecretData } from "../render/restAuth";
import * as workload from "../render/workload";

export interface ClusterSecrets {
    /** `distributed.properties`. */
    readonly worker: k8s.core.v1.Secret;
    /** The connectors' JSON files, a reference copy the workers do not read; only when there are connectors. */
    readonly connectorsReference?: k8s.core.v1.Secret;
    /** Connectors' `secretConfig` values; only when a connector has some. */
    readonly connectorSecrets?: k8s.core.v1.Secret;
    /** REST users and JAAS file; only with `restAuth`. */
    readonly restAuth?: k8s.core.v1.Secret;
    /** REST listener's keystore; only with `restTls`. */
    readonly restTls?: k8s.core.v1.Secret;
    /** What the workers read at start, by mounted Secret (for the pod template's checksum). */
    readonly workerInputs: pulumi.Output<Record<string, string>>;
    /** The checksum's key: generated once, kept only in the state, as a secret. */
    readonly checksumSalt: Salt;
}

export function declareSecrets(
    name: string,
    parent: pulumi.ComponentResource,
    args: ConnectClusterArgs,
    plain: PlainInputs,
    inputs: ResolvedInputs,
    exactlyOnceGuard: pulumi.Resource,
): ClusterSecrets {
    const { connectors, names } = plain;
    // Each Secret's resource name is its Kubernetes name.
    const declare = (
        objectName: string,
        contents: Pick<k8s.core.v1.SecretArgs, "data" | "stringData">,
        dependsOn: pulumi.Resource[] = [],
    ) =>
        new k8s.core.v1.Secret(
            objectName,
            { metadata: inputs.metadata(objectName), type: "Opaque", ...contents },
            { parent, dependsOn },
        );

    const secretData = pulumi.all([inputs.workerProperties, inputs.config]).apply(([properties, c]) =>
        // The CA only where an init container reads it: without downloads it would roll the workers for nothing.
        workload.renderSecretData(
            properties,
            c.metrics,
            c.plugins.some((p) => p.artifacts.length > 0) ? c.pluginInstaller.caCertificatePem : undefined,
        ),
    );
    // After the guard: an exactly-once move it refuses leaves the workers' properties as they were.
    const worker = declare(names.secret, { stringData: secretData }, [exactlyOnceGuard]);
    const connectorsReference =
        names.connectors === undefined
            ? undefined
            : declare(names.connectors, {
                  stringData: pulumi
                      .all(connectors.map((connector) => connector.config))
                      .apply((configs) =>
                          workload.renderConnectorsSecretData(
                              connectors.map((c, i) => ({ name: c.name, config: configs[i] })),
                          ),
                      ),
              });

    const withSecrets = connectors.filter((connector) => connector.secretConfig !== undefined);
    const connectorSecretsData = pulumi.secret(
        pulumi
            .all(withSecrets.map((c) => c.secretConfig!))
            .apply((values) =>
                workload.renderConnectorSecretsData(
                    withSecrets.map((c, i) => ({ name: c.name, secretConfig: values[i] })),
                ),
            ),
    );
    const connectorSecrets =
        names.connectorSecrets === undefined
            ? undefined
            : declare(names.connectorSecrets, { stringData: connectorSecretsData });

    const restAuthData = pulumi.secret(
        pulumi
            .all([inputs.restUsers ?? {}, inputs.config])
            .apply(([users, c]) => (c.restAuthDir === undefined ? {} : renderRestAuthSecretData(users, c.restAuthDir))),
    );
    const restAuth = names.restAuth === undefined ? undefined : declare(names.restAuth, { stringData: restAuthData });

    const restTlsData = pulumi.secret(
        pulumi
            .all([args.restTls?.keystorePkcs12Base64, args.restTls?.keystorePassword])
            .apply(([keystore, password]): Record<string, string> =>
                keystore === undefined
                    ? {}
                    : {
                          [REST_TLS_FILES.keystore]: keystore,
                          [REST_TLS_FILES.password]: `password=${escapePropertyValue(password ?? "")}\n`,
                      },
            ),
    );
    const restTls =
        names.restTls === undefined
            ? undefined
            : declare(names.restTls, {
                  // The keystore is binary: `data` takes it base64-encoded as given; the password file is text.
                  data: restTlsData.apply((d) => ({ [REST_TLS_FILES.keystore]: d[REST_TLS_FILES.keystore] })),
                  stringData: restTlsData.apply((d) => ({ [REST_TLS_FILES.password]: d[REST_TLS_FILES.password] })),
              });

    // The REST users and the keystore are read only at start too, so a change must roll the workers.
    const workerInputs = pulumi
        .all([secretData, connectorSecretsData, restAuthData, restTlsData])
        .apply(([workerData, secrets, auth, tls]) =>
            workload.workerInputs(workerData, { secret: secrets, "rest-auth": auth, "rest-tls": tls }),
        );
    // Declared once every input is valid, like every other child (it has no inputs of its own to wait for).
    const checksumSalt = new Salt(`${name}-config-checksum-salt`, {
        parent,
        dependsOn: inputs.config.apply(() => []),
    });
    return { worker, connectorsReference, connectorSecrets, restAuth, restTls, workerInputs, checksumSalt };
}

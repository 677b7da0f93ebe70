/**
 * Wiring of the dynamic provider's REST access from the component's inputs: which target, which
 * credentials. The result is always a Pulumi secret, because it may hold credentials.
 */
import * as pulumi from "@pulumi/pulumi";
import { RestAccessArgs, RestAuthArgs } from "./args";
import { ResolvedClusterConfig } from "../config/clusterConfig";
import { resolveRestCredentials, RestAccessShape } from "../config/restAccess";
import { DEFAULTS } from "../config/defaults";
import { RestAccess } from "../provider/connectorProvider";
import { basicAuthorization } from "../basicAuth";
import * as workload from "../render/workload";

/** Which restAccess settings are present, for validateRestAccess. */
export function restAccessShape(access: RestAccessArgs | undefined): RestAccessShape {
    return {
        url: access?.url !== undefined,
        kubernetesServiceProxy: access?.kubernetesServiceProxy !== undefined,
        credentialsOrCa:
            access?.username !== undefined || access?.password !== undefined || access?.caCertificatePem !== undefined,
    };
}

/** The dynamic provider's REST access; with `restAuth`, the credentials default from its users (see
 * resolveRestCredentials). */
export function restAccessFor(
    access: RestAccessArgs | undefined,
    restAuth: RestAuthArgs | undefined,
    resolved: pulumi.Output<ResolvedClusterConfig>,
    serviceName: pulumi.Output<string>,
): pulumi.Output<RestAccess> {
    if (access?.url !== undefined) {
        const users = restAuth === undefined ? undefined : pulumi.output(restAuth.users);
        return pulumi.secret(
            pulumi
                .all([access.url, access.username, access.password, access.caCertificatePem, users])
                .apply(([url, username, password, ca, userMap]): RestAccess => {
                    const credentials = resolveRestCredentials(
                        { username, password },
                        userMap as Record<string, string> | undefined,
                    );
                    const headers: Record<string, string> =
                        credentials === undefined
                            ? {}
                            : { Authorization: basicAuthorization(credentials.username, credentials.password) };
                    return { url: { baseUrl: url, headers, caCertificatePem: ca } };
                }),
        );
    }
    const proxy: pulumi.Output<{ kubeconfig?: string; context?: string }> = pulumi.output(
        access?.kubernetesServiceProxy ?? DEFAULTS.restAccess.kubernetesServiceProxy,
    );
    return pulumi.secret(
        pulumi.all([proxy, resolved, serviceName]).apply(([p, c, service]): RestAccess => ({
            kubernetesServiceProxy: {
                kubeconfig: p.kubeconfig,
                context: p.context,
                namespace: c.namespace,
                service,
                port: workload.REST_PORT_NAME,
            },
        })),
    );
}

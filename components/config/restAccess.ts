/**
 * Checks of how the provider reaches the workers' REST API (`restAccess`) against `restAuth` and `restTls`,
 * and the credentials it sends. Pure; errors name the field and the fix and never contain a secret value.
 */
import { connectClusterError } from "../errors";

/** Which REST access settings were given (presence only: the values may be secret or unknown yet). */
export interface RestAccessShape {
    readonly url: boolean;
    readonly kubernetesServiceProxy: boolean;
    readonly credentialsOrCa: boolean;
}

/** Checks restAccess's combinations, and with `restAuth` that the provider has a way to send credentials. */
export function validateRestAccess(access: RestAccessShape, restAuthEnabled: boolean, restTlsEnabled: boolean): void {
    if (access.url && access.kubernetesServiceProxy) {
        throw connectClusterError("invalid-input", `restAccess: give either url or kubernetesServiceProxy, not both.`, {
            field: "restAccess",
        });
    }
    if (!access.url && access.credentialsOrCa) {
        throw connectClusterError(
            "invalid-input",
            `restAccess.username, password and caCertificatePem apply to restAccess.url; set url too.`,
            { field: "restAccess.username" },
        );
    }
    if (restAuthEnabled && !access.url) {
        // Verified in the Kubernetes sources (WithAuthentication): after authenticating the caller, the API
        // server deletes the Authorization header, so basic auth cannot reach the workers through its proxy.
        throw connectClusterError(
            "invalid-input",
            `restAuth needs restAccess.url (an ingress, a VPN or port-forward address): the Kubernetes API server's ` +
                `service proxy ` +
                `removes the Authorization header, so the provider's credentials would never reach the workers.`,
            { field: "restAccess.url" },
        );
    }
    if (restTlsEnabled && !access.url) {
        throw connectClusterError(
            "invalid-input",
            `restTls needs restAccess.url (an address the workers' certificate names): through the Kubernetes API ` +
                `server's service proxy ` +
                `the request reaches a worker under a host name its certificate cannot name, and Jetty refuses it ` +
                `(HTTP 400 "Invalid SNI").`,
            { field: "restAccess.url" },
        );
    }
}

/**
 * The provider's basic-auth credentials: `restAccess.username`/`password` when given, else taken from
 * `restAuth.users` (the only user, or the password of the named user). Messages never hold a password.
 */
export function resolveRestCredentials(
    access: { readonly username?: string; readonly password?: string },
    users: Readonly<Record<string, string>> | undefined,
): { username: string; password: string } | undefined {
    if (users === undefined) {
        return access.username === undefined
            ? undefined
            : { username: access.username, password: access.password ?? "" };
    }
    const names = Object.keys(users).sort();
    const username = access.username ?? (names.length === 1 ? names[0] : undefined);
    if (username === undefined) {
        throw connectClusterError(
            "invalid-input",
            `restAccess.username is required: restAuth.users has ${names.length} users (${names.join(", ")}); name ` +
                `the one the provider logs in as.`,
            { field: "restAccess.username" },
        );
    }
    const password = access.password ?? users[username];
    if (password === undefined) {
        throw connectClusterError(
            "invalid-input",
            `restAccess.username "${username}" is not in restAuth.users: add it there, or give restAccess.password.`,
            { field: "restAccess.username" },
        );
    }
    return { username, password };
}

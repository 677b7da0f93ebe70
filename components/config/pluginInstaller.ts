/**
 * The `pluginInstaller` input: the init container's image, the Secret with repository credentials, and the CA
 * certificates curl trusts besides the image's own. Pure; errors name the field and the fix.
 */
import { connectClusterError } from "../errors";
import { PluginInstaller } from "../render/pluginPod";
import { DEFAULTS } from "./defaults";

export interface PluginInstallerArgs {
    readonly image?: string;
    readonly credentialsSecret?: string;
    readonly caCertificatePem?: string;
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----\r?\n[A-Za-z0-9+/=\r\n]+-----END CERTIFICATE-----/g;

/** Applies DEFAULTS.pluginInstaller and checks each field. */
export function resolvePluginInstaller(installer: PluginInstallerArgs | undefined): PluginInstaller {
    const image = installer?.image ?? DEFAULTS.pluginInstaller.image;
    if (typeof image !== "string" || !/^[^\s]+$/.test(image)) {
        throw connectClusterError(
            "invalid-input",
            `pluginInstaller.image must be a container image reference without whitespace.`,
        );
    }
    const secret = installer?.credentialsSecret;
    if (secret !== undefined && !/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/.test(secret)) {
        throw connectClusterError(
            "invalid-input",
            `pluginInstaller.credentialsSecret "${secret}" must be the name of a Secret in the namespace ` +
                `(lowercase RFC 1123 subdomain).`,
        );
    }
    const ca = installer?.caCertificatePem;
    if (ca !== undefined && !isCertificateBundle(ca)) {
        throw connectClusterError(
            "invalid-input",
            `pluginInstaller.caCertificatePem must be one or more PEM certificates ("-----BEGIN CERTIFICATE-----" ` +
                `... "-----END CERTIFICATE-----"), nothing else: the CA certificates, never a private key.`,
        );
    }
    return {
        image,
        ...(secret === undefined ? {} : { credentialsSecret: secret }),
        ...(ca === undefined ? {} : { caCertificatePem: ca.trim() + "\n" }),
    };
}

/** Only certificates, whitespace between them. */
function isCertificateBundle(value: unknown): boolean {
    if (typeof value !== "string") {
        return false;
    }
    const blocks = value.match(PEM_CERTIFICATE) ?? [];
    return blocks.length > 0 && value.replace(PEM_CERTIFICATE, "").trim() === "";
}

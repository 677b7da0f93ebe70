/**
 * A throwaway certificate authority for TLS tests, made with the machine's openssl: a CA, a broker
 * certificate for 127.0.0.1 and a client certificate, as PEM (keys unencrypted PKCS#8, which Kafka reads).
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import { RunDir } from "./runDir";

export interface TlsMaterial {
    readonly caPem: string;
    readonly brokerCertificatePem: string;
    readonly brokerKeyPem: string;
    readonly clientCertificatePem: string;
    readonly clientKeyPem: string;
}

/** False when openssl is missing (tests needing TLS then skip, saying so). */
export function opensslAvailable(): boolean {
    try {
        execFileSync("openssl", ["version"], { stdio: "ignore" });
        return true;
    } catch {
        return false;
    }
}

export function makeTlsMaterial(runDir: RunDir): TlsMaterial {
    const dir = runDir.file("tls");
    fs.mkdirSync(dir, { recursive: true });
    const file = (name: string) => `${dir}/${name}`;
    const openssl = (...args: string[]) => execFileSync("openssl", args, { stdio: ["ignore", "ignore", "pipe"] });
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", file("ca.key"), "-out", file("ca.pem"), "-subj", "/CN=harness-ca", "-days", "2");
    const issue = (name: string, subject: string, extensions: string) => {
        fs.writeFileSync(file(`${name}.ext`), extensions);
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", file(`${name}.key`), "-out", file(`${name}.csr`), "-subj", subject);
        openssl("x509", "-req", "-in", file(`${name}.csr`), "-CA", file("ca.pem"), "-CAkey", file("ca.key"), "-CAcreateserial", "-out", file(`${name}.pem`), "-days", "2", "-extfile", file(`${name}.ext`));
    };
    issue("broker", "/CN=localhost", "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n");
    issue("client", "/CN=connect", "extendedKeyUsage=clientAuth\n");
    const read = (name: string) => fs.readFileSync(file(name), "utf8");
    return {
        caPem: read("ca.pem"),
        brokerCertificatePem: read("broker.pem"),
        brokerKeyPem: read("broker.key"),
        clientCertificatePem: read("client.pem"),
        clientKeyPem: read("client.key"),
    };
}

/** Broker settings for an SSL listener requiring client certificates, all inline PEM. */
export function sslListenerConfig(tls: TlsMaterial): Record<string, string> {
    return {
        "listener.name.ssl.ssl.keystore.type": "PEM",
        "listener.name.ssl.ssl.keystore.certificate.chain": tls.brokerCertificatePem.trim(),
        "listener.name.ssl.ssl.keystore.key": tls.brokerKeyPem.trim(),
        "listener.name.ssl.ssl.truststore.type": "PEM",
        "listener.name.ssl.ssl.truststore.certificates": tls.caPem.trim(),
        "listener.name.ssl.ssl.client.auth": "required",
    };
}

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
    openssl(
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        file("ca.key"),
        "-out",
        file("ca.pem"),
        "-subj",
        "/CN=harness-ca",
        "-days",
        "2",
    );
    const issue = (name: string, subject: string, extensions: string) => {
        fs.writeFileSync(file(`${name}.ext`), extensions);
        openssl(
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            file(`${name}.key`),
            "-out",
            file(`${name}.csr`),
            "-subj",
            subject,
        );
        openssl(
            "x509",
            "-req",
            "-in",
            file(`${name}.csr`),
            "-CA",
            file("ca.pem"),
            "-CAkey",
            file("ca.key"),
            "-CAcreateserial",
            "-out",
            file(`${name}.pem`),
            "-days",
            "2",
            "-extfile",
            file(`${name}.ext`),
        );
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

/** A Connect REST listener's keystore, as a platform engineer would make it for `restTls`. */
export interface RestKeystore {
    /** PKCS#12 (key and certificate chain), base64: what `restTls.keystorePkcs12Base64` takes. */
    readonly pkcs12Base64: string;
    readonly password: string;
    /** The CA that signed the REST certificate: what a client's `caCertificatePem` takes. */
    readonly caPem: string;
}

/**
 * A REST server certificate signed by `makeTlsMaterial`'s CA, exported to PKCS#12 with `openssl pkcs12
 * -export` (the command the README gives). It must name the address the workers advertise (127.0.0.1
 * here): Kafka 4's Jetty answers 400 "Invalid SNI" to a request whose Host its certificate does not name,
 * and workers forward to each other at the advertised address.
 */
export function makeRestKeystore(
    runDir: RunDir,
    password: string,
    subjectAltName = "IP:127.0.0.1,DNS:localhost",
): RestKeystore {
    const dir = runDir.file("tls");
    const file = (name: string) => `${dir}/${name}`;
    makeServerCertificate(runDir, "rest", subjectAltName);
    const openssl = (...args: string[]) => execFileSync("openssl", args, { stdio: ["ignore", "ignore", "pipe"] });
    openssl(
        "pkcs12",
        "-export",
        "-in",
        file("rest.pem"),
        "-inkey",
        file("rest.key"),
        "-certfile",
        file("ca.pem"),
        "-name",
        "connect-rest",
        "-out",
        file("rest.p12"),
        "-passout",
        `pass:${password}`,
    );
    return {
        pkcs12Base64: fs.readFileSync(file("rest.p12")).toString("base64"),
        password,
        caPem: fs.readFileSync(file("ca.pem"), "utf8"),
    };
}

/** A server's certificate (PEM) and its key (PKCS#8 PEM), signed by `makeTlsMaterial`'s CA (the run's). */
export interface ServerCertificate {
    readonly certificatePem: string;
    readonly keyPem: string;
    /** The CA that signed it: what a client trusts. */
    readonly caPem: string;
    /** The files holding them: <run>/tls/<name>.pem and .key. */
    readonly certificateFile: string;
    readonly keyFile: string;
}

/**
 * A server certificate `name` for `subjectAltName` (e.g. "IP:10.240.7.2"), signed by the run's CA (made with
 * `makeTlsMaterial` when the run has none yet).
 */
export function makeServerCertificate(runDir: RunDir, name: string, subjectAltName: string): ServerCertificate {
    const dir = runDir.file("tls");
    const file = (base: string) => `${dir}/${base}`;
    if (!fs.existsSync(file("ca.pem"))) {
        makeTlsMaterial(runDir);
    }
    const openssl = (...args: string[]) => execFileSync("openssl", args, { stdio: ["ignore", "ignore", "pipe"] });
    fs.writeFileSync(file(`${name}.ext`), `subjectAltName=${subjectAltName}\nextendedKeyUsage=serverAuth\n`);
    // prettier-ignore
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", file(`${name}.key`), "-out", file(`${name}.csr`),
        "-subj", "/CN=localhost");
    // prettier-ignore
    openssl("x509", "-req", "-in", file(`${name}.csr`), "-CA", file("ca.pem"), "-CAkey", file("ca.key"),
        "-CAcreateserial", "-out", file(`${name}.pem`), "-days", "2", "-extfile", file(`${name}.ext`));
    const read = (base: string) => fs.readFileSync(file(base), "utf8");
    return {
        certificatePem: read(`${name}.pem`),
        keyPem: read(`${name}.key`),
        caPem: read("ca.pem"),
        certificateFile: file(`${name}.pem`),
        keyFile: file(`${name}.key`),
    };
}

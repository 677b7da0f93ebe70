/**
 * REST API basic authentication with Kafka's BasicAuthSecurityRestExtension: what goes into the
 * rest-auth Secret (the users file, the JAAS file pointing at it, the probes' Authorization value)
 * and the pod's exec probe. Pure: no Pulumi, no I/O.
 *
 * Facts from the Kafka 4.1.1 sources this relies on:
 *  - the extension's JaasBasicAuthFilter authenticates every request except the two internal ones
 *    (POST /connectors/{c}/tasks, PUT /connectors/{c}/fence), so /health answers 401 without credentials;
 *  - PropertyFileLoginModule reads `user=password` java.util.Properties and permits EVERY request when
 *    the file is empty, hence the rule that at least one user is given;
 *  - the JAAS configuration is read once, when the extension class loads: it must be a JVM flag
 *    (`-Djava.security.auth.login.config`), and new passwords need a restart (the checksum rolls the pods).
 */
import { connectClusterError } from "../errors";
import { basicAuthorization } from "../basicAuth";
import { formatProperties } from "./properties";

export const BASIC_AUTH_EXTENSION = "org.apache.kafka.connect.rest.basic.auth.extension.BasicAuthSecurityRestExtension";
/** The JAAS application name the filter logs in with. */
const JAAS_APPLICATION = "KafkaConnect";
const LOGIN_MODULE = "org.apache.kafka.connect.rest.basic.auth.extension.PropertyFileLoginModule";

/** Keys of the rest-auth Secret, which is mounted as files of the same names. */
export const USERS_FILE = "users.properties";
export const JAAS_FILE = "jaas.conf";
export const PROBE_AUTHORIZATION_FILE = "probe-authorization";

/** Rejects users the extension would mishandle. Messages name users, never passwords. */
export function validateRestAuthUsers(users: Readonly<Record<string, string>>): Readonly<Record<string, string>> {
    const names = Object.keys(users).sort();
    if (names.length === 0) {
        // An empty users file makes PropertyFileLoginModule accept every request.
        throw connectClusterError(
            "invalid-input",
            `restAuth.users must name at least one user: Kafka's PropertyFileLoginModule lets everyone in when it ` +
                `has no users.`,
            { field: "restAuth.users" },
        );
    }
    for (const name of names) {
        // Basic auth splits "user:password" at the first colon; control characters would break the file.
        if (!/^[^\s:]{1,200}$/.test(name)) {
            throw connectClusterError(
                "invalid-input",
                `restAuth.users: user name ${JSON.stringify(name)} must be 1-200 characters without ":" or whitespace.`,
                { field: "restAuth.users" },
            );
        }
        if (typeof users[name] !== "string" || users[name] === "") {
            throw connectClusterError(
                "invalid-input",
                `restAuth.users["${name}"]: the password must be a non-empty string.`,
                { field: `restAuth.users["${name}"]` },
            );
        }
    }
    return users;
}

/** `-Djava.security.auth.login.config=...`, for KAFKA_OPTS: the JAAS file is only read as a JVM flag. */
export function jaasJvmOption(authDir: string): string {
    return `-Djava.security.auth.login.config=${authDir}/${JAAS_FILE}`;
}

/** The rest-auth Secret's contents; `authDir` is where it is mounted (the JAAS file names the users file by path). */
export function renderRestAuthSecretData(
    users: Readonly<Record<string, string>>,
    authDir: string,
): Record<string, string> {
    validateRestAuthUsers(users);
    const usersFile = `${authDir}/${USERS_FILE}`;
    return {
        [USERS_FILE]: formatProperties([
            { title: "Kafka Connect REST users (PropertyFileLoginModule): user=password", entries: users },
        ]),
        [JAAS_FILE]: `${JAAS_APPLICATION} {\n    ${LOGIN_MODULE} required\n    file="${jaasQuote(usersFile)}";\n};\n`,
        [PROBE_AUTHORIZATION_FILE]: basicAuthorization(...probeUser(users)),
    };
}

/** The user the pod's probes log in as: the first by name (the probes only read /health). */
export function probeUser(users: Readonly<Record<string, string>>): [string, string] {
    const name = Object.keys(users).sort()[0];
    return [name, users[name]];
}

/**
 * An exec probe command asking GET /health on the worker's own plain-HTTP port, with the Authorization
 * value read from the mounted Secret, so the credential is never in the pod spec (an httpGet probe's
 * headers would be). Bash's /dev/tcp needs no curl or wget, which the apache/kafka image does not have;
 * bash itself is there because connect-distributed.sh is a bash script. Succeeds only on HTTP 200.
 */
export function authenticatedHealthProbeCommand(restPort: number, authorizationFile: string): string[] {
    const script = [
        `exec 3<>/dev/tcp/127.0.0.1/${restPort}`,
        `printf 'GET /health HTTP/1.1\\r\\nHost: 127.0.0.1\\r\\nAuthorization: %s\\r\\nConnection: ` +
            `close\\r\\n\\r\\n' "$(cat ${authorizationFile})" >&3`,
        `read -r -t 4 _ status _ <&3`,
        `[ "$status" = 200 ]`,
    ].join(" && ");
    return ["bash", "-c", script];
}

function jaasQuote(text: string): string {
    return text.replace(/\\/g, "\\\\").replace(/"/g, '\\"');
}

/**
 * Automatic restarts between `up`s (opt-in, `autoRestart`): a small container beside each worker, in the plugin
 * installer's image (curl and busybox), that polls its own worker's REST API on 127.0.0.1 and restarts the failed
 * connectors and tasks that run on that worker (their `worker_id` is its own), so two pods never restart the same
 * task. Backoff as Strimzi's: after the n-th restart of a unit the next comes no sooner than min(n² + n, 60)
 * minutes; the count is kept in the script's memory and starts again once the unit has stayed healthy for its
 * current backoff. REST basic auth comes from the rest-auth Secret as an environment variable, handed to curl on
 * its standard input (never on a command line). Pure: no Pulumi.
 */
import type { ResolvedClusterConfig } from "../config/clusterConfig";
import { restrictedSecurityContext } from "./containerSecurity";
import { PROBE_AUTHORIZATION_FILE } from "./restAuth";

export const AUTO_RESTART_CONTAINER = "auto-restart";

/** The script's timings: minutes are one backoff unit in pods; tests shorten them. */
export interface AutoRestartTimings {
    /** Seconds between two polls of the worker's statuses. */
    readonly pollSeconds: number;
    /** Seconds in one backoff "minute" (60 in pods). */
    readonly backoffUnitSeconds: number;
}

/**
 * The awk program turning `GET /connectors?expand=status` into one line per connector and task:
 * `<url-encoded connector name> <"connector" | task id> <state> <worker_id>`. Traces (free text that may contain
 * anything) are emptied first; within an object, fields are found by name, in any order.
 */
const STATUS_LINES_AWK = String.raw`
function field(obj, key,   m) {
    if (match(obj, "\"" key "\":\"[^\"]*\"")) {
        m = substr(obj, RSTART, RLENGTH); sub("^\"" key "\":\"", "", m); sub("\"$", "", m); return m
    }
    if (match(obj, "\"" key "\":[0-9]+")) { m = substr(obj, RSTART, RLENGTH); sub("^\"" key "\":", "", m); return m }
    return ""
}
function enc(s,   i, c, out) {
    out = ""
    for (i = 1; i <= length(s); i++) {
        c = substr(s, i, 1); out = out (c ~ /[A-Za-z0-9._~-]/ ? c : sprintf("%%%02X", ord[c]))
    }
    return out
}
BEGIN { for (i = 1; i < 256; i++) ord[sprintf("%c", i)] = i }
{ text = text $0 }
END {
    gsub(/"trace":"([^"\\]|\\.)*"/, "\"trace\":\"\"", text)
    while (match(text, /"name":"[^"]*","connector":\{[^}]*\},"tasks":\[[^]]*\]/)) {
        block = substr(text, RSTART, RLENGTH); text = substr(text, RSTART + RLENGTH)
        name = field(block, "name"); match(block, /"connector":\{[^}]*\}/); conn = substr(block, RSTART, RLENGTH)
        print enc(name), "connector", field(conn, "state"), field(conn, "worker_id")
        tasks = block; sub(/^.*"tasks":\[/, "", tasks)
        while (match(tasks, /\{[^}]*\}/)) {
            task = substr(tasks, RSTART, RLENGTH); tasks = substr(tasks, RSTART + RLENGTH)
            print enc(name), field(task, "id"), field(task, "state"), field(task, "worker_id")
        }
    }
}`;

/**
 * The POSIX sh script (busybox or any sh, with curl and awk). Environment: CONNECT_URL (the worker's own REST
 * API), WORKER_ID (its advertised host:port, as statuses name it), CONNECT_AUTHORIZATION (optional: the
 * Authorization header's value).
 */
export function autoRestartScript(timings: AutoRestartTimings): string {
    return [
        "set -u",
        `poll=${timings.pollSeconds}`,
        `unit=${timings.backoffUnitSeconds}`,
        // The credential reaches curl through its config on stdin: never in argv (ps), never in the pod spec.
        "api() {",
        '    { [ -n "${CONNECT_AUTHORIZATION:-}" ] && printf \'header = "Authorization: %s"\\n\' ' +
            '"$CONNECT_AUTHORIZATION"; printf \'\'; } | curl -sSf -k --max-time 30 -K - -X "$1" "$CONNECT_URL$2"',
        "}",
        'backoff() { n=$1; m=$((n * n + n)); [ "$m" -gt 60 ] && m=60; echo $((m * unit)); }',
        // In memory: one line per unit restarted, "<key> <restarts> <last restart, epoch seconds>".
        'book=""',
        `echo "auto-restart: watching $WORKER_ID every \${poll}s (backoff min(n*n+n, 60) x \${unit}s)"`,
        "while :; do",
        "    if ! statuses=$(api GET '/connectors?expand=status'); then",
        '        echo "auto-restart: cannot read the statuses now; trying again in ${poll}s"; sleep "$poll"; continue',
        "    fi",
        "    now=$(date +%s)",
        `    lines=$(printf '%s' "$statuses" | awk '${STATUS_LINES_AWK.replace(/'/g, "'\\''")}')`,
        '    next=""',
        "    while read -r name what state worker; do",
        '        [ -z "$name" ] && continue',
        '        key="$name/$what"; label="task $what"; [ "$what" = connector ] && label="the connector"',
        "        entry=$(printf '%s\\n' \"$book\" | awk -v k=\"$key\" '$1 == k { print $2, $3 }')",
        '        n=${entry%% *}; last=${entry##* }; [ -z "$entry" ] && { n=0; last=0; }',
        '        if [ "$state" = FAILED ] && [ "$worker" = "$WORKER_ID" ]; then',
        '            if [ $((now - last)) -ge "$(backoff "$n")" ] || [ "$n" -eq 0 ]; then',
        '                if [ "$what" = connector ]; then path="/connectors/$name/restart"; ' +
            'else path="/connectors/$name/tasks/$what/restart"; fi',
        '                if api POST "$path" >/dev/null; then',
        "                    n=$((n + 1)); last=$now",
        '                    echo "auto-restart: restarted $label of connector $name (restart $n; the next no sooner ' +
            'than $(backoff "$n")s after this one)"',
        "                else",
        '                    echo "auto-restart: restarting $label of connector $name failed; trying again next poll"',
        "                fi",
        "            fi",
        '            next="$next$key $n $last',
        '"',
        '        elif [ "$n" -gt 0 ] && [ $((now - last)) -lt "$(backoff "$n")" ]; then',
        // Healthy, but not yet for its whole backoff: the count is kept until then.
        '            next="$next$key $n $last',
        '"',
        "        fi",
        "    done <<EOF",
        "$lines",
        "EOF",
        '    book="$next"',
        '    sleep "$poll"',
        "done",
        "",
    ].join("\n");
}

/** The container's fields. */
export interface AutoRestartContainer {
    readonly name: string;
    readonly image: string;
    readonly command: string[];
    readonly env: {
        name: string;
        value?: string;
        valueFrom?: { fieldRef?: { fieldPath: string }; secretKeyRef?: { name: string; key: string } };
    }[];
    readonly resources: { requests: Record<string, string>; limits: Record<string, string> };
    readonly securityContext: Record<string, unknown>;
}

/**
 * The `auto-restart` container beside the worker, or none when `autoRestart` is off. It calls its own worker on
 * 127.0.0.1 (HTTPS with `restTls`: the certificate names no loopback address, so it is not verified there), and
 * with `restAuth` reads the probe user's Authorization value from the rest-auth Secret into its environment.
 */
export function renderAutoRestartContainers(
    config: ResolvedClusterConfig,
    restAuthSecret: string | undefined,
): AutoRestartContainer[] {
    if (config.autoRestart === undefined) {
        return [];
    }
    const host = config.worker.advertisedHost;
    const advertised = "fromEnv" in host ? `$(${host.fromEnv})` : host.host;
    const scheme = config.restTlsDir === undefined ? "http" : "https";
    return [
        {
            name: AUTO_RESTART_CONTAINER,
            image: config.pluginInstaller.image,
            command: ["sh", "-c", autoRestartScript(config.autoRestart)],
            env: [
                ...("fromEnv" in host
                    ? [{ name: host.fromEnv, valueFrom: { fieldRef: { fieldPath: "status.podIP" } } }]
                    : []),
                { name: "CONNECT_URL", value: `${scheme}://127.0.0.1:${config.restPort}` },
                // As the worker names itself in statuses (rest.advertised.host.name and port).
                { name: "WORKER_ID", value: `${advertised}:${config.restPort}` },
                ...(config.restAuthDir !== undefined && restAuthSecret !== undefined
                    ? [
                          {
                              name: "CONNECT_AUTHORIZATION",
                              valueFrom: { secretKeyRef: { name: restAuthSecret, key: PROBE_AUTHORIZATION_FILE } },
                          },
                      ]
                    : []),
            ],
            resources: { requests: { cpu: "10m", memory: "16Mi" }, limits: { memory: "32Mi" } },
            securityContext: restrictedSecurityContext(),
        },
    ];
}

/**
 * The Deployment spec with the `auto-restart` container after the worker's when `autoRestart` is on; the spec
 * itself (same object) when off, so the pod template of a cluster without it does not change.
 */
export function withAutoRestart<S extends { readonly template: { readonly spec: { readonly containers: object[] } } }>(
    spec: S,
    config: ResolvedClusterConfig,
    restAuthSecret: string | undefined,
): S {
    const sidecars = renderAutoRestartContainers(config, restAuthSecret);
    if (sidecars.length === 0) {
        return spec;
    }
    const podSpec = { ...spec.template.spec, containers: [...spec.template.spec.containers, ...sidecars] };
    return { ...spec, template: { ...spec.template, spec: podSpec } };
}

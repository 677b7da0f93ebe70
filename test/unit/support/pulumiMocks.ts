/**
 * Pulumi mocks that record every registration, including what the plain `newResource` hook does not
 * see: parent, dependencies, retainOnDelete, import IDs and additionalSecretOutputs.
 */
import * as pulumi from "@pulumi/pulumi";

export interface Registration {
    readonly type: string;
    readonly name: string;
    readonly urn: string;
    readonly parent: string;
    readonly dependencies: string[];
    readonly retainOnDelete: boolean | undefined;
    /** The `import` option's ID ("" when not importing). */
    readonly importId: string;
    readonly additionalSecretOutputs: string[];
    /** Inputs as the engine would receive them (secrets unwrapped). */
    readonly inputs: Record<string, unknown>;
}

interface RegisterRequest {
    getType(): string;
    getName(): string;
    getParent(): string;
    getDependenciesList(): string[];
    hasRetainondelete(): boolean;
    getRetainondelete(): boolean | undefined;
    getImportid(): string;
    getAdditionalsecretoutputsList(): string[];
}

type Callback = (error: Error | null, response: { getUrn(): string } | undefined) => void;
type RegisterFn = (request: RegisterRequest, callback: Callback) => void;

/** Installs mocks; the returned array fills as resources register. */
export function recordRegistrations(project = "connect-cluster-test"): Registration[] {
    const registrations: Registration[] = [];
    const pendingInputs = new Map<string, Record<string, unknown>>();
    pulumi.runtime.setMocks(
        {
            newResource(args) {
                pendingInputs.set(`${args.type}::${args.name}`, unwrapSecrets(args.inputs) as Record<string, unknown>);
                // Kubernetes objects echo their metadata; connectors report RUNNING like the real provider would;
                // a salt has a value known to the tests.
                const state =
                    args.type === "pulumi-nodejs:dynamic/connectcluster:Connector"
                        ? { ...args.inputs, connectorState: "RUNNING" }
                        : args.type === "pulumi-nodejs:dynamic/connectcluster:Salt"
                          ? { ...args.inputs, value: MOCK_SALT }
                          : args.inputs;
                return { id: `${args.name}-id`, state };
            },
            call(args) {
                return args.inputs;
            },
        },
        project,
        "unit",
        false,
    );
    const monitor = pulumi.runtime.getMonitor() as unknown as { registerResource: RegisterFn };
    const original = monitor.registerResource.bind(monitor);
    monitor.registerResource = (request, callback) => {
        original(request, (error, response) => {
            if (response !== undefined) {
                registrations.push({
                    type: request.getType(),
                    name: request.getName(),
                    urn: response.getUrn(),
                    parent: request.getParent(),
                    dependencies: request.getDependenciesList(),
                    retainOnDelete: request.hasRetainondelete() ? request.getRetainondelete() : undefined,
                    importId: request.getImportid(),
                    additionalSecretOutputs: request.getAdditionalsecretoutputsList(),
                    inputs: pendingInputs.get(`${request.getType()}::${request.getName()}`) ?? {},
                });
            }
            callback(error, response);
        });
    };
    return registrations;
}

/** The value the mocks give every Salt resource (the real one is 32 random bytes, generated once per component). */
export const MOCK_SALT = "mock-salt-value";

const SECRET_SIGNATURE_KEY = "4dabf18193072939515e22adb298388d";

/** Mocks receive secrets as `{ <signature>: ..., value }` wrappers; tests compare the values. */
function unwrapSecrets(value: unknown): unknown {
    if (Array.isArray(value)) {
        return value.map(unwrapSecrets);
    }
    if (value !== null && typeof value === "object") {
        const record = value as Record<string, unknown>;
        if (SECRET_SIGNATURE_KEY in record) {
            return unwrapSecrets(record.value);
        }
        return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, unwrapSecrets(v)]));
    }
    return value;
}

/** Resolves an Output's value (tests run with preview off, so every value is known). */
export function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve, reject) => {
        output.apply((value) => resolve(value));
        // An Output whose apply threw never calls the callback above; surface the failure instead.
        (output as unknown as { promise(): Promise<T> }).promise().catch(reject);
    });
}

/** Lets queued registrations settle. */
export async function settle(): Promise<void> {
    for (let i = 0; i < 20; i++) {
        await new Promise((resolve) => setImmediate(resolve));
    }
}

/**
 * The Pulumi dynamic provider for one connector. The engine serializes this object into every connector's inputs
 * and outputs (`__provider`), and every check, diff and read carries it back and forth: each method is one call
 * into connectorMethods.ts, which the serializer writes as a `require()` of that module when the library is
 * installed as a package (about 1 KB per connector instead of about 16 KB of method bodies). Captures nothing but
 * that module; credentials arrive as (secret) inputs.
 *
 * A contract with every stack's state: the stored provider requires
 * `@connectcluster/pulumi/dist/components/provider/connectorMethods` and calls its `connectorMethods` export's six
 * methods, so refresh, destroy and removing a connector need that path, export and those names in the installed
 * version. Keep them; if the module ever moves, leave a re-export at this path.
 */
import type * as pulumi from "@pulumi/pulumi";
import { connectorMethods } from "./connectorMethods";
import { ConnectorInputs, ConnectorOutputs } from "./connectorTypes";

export * from "./connectorTypes";
export { clientFor, plaintextPasswordKeys, validateWithConnect } from "./connectorOperations";

export const connectorProvider: pulumi.dynamic.ResourceProvider<ConnectorInputs, ConnectorOutputs> = {
    check: (olds, news) => connectorMethods.check!(olds, news),
    diff: (id, olds, news) => connectorMethods.diff!(id, olds, news),
    create: (inputs) => connectorMethods.create(inputs),
    read: (id, props) => connectorMethods.read!(id, props),
    update: (id, olds, news) => connectorMethods.update!(id, olds, news),
    delete: (id, props) => connectorMethods.delete!(id, props),
};

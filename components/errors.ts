/**
 * An input the component cannot work with. The message names the field and the fix; it never
 * contains a secret value.
 */
export class ConnectClusterError extends Error {
    constructor(message: string) {
        super(message);
        // Set again: the dynamic provider runs this class as Pulumi serialized it, where super() is
        // `Error.call(this, message)`, which leaves \`this.message\` unset.
        this.message = message;
        this.name = "ConnectClusterError";
    }
}

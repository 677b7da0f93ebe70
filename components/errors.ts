/**
 * An input the component cannot work with. The message names the field and the fix; it never
 * contains a secret value.
 */
export class ConnectClusterError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "ConnectClusterError";
    }
}

/**
 * Which platform `npm run demo` runs the workers on, as CONNECTCLUSTER_DEMO_NODE asks. No imports: the unit test
 * loads it alone.
 */

/** The environment variable that forces a platform: `real` or `standin` (unset or empty: the real node if it can). */
export const DEMO_NODE_VAR = "CONNECTCLUSTER_DEMO_NODE";

export type DemoNode = "auto" | "real" | "standin";

/** The platform DEMO_NODE_VAR asks for; any other value is an error naming the ones it takes. */
export function demoNode(value: string | undefined): DemoNode {
    if (value === undefined || value === "") {
        return "auto";
    }
    if (value === "real" || value === "standin") {
        return value;
    }
    throw new Error(
        `${DEMO_NODE_VAR} must be "real" or "standin" (or unset: the real node when it can start); got "${value}"`,
    );
}

/** node:test wiring: one cluster per suite, torn down whatever happens. */
import { after, afterEach, before } from "node:test";
import { ClusterOptions, LocalCluster, startCluster } from "./cluster";

/**
 * Call inside a describe(): starts the cluster in before(), reports the run folder after each
 * failed test, stops everything in after(). Returns a getter for the running cluster.
 */
export function useCluster(options: ClusterOptions): () => LocalCluster {
    let cluster: LocalCluster | undefined;
    before(async () => {
        cluster = await startCluster(options);
    });
    afterEach((t) => cluster?.reportIfFailed(t));
    after(async () => {
        await cluster?.stop();
    });
    return () => {
        if (cluster === undefined) {
            throw new Error("harness: the cluster is not started (did before() fail?)");
        }
        return cluster;
    };
}

/**
 * Where the workers run: spread across nodes, so that one node's loss takes at most its share of the workers.
 * Pure.
 */

/**
 * `preferred`: spread across nodes when the scheduler can (`ScheduleAnyway`: a one-node cluster still runs every
 * worker); `required`: never two workers on one node while another node could take one (`DoNotSchedule`: a worker
 * stays Pending instead); `off`: no constraint.
 */
export type TopologySpread = "preferred" | "required" | "off";
export const TOPOLOGY_SPREAD_MODES: readonly TopologySpread[] = ["preferred", "required", "off"];

/** The node label the workers are spread over: one value per node. */
export const NODE_TOPOLOGY_KEY = "kubernetes.io/hostname";

/** The pod spec's `topologySpreadConstraints` for the workers selected by `selector`. */
export function renderTopologySpreadConstraints(mode: TopologySpread, selector: Record<string, string>) {
    if (mode === "off") {
        return [];
    }
    return [
        {
            maxSkew: 1,
            topologyKey: NODE_TOPOLOGY_KEY,
            whenUnsatisfiable: mode === "required" ? "DoNotSchedule" : "ScheduleAnyway",
            labelSelector: { matchLabels: { ...selector } },
        },
    ];
}

/**
 * State one provider process shares across its dynamic resource types. Each type deserializes its own copy of the
 * provider's code (and of this module) into the same process, so a module-level value would be one per type: the
 * one shared place is globalThis, under a key per use. Created on first use, at run time (never captured in the
 * serialized code).
 *
 * Two versions of this library can meet in one provider process (stacks whose connectors were stored by different
 * versions), so a key names the shape of its value as well as its use: `snapshotCache@1`. Change the number
 * whenever the shape changes, and the two versions keep apart instead of reading each other's entries (each then
 * has its own: two listings of a cluster in one run, a warning printed by each).
 */

/** The process's value under `key`, made by `create` the first time. */
export function processShared<T>(key: `${string}@${number}`, create: () => T): T {
    const holder = globalThis as unknown as Record<string, T | undefined>;
    const found = holder[`__connectCluster.${key}`];
    if (found !== undefined) {
        return found;
    }
    const made = create();
    holder[`__connectCluster.${key}`] = made;
    return made;
}

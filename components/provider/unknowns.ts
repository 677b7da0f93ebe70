/**
 * Values not known yet. During a preview the engine hands a dynamic provider's `check` and `diff` a fixed marker
 * string wherever an input is an output of a resource not created yet; nothing can be asked of Connect with it.
 */

/** Pulumi's marker for a value not known yet (during preview). */
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Whether `value` holds a value not known yet anywhere inside it. */
export function hasUnknowns(value: unknown): boolean {
    return JSON.stringify(value ?? null).includes(UNKNOWN);
}

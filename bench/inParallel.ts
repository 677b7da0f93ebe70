/** Runs `run` over `items` with at most `limit` at a time: how the baselines' curl loops go 10 at a time. */
export async function inParallel<T>(
    items: readonly T[],
    limit: number,
    run: (item: T) => Promise<unknown>,
): Promise<void> {
    const queue = [...items];
    await Promise.all(
        Array.from({ length: limit }, async () => {
            for (let item = queue.shift(); item !== undefined; item = queue.shift()) {
                await run(item);
            }
        }),
    );
}

/**
 * Runs `body` while capturing unhandled rejections instead of failing the test: a failing Output leaves some
 * that nobody awaits (failed registrations, promises derived inside the SDK).
 */
export async function collectUnhandledRejections<T>(body: () => Promise<T>): Promise<{ result: T; errors: string[] }> {
    const saved = process.listeners("unhandledRejection");
    process.removeAllListeners("unhandledRejection");
    const errors: string[] = [];
    process.on("unhandledRejection", (reason) =>
        errors.push(reason instanceof Error ? reason.message : String(reason)),
    );
    try {
        const result = await body();
        return { result, errors };
    } finally {
        process.removeAllListeners("unhandledRejection");
        saved.forEach((listener) => process.on("unhandledRejection", listener));
    }
}

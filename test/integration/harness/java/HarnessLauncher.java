import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * Runs another main class under a parent-death watchdog: the test harness keeps this JVM's stdin
 * open as a pipe and never writes to it, so end-of-file on stdin means the node process is gone
 * (exited, crashed or was SIGKILLed). The JVM then halts, so no broker or worker outlives a test run.
 *
 * Usage: java -cp ... HarnessLauncher <main class> [args...]
 */
public final class HarnessLauncher {
    private HarnessLauncher() {}

    public static void main(String[] args) throws Throwable {
        if (args.length < 1) {
            System.err.println("usage: HarnessLauncher <main class> [args...]");
            System.exit(2);
        }
        Thread watchdog = new Thread(HarnessLauncher::haltWhenParentGone, "harness-parent-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        Method main = Class.forName(args[0]).getMethod("main", String[].class);
        try {
            main.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static void haltWhenParentGone() {
        try {
            while (System.in.read() != -1) {
                // The harness never writes; anything read is ignored.
            }
        } catch (IOException e) {
            // A broken pipe means the same as end-of-file.
        }
        System.err.println("harness watchdog: stdin closed, the test process is gone; halting");
        Runtime.getRuntime().halt(137);
    }
}

package dev.sluice.server.internal;

import java.util.concurrent.CountDownLatch;

/**
 * Stops on Ctrl-C (SIGINT) and SIGTERM: the stop action runs in a JVM shutdown hook, so it also runs on
 * {@code System.exit} from anywhere.
 *
 * <p>The JVM's own handlers would exit with status 130 or 143 after a clean stop; supervisors (systemd, Kubernetes,
 * CI scripts) then report a failure. So the two signals are handled here and turned into {@code System.exit(0)},
 * which still runs the shutdown hook. {@code sun.misc.Signal} is the supported way to do that (module
 * {@code jdk.unsupported}, kept by JEP 260 for exactly this); where it is refused, as under {@code -Xrs}, the JVM's
 * default applies and only the exit status differs.
 *
 * <p>Thread-safe.
 */
public final class JvmStopSignal implements StopSignal {
    private final CountDownLatch stopped = new CountDownLatch(1);

    @Override
    public void onStop(Runnable stop) {
        Thread hook = Thread.ofPlatform().name("sluice-shutdown").unstarted(() -> {
            try {
                stop.run();
            } finally {
                stopped.countDown();
            }
        });
        Runtime.getRuntime().addShutdownHook(hook);
        exitNormallyOn("TERM");
        exitNormallyOn("INT");
    }

    @Override
    public void await() throws InterruptedException {
        stopped.await();
    }

    private static void exitNormallyOn(String signal) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal(signal), received -> System.exit(0));
        } catch (IllegalArgumentException e) {
            // Signal reserved by the VM (e.g. -Xrs): keep the default, which still runs the shutdown hook.
        }
    }
}

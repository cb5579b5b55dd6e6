package dev.sluice.broker;

import dev.sluice.log.LogConfig;
import dev.sluice.log.LogManager;
import java.net.InetSocketAddress;
import java.nio.file.Path;

/**
 * A broker in its own JVM for {@link BrokerCrashTest}: {@code BrokerProcess <dataDir> <port>}. Prints
 * {@code listening} once it accepts connections, then runs until killed.
 */
public final class BrokerProcess {
    private BrokerProcess() {
    }

    public static void main(String[] args) throws Exception {
        // The test holds this process's stdin: when the test JVM dies, stdin ends and so does this process, so no
        // orphan keeps writing after an interrupted build.
        Thread.ofPlatform().daemon().start(() -> {
            try {
                while (System.in.read() != -1) {
                    // Nothing is sent; this only waits for the end of the stream.
                }
            } catch (java.io.IOException ignored) {
                // Treated as the end of the stream.
            }
            Runtime.getRuntime().halt(3);
        });
        LogManager logs = LogManager.open(Path.of(args[0]), LogConfig.defaults());
        KafkaBroker broker = KafkaBroker.start(
                BrokerConfig.of(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[1])), logs.defaults()),
                logs);
        System.out.println("listening " + broker.bootstrapServers());
        System.out.flush();
        Thread.currentThread().join();
    }
}

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
        LogManager logs = LogManager.open(Path.of(args[0]), LogConfig.defaults());
        KafkaBroker broker = KafkaBroker.start(
                BrokerConfig.of(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[1])), logs.defaults()),
                logs);
        System.out.println("listening " + broker.bootstrapServers());
        System.out.flush();
        Thread.currentThread().join();
    }
}

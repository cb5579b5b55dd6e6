package dev.sluice.server.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The configuration flags shared by the commands that read the configuration ({@code start}, {@code config}).
 *
 * <p>Fields are filled in by picocli, hence not final.
 */
public final class ConfigOptions {

    @Option(names = "--config", paramLabel = "FILE",
            description = "YAML config file (default: ./sluice.yaml if present; env SLUICE_CONFIG).")
    String configFile;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Data directory (default: ./data).")
    String dataDir;

    @Option(names = "--node-name", paramLabel = "NAME", description = "Node name (default: the host name).")
    String nodeName;

    @Option(names = "--kafka-listen", paramLabel = "HOST:PORT",
            description = "Kafka listener address (default: 127.0.0.1:9092).")
    String kafkaListen;

    @Option(names = "--http-listen", paramLabel = "HOST:PORT",
            description = "HTTP/gRPC listener address (default: 127.0.0.1:8080).")
    String httpListen;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Sets any key, as in sluice.yaml, e.g. --set log.flush=interval. Repeatable.")
    List<String> sets = new ArrayList<>();

    /** Loads the configuration these flags, the environment and the config file give. */
    public EffectiveConfig load(ProcessContext process) {
        return new ConfigLoader(process.env(), process.workingDir(), process.hostName())
                .load(Optional.ofNullable(configFile), flags());
    }

    List<Setting> flags() {
        List<Setting> flags = new ArrayList<>();
        addFlag(flags, "--data-dir", dataDir);
        addFlag(flags, "--node-name", nodeName);
        addFlag(flags, "--kafka-listen", kafkaListen);
        addFlag(flags, "--http-listen", httpListen);
        for (String set : sets) {
            int equals = set.indexOf('=');
            if (equals <= 0) {
                throw new ConfigException("--set expects KEY=VALUE, e.g. --set log.flush=interval; got '" + set + "'");
            }
            flags.add(new Setting(set.substring(0, equals).trim(), set.substring(equals + 1), Source.flag("--set")));
        }
        return flags;
    }

    private static void addFlag(List<Setting> flags, String flag, String value) {
        if (value != null) {
            flags.add(new Setting(ConfigKeys.byFlag(flag).name(), value, Source.flag(flag)));
        }
    }
}

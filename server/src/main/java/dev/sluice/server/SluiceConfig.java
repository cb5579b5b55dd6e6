package dev.sluice.server;

import dev.sluice.log.LogConfig;
import dev.sluice.server.internal.ConfigResolver;
import dev.sluice.server.internal.HostName;
import dev.sluice.server.internal.Setting;
import dev.sluice.server.internal.Source;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The validated settings of one Sluice node, read once at start from flags, {@code SLUICE_*} environment variables,
 * {@code sluice.yaml} and defaults, in that order of precedence.
 *
 * <pre>{@code
 * SluiceConfig config = SluiceConfig.fromSettings(Map.of("data.dir", "/var/lib/sluice", "log.flush", "interval"));
 * LogConfig partitionDefaults = config.logConfig();
 * }</pre>
 *
 * <p>Immutable. {@link #toString()} masks the auth token.
 *
 * @param dataDir         absolute directory for all data
 * @param nodeName        this node's name
 * @param kafkaListen     where the Kafka listener binds
 * @param kafkaAdvertised where Kafka clients are told to connect
 * @param httpListen      where the HTTP and gRPC listener binds
 * @param authToken       the token clients must present; empty runs without authentication
 * @param servicesSecretsKey base64 of the AES key sealing services' secrets; empty: a key file under the data dir
 * @param logConfig       the default settings of every partition log
 */
public record SluiceConfig(
        Path dataDir,
        String nodeName,
        Address kafkaListen,
        Address kafkaAdvertised,
        Address httpListen,
        Optional<String> authToken,
        Optional<String> servicesSecretsKey,
        LogConfig logConfig) {

    /**
     * A host and port to bind or to advertise.
     *
     * @param host a host name or IP address; IPv6 without brackets
     * @param port 0 to 65535, 0 meaning any free port
     */
    public record Address(String host, int port) {
        public Address {
            Objects.requireNonNull(host, "host");
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
        }

        /** {@code host:port}, with brackets around an IPv6 host. */
        @Override
        public String toString() {
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        }
    }

    public SluiceConfig {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(nodeName, "nodeName");
        Objects.requireNonNull(kafkaListen, "kafkaListen");
        Objects.requireNonNull(kafkaAdvertised, "kafkaAdvertised");
        Objects.requireNonNull(httpListen, "httpListen");
        Objects.requireNonNull(authToken, "authToken");
        Objects.requireNonNull(servicesSecretsKey, "servicesSecretsKey");
        Objects.requireNonNull(logConfig, "logConfig");
    }

    /**
     * Builds a configuration from defaults and {@code settings}, keyed as in {@code sluice.yaml} (dotted). Neither
     * the environment nor any config file is read; relative paths resolve against the working directory.
     *
     * @throws IllegalArgumentException naming the key when a key is unknown or a value invalid
     */
    public static SluiceConfig fromSettings(Map<String, String> settings) {
        List<Setting> given = settings.entrySet().stream()
                .map(entry -> new Setting(entry.getKey(), entry.getValue(), Source.code()))
                .toList();
        return new ConfigResolver(Path.of("").toAbsolutePath(), HostName::local).resolve(given).config();
    }

    /** Where the log engine keeps partitions: {@code <dataDir>/log}. */
    public Path logDir() {
        return dataDir.resolve("log");
    }

    /** Where the services' key file is when {@code services.secrets.key} is not set. */
    public Path servicesKeyFile() {
        return dataDir.resolve("services").resolve("secrets.key");
    }

    @Override
    public String toString() {
        return "SluiceConfig[dataDir=" + dataDir + ", nodeName=" + nodeName + ", kafkaListen=" + kafkaListen
                + ", kafkaAdvertised=" + kafkaAdvertised + ", httpListen=" + httpListen
                + ", authToken=" + authToken.map(token -> "****").orElse("none") + ", logConfig=" + logConfig + "]";
    }
}

package dev.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the fat jar the way users do, as a separate process, so manifest, logging and signals are the real ones.
 *
 * <p>Failsafe runs it after {@code package} and passes the jar's path in {@code sluice.jar}. Without that property
 * (Surefire picks every class up when {@code -Dtest} is given) it is skipped, as the jar may be missing or stale.
 */
class SluiceJarIT {
    private static final String JAR_PROPERTY = System.getProperty("sluice.jar");
    private static final String VERSION = System.getProperty("sluice.version", "0.1.0-SNAPSHOT");
    private static final Duration PROCESS_TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private Process process;

    @BeforeEach
    void requireTheFreshJar() {
        assumeTrue(JAR_PROPERTY != null, "run by Failsafe after package (mvn verify), which sets sluice.jar");
    }

    @AfterEach
    void killLeftovers() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
        }
    }

    @Test
    void startLogsWhatItRunsAndStopsCleanlyOnSigterm() throws Exception {
        int kafkaPort = freePort();
        int httpPort = freePort();
        start(Map.of(), "start", "--node-name", "it-node", "--kafka-listen", "127.0.0.1:" + kafkaPort,
                "--http-listen", "127.0.0.1:" + httpPort);

        await().atMost(PROCESS_TIMEOUT).until(() -> output().contains("started in"));
        String startup = output();
        assertThat(startup)
                .contains("Sluice " + VERSION + " starting node 'it-node'")
                .contains("components: broker, http")
                .contains("data dir: " + dir.toRealPath().resolve("data"))
                .contains("log flush policy: always")
                .contains("listen: kafka 127.0.0.1:" + kafkaPort)
                .contains("http 127.0.0.1:" + httpPort)
                .contains("WARN", "running without authentication");

        process.destroy(); // SIGTERM

        assertThat(process.waitFor(PROCESS_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output()).isZero();
        assertThat(output()).contains("stopping", "stopped");
        assertThat(dir.resolve("data/log")).isDirectory();
    }

    @Test
    void startWithATokenDoesNotWarnAboutAuthentication() throws Exception {
        start(Map.of("SLUICE_AUTH_TOKEN", "s3cret", "SLUICE_KAFKA_LISTEN", "127.0.0.1:" + freePort(),
                "SLUICE_HTTP_LISTEN", "127.0.0.1:" + freePort()), "start");

        await().atMost(PROCESS_TIMEOUT).until(() -> output().contains("started in"));
        process.destroy();

        assertThat(process.waitFor(PROCESS_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(output()).contains("authentication: token required")
                .doesNotContain("running without authentication").doesNotContain("s3cret");
    }

    @Test
    void badEnvironmentValueExitsWith2NamingKeySourceAndAcceptedValues() throws Exception {
        start(Map.of("SLUICE_LOG_FLUSH", "sometimes"), "start");

        assertThat(process.waitFor(PROCESS_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(output()).contains("log.flush", "env SLUICE_LOG_FLUSH", "always, interval or none");
    }

    @Test
    void versionComesFromTheJarManifest() throws Exception {
        start(Map.of(), "version");

        assertThat(process.waitFor(PROCESS_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isZero();
        assertThat(output()).startsWith("sluice " + VERSION + " (Java ");
    }

    private void start(Map<String, String> env, String... args) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String jar = Path.of(JAR_PROPERTY).toAbsolutePath().toString();
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-jar", jar));
        command.addAll(List.of(args));
        // Output goes to a file rather than a pipe: Process.destroy() closes the pipe, which would lose "stopped".
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(outputFile().toFile());
        // The test's own SLUICE_* variables, if any, must not leak into the node under test.
        builder.environment().keySet().removeIf(name -> name.startsWith("SLUICE_"));
        builder.environment().putAll(env);
        process = builder.start();
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1,
                java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private Path outputFile() {
        return dir.resolve("sluice.out");
    }

    private String output() throws IOException {
        return Files.readString(outputFile());
    }
}

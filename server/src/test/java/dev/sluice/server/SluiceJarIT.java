package dev.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sluice.services.RunAttempt;
import dev.sluice.services.RunRecord;
import dev.sluice.services.RunStatus;
import dev.sluice.services.ServiceCatalog;
import dev.sluice.services.ServicePackage;
import dev.sluice.services.ServiceTopics;
import dev.sluice.services.trigger.CloudEventCodec;
import dev.sluice.services.trigger.Event;
import dev.sluice.services.trigger.EventData;
import dev.sluice.services.trigger.FilterSpec;
import dev.sluice.services.trigger.TriggerSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
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

    @Test
    void sigkillMidRunReportsTheRunInterruptedAndRetriesItAfterTheRestart() throws Exception {
        String[] args = {"start", "--node-name", "crash-node", "--kafka-listen", "127.0.0.1:" + freePort(),
                "--http-listen", "127.0.0.1:" + freePort()};
        start(Map.of(), args);
        await().atMost(PROCESS_TIMEOUT).until(() -> output().contains("started in"));
        String bootstrap = args[4];
        Path mark = dir.resolve("first-attempt-started");
        Path pidFile = dir.resolve("first-attempt.pid");
        Path service = Files.createDirectories(dir.resolve("slow"));
        // The first attempt hangs (and is killed with the node); the retry after the restart finds the mark and ends.
        Files.writeString(service.resolve("service.yaml"), "name: slow\nruntime: bash\nsteps: [slow.sh]\n"
                + "retries: {max: 1, backoff: 100ms}\nenvironment: {MARK: \"" + mark + "\", PID_FILE: \"" + pidFile
                + "\"}\n");
        Files.writeString(service.resolve("slow.sh"), "if [ ! -f \"$MARK\" ]; then\n  echo $$ > \"$PID_FILE\"\n"
                + "  touch \"$MARK\"\n  sleep 600\nfi\necho finished\n");
        ServicePackage pkg = ServicePackage.fromDirectory(service);
        Event event = Event.of("crash-1", "crash.requested", "/tests", EventData.none());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap,
                "max.request.size", ServiceTopics.MAX_RECORD_BYTES), new ByteArraySerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(ServiceTopics.CATALOG, 0, bytes(ServiceCatalog.versionKey("slow",
                    pkg.version())), new ServiceCatalog.DeployedVersion("slow", pkg.version(), Instant.now(), pkg)
                    .toBytes())).get();
            producer.send(new ProducerRecord<>(ServiceTopics.CATALOG, 0, bytes(ServiceCatalog.triggerKey("slow")),
                    ServiceCatalog.triggerBytes(TriggerSpec.of("slow", "slow", TriggerSpec.LATEST,
                            FilterSpec.exact("type", "crash.requested"))))).get();
            // The engine follows the catalog; an event routed before it saw the trigger matched nothing, so the
            // event is sent again (same id: it runs once) until the step has started.
            await().atMost(PROCESS_TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() -> {
                if (!Files.exists(mark)) {
                    producer.send(new CloudEventCodec().toBinaryRecord(ServiceTopics.EVENTS, null, event)).get();
                }
                return Files.exists(pidFile) && !Files.readString(pidFile).isBlank();
            });
        }
        long firstStep = Long.parseLong(Files.readString(pidFile).trim());

        process.destroyForcibly(); // SIGKILL: no shutdown hook runs
        assertThat(process.waitFor(PROCESS_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        Files.move(outputFile(), dir.resolve("sluice-before-kill.out"));
        start(Map.of(), args);

        String runId = RunRecord.runId("/tests", "crash-1", "slow");
        RunRecord run = await().atMost(PROCESS_TIMEOUT).until(() -> lastRecord(bootstrap, ServiceTopics.RUNS, runId),
                record -> record != null && record.run().status().isFinal());
        assertThat(run.run().status()).as(output()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(run.run().attempts()).extracting(RunAttempt::status)
                .containsExactly(RunStatus.INTERRUPTED, RunStatus.SUCCEEDED);
        assertThat(run.run().attempts().getFirst().error()).contains("node stopped");
        assertThat(run.run().attempts().getLast().steps().getFirst().stdout().text()).isEqualTo("finished\n");
        assertThat(output()).contains("1 runs were unfinished when this node stopped");
        // The hung step of the killed node was found and killed by the new one.
        await().atMost(Duration.ofSeconds(10)).until(() -> !aliveAndNotZombie(firstStep));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** The last record of a key in partition 0 of a topic, as a run. */
    private static RunRecord lastRecord(String bootstrap, String topic, String key) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap,
                "max.partition.fetch.bytes", 32 * 1024 * 1024), new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            RunRecord last = null;
            while (consumer.position(partition) < end) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.key() != null && key.equals(new String(record.key(), StandardCharsets.UTF_8))
                            && record.value() != null) {
                        last = RunRecord.fromBytes(record.value());
                    }
                }
            }
            return last;
        }
    }

    private static boolean aliveAndNotZombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException e) {
            return false;
        }
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

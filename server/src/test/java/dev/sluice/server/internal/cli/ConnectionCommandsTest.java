package dev.sluice.server.internal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.server.internal.cli.CliRunner.Result;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code sluice connection list} against a real Sluice with a Kafka client connected. */
@Timeout(60)
class ConnectionCommandsTest extends LiveSluiceTest {
    @Test
    void listShowsAConnectedProducerWithItsLibraryAndTopic() throws Exception {
        assertThat(cli.run("topic", "create", "carts").exit()).isZero();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, sluice.bootstrapServers(),
                ProducerConfig.CLIENT_ID_CONFIG, "cart-service"), new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>("carts", "c1", "{}")).get();

            Result listed = cli.run("connection", "list");

            assertThat(listed.exit()).as(listed.err()).isZero();
            assertThat(listed.out())
                    .containsPattern("(?m)^ *ID +CLIENT +LIBRARY +ADDRESS +PRODUCES +FETCHES +GROUPS$")
                    .containsPattern("(?m)^ *\\d+ +cart-service +apache-kafka-java \\S+ +127\\.0\\.0\\.1:\\d+ +carts +- +-$");
        }
    }
}

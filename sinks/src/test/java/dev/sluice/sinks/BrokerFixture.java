package dev.sluice.sinks;

import dev.sluice.broker.BrokerConfig;
import dev.sluice.broker.KafkaBroker;
import dev.sluice.log.LogConfig;
import dev.sluice.log.LogManager;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** A real broker on a free port over a log in a temp directory, and a producer and admin client for it. */
final class BrokerFixture implements AutoCloseable {
    private final LogManager logs;
    private final KafkaBroker broker;
    final KafkaProducer<byte[], byte[]> producer;

    BrokerFixture(Path dir) throws IOException {
        this.logs = LogManager.open(dir, LogConfig.defaults());
        this.broker = KafkaBroker.start(BrokerConfig.of(new InetSocketAddress("127.0.0.1", 0), logs.defaults()), logs);
        this.producer = new KafkaProducer<>(Map.of("bootstrap.servers", broker.bootstrapServers(), "acks", "all",
                "linger.ms", 5), new ByteArraySerializer(), new ByteArraySerializer());
    }

    Map<String, Object> kafka() {
        return Map.of("bootstrap.servers", broker.bootstrapServers());
    }

    void createTopic(String name, int partitions) throws ExecutionException, InterruptedException {
        try (Admin admin = Admin.create(kafka())) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get();
        }
    }

    /** Sends JSON records {@code from} (inclusive) to {@code to} (exclusive) made by {@code json}, and waits for acks. */
    void produce(String topic, int from, int to, java.util.function.IntFunction<String> json) {
        for (int i = from; i < to; i++) {
            producer.send(new ProducerRecord<>(topic, ("k" + i).getBytes(StandardCharsets.UTF_8),
                    json.apply(i).getBytes(StandardCharsets.UTF_8)));
        }
        producer.flush();
    }

    @Override
    public void close() {
        producer.close();
        broker.close();
        logs.close();
    }
}

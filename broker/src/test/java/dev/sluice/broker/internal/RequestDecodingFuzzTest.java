package dev.sluice.broker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.sluice.broker.BrokerConfig;
import dev.sluice.log.LogConfig;
import dev.sluice.log.LogManager;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.common.protocol.ApiKeys;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes request decoding: whatever bytes arrive, the connection either answers or closes, and nothing escapes the
 * pipeline. Under plain {@code mvn verify} Jazzer replays the seeds below and any saved findings; run
 * {@code JAZZER_FUZZ=1 mvn -pl broker test -Dtest=RequestDecodingFuzzTest} to fuzz for real.
 */
class RequestDecodingFuzzTest {
    private static Path dir;
    private static LogManager logs;
    private static BrokerContext context;
    private static ApiHandlers handlers;

    @BeforeAll
    static void startBroker() throws Exception {
        dir = Files.createTempDirectory("sluice-fuzz");
        logs = LogManager.open(dir, LogConfig.defaults());
        BrokerConfig config = BrokerConfig.of(new InetSocketAddress("127.0.0.1", 0), logs.defaults());
        MetadataLog metadata = new MetadataLog(logs, config.logDefaults());
        TopicRegistry topics = new TopicRegistry(logs, config.logDefaults(), metadata);
        context = new BrokerContext(config, topics, logs, new FetchWaiters(), new ProducerIds(metadata), metadata);
        context.advertise("127.0.0.1", 9092);
        topics.create("fuzz", 2, java.util.Map.of());
        ApiHandlers[] holder = new ApiHandlers[1];
        holder[0] = new ApiHandlers(List.of(new ApiVersionsHandler(() -> holder[0]), new MetadataHandler(context),
                new ProduceHandler(context), new FetchHandler(context), new ListOffsetsHandler(context),
                new CreateTopicsHandler(context), new DescribeConfigsHandler(context)));
        handlers = holder[0];
    }

    @AfterAll
    static void stopBroker() throws Exception {
        context.close();
        logs.close();
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @FuzzTest(maxDuration = "30s")
    void arbitraryBytesAreAnsweredOrCloseTheConnection(byte[] input) {
        EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(1 << 20), new KafkaConnection(handlers));
        try {
            channel.writeInbound(Unpooled.wrappedBuffer(input));
            channel.runPendingTasks();
            channel.checkException();
        } finally {
            Object out;
            while ((out = channel.readOutbound()) != null) {
                ReferenceCountUtil.release(out);
            }
            channel.finishAndReleaseAll();
        }
    }

    @Test
    void framedRequestsWithGarbageBodiesOfEveryApiAreHandled() {
        java.util.Random random = new java.util.Random(5);
        for (ApiKeys key : ApiKeys.values()) {
            for (short version = key.oldestVersion(); version <= key.latestVersion(); version++) {
                byte[] body = new byte[random.nextInt(0, 64)];
                random.nextBytes(body);
                ByteBuffer frame = ByteBuffer.allocate(4 + 8 + body.length);
                frame.putInt(8 + body.length).putShort(key.id).putShort(version).putInt(1).put(body).flip();
                byte[] bytes = new byte[frame.remaining()];
                frame.get(bytes);
                arbitraryBytesAreAnsweredOrCloseTheConnection(bytes);
            }
        }
        assertThat(logs.partition(new org.apache.kafka.common.TopicPartition("fuzz", 0))).isPresent();
    }
}

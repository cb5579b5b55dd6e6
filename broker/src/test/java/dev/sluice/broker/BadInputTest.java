package dev.sluice.broker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.log.LogConfig;
import dev.sluice.log.LogManager;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.SimpleRecord;
import org.apache.kafka.common.requests.ProduceRequest;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.ResponseHeader;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Malformed and hostile input over a raw socket: each gets a Kafka error code or a closed connection, the broker
 * keeps serving other clients, and nothing is appended by a rejected request.
 */
class BadInputTest {
    @TempDir
    Path dir;

    private LogManager logs;
    private KafkaBroker broker;

    @BeforeEach
    void start() throws Exception {
        logs = LogManager.open(dir, LogConfig.defaults());
        broker = KafkaBroker.start(new BrokerConfig(new InetSocketAddress("127.0.0.1", 0), null, 0, 0, "test",
                1024 * 1024, true, 1, logs.defaults(), BrokerAuth.disabled()), logs);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic("target", 1, (short) 1))).all().get();
        }
    }

    @AfterEach
    void stop() {
        broker.close();
        logs.close();
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket();
        socket.connect(broker.boundAddress(), 5000);
        socket.setSoTimeout(10_000);
        return socket;
    }

    /** True when the broker closed the connection (read returns end of stream). */
    private static boolean closedByBroker(Socket socket) throws IOException {
        try {
            return socket.getInputStream().read() == -1;
        } catch (java.net.SocketException e) {
            return true;
        }
    }

    private static void sendFrame(Socket socket, ByteBuffer frame) throws IOException {
        DataOutputStream out = new DataOutputStream(socket.getOutputStream());
        out.writeInt(frame.remaining());
        byte[] bytes = new byte[frame.remaining()];
        frame.get(bytes);
        out.write(bytes);
        out.flush();
    }

    private static ByteBuffer readFrame(Socket socket) throws IOException {
        DataInputStream in = new DataInputStream(socket.getInputStream());
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        return ByteBuffer.wrap(bytes);
    }

    private void assertStillServing() throws Exception {
        java.util.Properties props = new java.util.Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        try (KafkaProducer<String, String> producer =
                     new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            assertThat(producer.send(new ProducerRecord<>("target", "ok")).get().offset()).isNotNegative();
        }
    }

    @Test
    void randomBytesCloseTheConnectionAndOthersAreStillServed() throws Exception {
        Random random = new Random(1);
        for (int i = 0; i < 20; i++) {
            try (Socket socket = connect()) {
                byte[] junk = new byte[random.nextInt(1, 200)];
                random.nextBytes(junk);
                // A plausible length so the junk reaches the request decoder, not only the frame decoder.
                sendFrame(socket, ByteBuffer.wrap(junk));
                assertThat(closedByBroker(socket)).isTrue();
            }
        }
        assertStillServing();
    }

    @Test
    void oversizedAndNegativeFrameLengthsCloseTheConnection() throws Exception {
        try (Socket socket = connect()) {
            new DataOutputStream(socket.getOutputStream()).writeInt(2 * 1024 * 1024);
            assertThat(closedByBroker(socket)).isTrue();
        }
        try (Socket socket = connect()) {
            new DataOutputStream(socket.getOutputStream()).writeInt(-7);
            assertThat(closedByBroker(socket)).isTrue();
        }
        assertStillServing();
    }

    @Test
    void aTruncatedFrameFollowedByADisconnectLeavesTheBrokerServing() throws Exception {
        try (Socket socket = connect()) {
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            out.writeInt(500);
            out.write(new byte[100]);
            out.flush();
        }
        assertStillServing();
    }

    @Test
    void unknownApiKeysAndUnsupportedVersionsCloseTheConnection() throws Exception {
        try (Socket socket = connect()) {
            ByteBuffer frame = ByteBuffer.allocate(20);
            frame.putShort((short) 999).putShort((short) 0).putInt(1).putShort((short) -1).flip();
            sendFrame(socket, frame);
            assertThat(closedByBroker(socket)).isTrue();
        }
        try (Socket socket = connect()) {
            ByteBuffer frame = ByteBuffer.allocate(20);
            frame.putShort(ApiKeys.PRODUCE.id).putShort((short) 1).putInt(1).putShort((short) -1).flip();
            sendFrame(socket, frame);
            assertThat(closedByBroker(socket)).isTrue();
        }
        assertStillServing();
    }

    @Test
    void apiVersionsInAFutureVersionIsAnsweredInVersionZeroWithTheSupportedRanges() throws Exception {
        try (Socket socket = connect()) {
            ByteBuffer frame = ByteBuffer.allocate(12);
            frame.putShort(ApiKeys.API_VERSIONS.id).putShort((short) 99).putInt(42).putShort((short) -1).flip();
            sendFrame(socket, frame);
            ByteBuffer response = readFrame(socket);
            assertThat(ResponseHeader.parse(response, (short) 0).correlationId()).isEqualTo(42);
            ApiVersionsResponseData data = new ApiVersionsResponseData(new ByteBufferAccessor(response), (short) 0);
            assertThat(data.errorCode()).isEqualTo(Errors.UNSUPPORTED_VERSION.code());
            assertThat(data.apiKeys().find(ApiKeys.PRODUCE.id)).isNotNull();
        }
    }

    @Test
    void aBatchWithABadCrcGetsCorruptMessageAndNothingIsAppended() throws Exception {
        ByteBuffer batch = MemoryRecords.withRecords(Compression.NONE, new SimpleRecord("payload".getBytes()))
                .buffer();
        batch.put(batch.limit() - 1, (byte) (batch.get(batch.limit() - 1) ^ 0x7F));
        ProduceResponseData response = produceRaw("target", batch);
        var partition = response.responses().find("target").partitionResponses().getFirst();
        assertThat(partition.errorCode()).isEqualTo(Errors.CORRUPT_MESSAGE.code());
        assertThat(logs.partition(new org.apache.kafka.common.TopicPartition("target", 0)).orElseThrow()
                .highWatermark()).isZero();

        ProduceResponseData unknown = produceRaw("no-such-topic",
                MemoryRecords.withRecords(Compression.NONE, new SimpleRecord("x".getBytes())).buffer());
        assertThat(unknown.responses().find("no-such-topic").partitionResponses().getFirst().errorCode())
                .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        assertStillServing();
    }

    private ProduceResponseData produceRaw(String topic, ByteBuffer batch) throws IOException {
        short version = 9;
        ProduceRequestData data = new ProduceRequestData().setAcks((short) -1).setTimeoutMs(5000);
        ProduceRequestData.TopicProduceData topicData = new ProduceRequestData.TopicProduceData().setName(topic);
        topicData.partitionData().add(new ProduceRequestData.PartitionProduceData().setIndex(0)
                .setRecords(MemoryRecords.readableRecords(batch)));
        data.topicData().add(topicData);
        ProduceRequest request = new ProduceRequest.Builder(version, version, data).build(version);
        ByteBuffer frame = request.serializeWithHeader(new RequestHeader(ApiKeys.PRODUCE, version, "raw", 7));
        try (Socket socket = connect()) {
            sendFrame(socket, frame);
            ByteBuffer response = readFrame(socket);
            ResponseHeader.parse(response, ApiKeys.PRODUCE.responseHeaderVersion(version));
            return new ProduceResponseData(new ByteBufferAccessor(response), version);
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrderEvenBeyondTheInFlightLimit() throws Exception {
        short version = 12;
        int requests = 150;
        try (Socket socket = connect()) {
            for (int i = 0; i < requests; i++) {
                // Long polls on an empty partition: each waits, so they pile up past the connection's limit.
                org.apache.kafka.common.message.FetchRequestData data = new org.apache.kafka.common.message
                        .FetchRequestData().setMaxWaitMs(200).setMinBytes(1).setMaxBytes(1 << 20)
                        .setReplicaId(-1).setSessionEpoch(-1);
                data.topics().add(new org.apache.kafka.common.message.FetchRequestData.FetchTopic()
                        .setTopic("target").setPartitions(List.of(
                                new org.apache.kafka.common.message.FetchRequestData.FetchPartition()
                                        .setPartition(0).setFetchOffset(0).setPartitionMaxBytes(1 << 20))));
                ByteBuffer frame = new org.apache.kafka.common.requests.FetchRequest(data, version)
                        .serializeWithHeader(new RequestHeader(ApiKeys.FETCH, version, "pipeline", i));
                sendFrame(socket, frame);
            }
            for (int i = 0; i < requests; i++) {
                ByteBuffer response = readFrame(socket);
                assertThat(ResponseHeader.parse(response, ApiKeys.FETCH.responseHeaderVersion(version))
                        .correlationId()).isEqualTo(i);
            }
        }
        assertStillServing();
    }
}

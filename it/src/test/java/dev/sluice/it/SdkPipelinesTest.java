package dev.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.broker.BrokerConfig;
import dev.sluice.broker.KafkaBroker;
import dev.sluice.client.SluiceClient;
import dev.sluice.client.SluiceConsumer;
import dev.sluice.client.SluiceProducer;
import dev.sluice.http.HttpConfig;
import dev.sluice.http.SluiceHttp;
import dev.sluice.log.LogConfig;
import dev.sluice.log.LogManager;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java SDK gets its pipelines from the control plane over gRPC (on the HTTP port) and runs them in-process;
 * a plain kcat producer on the same topic gets them from the broker; nobody gets them twice; they keep running while
 * the control plane is away; the SDK's counters reach /metrics; the console's gRPC-Web works without a proxy.
 */
class SdkPipelinesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String PAYLOAD = "{\"user\":{\"email\":\"ann@example.com\"},\"total\":42}";

    @TempDir
    Path dir;

    private LogManager logs;
    private KafkaBroker broker;
    private SluiceHttp http;

    @BeforeEach
    void start() throws Exception {
        logs = LogManager.open(dir, LogConfig.defaults());
        broker = KafkaBroker.start(BrokerConfig.of(new InetSocketAddress("127.0.0.1", 0), logs.defaults()), logs);
        http = SluiceHttp.start(HttpConfig.of(new InetSocketAddress("127.0.0.1", 0), broker.bootstrapServers()));
    }

    @AfterEach
    void stop() {
        if (http != null) {
            http.close();
        }
        broker.close();
        logs.close();
    }

    @Test
    void pipelinesAttachedAtRunTimeReachTheSdkAndKcatWithoutRestartsAndRunOnceEach() throws Exception {
        ExternalTool.require("kcat", "apt-get install kcat");
        String topic = "sdk-orders";
        rest("POST", "/v1/pipelines", """
                {"id": "mask-emails", "steps": [
                  {"name": "find", "detective": {"type": "pii_email"},
                   "onTrue": {"metadata": {"masked-by": "mask-emails"}}},
                  {"name": "mask", "transform": {"type": "mask"}}]}""");
        try (SluiceClient sluice = SluiceClient.builder(http.url(), "checkout").produces(topic)
                .metricsInterval(Duration.ofMillis(200)).start();
             SluiceProducer<String> producer = sluice.producer(producerProps(), new StringSerializer())) {
            assertThat(sluice.connected()).isTrue();
            JsonNode clients = JSON.readTree(rest("GET", "/v1/clients", "").body()).get("clients");
            assertThat(clients).hasSize(1);
            assertThat(clients.get(0).get("service").asText()).isEqualTo("checkout");
            assertThat(clients.get(0).get("audiences").get(0).asText()).isEqualTo("checkout/" + topic + "/produce");
            producer.send(new ProducerRecord<>(topic, 0, "sdk-before", bytes(PAYLOAD))).get();

            // Attached for every client: the SDK gets it pushed; kcat gets it from the broker.
            assertThat(rest("PUT", "/v1/audiences/*/" + topic + "/produce", "{\"pipelines\": [\"mask-emails\"]}")
                    .statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> sluice.activePipelines(topic, true).equals(List.of("mask-emails@1")));
            producer.send(new ProducerRecord<>(topic, 0, "sdk-after", bytes(PAYLOAD))).get();
            ExternalTool.Result kcat = ExternalTool.run(List.of("kcat", "-b", broker.bootstrapServers(), "-P",
                    "-t", topic, "-p", "0", "-K:", "-X", "acks=all"), "kcat:" + PAYLOAD + "\n",
                    Duration.ofSeconds(60), null);
            assertThat(kcat.exitCode()).as(kcat.stderr()).isZero();

            sluice.reportMetrics();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(rest("GET", "/metrics", "").body())
                    .contains("sluice_pipeline_records_total{audience=\"checkout/" + topic
                            + "/produce\",where=\"sdk\"} 1.0"));
        }

        Map<String, ConsumerRecord<byte[], byte[]>> byKey = new HashMap<>();
        readAll(topic, 3, "reader").forEach(r -> byKey.put(new String(r.key(), StandardCharsets.UTF_8), r));
        assertThat(email(byKey.get("sdk-before"))).isEqualTo("ann@example.com");
        for (String key : List.of("sdk-after", "kcat")) {
            assertThat(email(byKey.get(key))).as(key).isEqualTo("***************");
            // Exactly one header: the pipeline ran once, in the SDK or in the broker, never in both.
            assertThat(byKey.get(key).headers().headers("masked-by")).as(key).hasSize(1);
        }
    }

    @Test
    void theSdkKeepsItsPipelinesWhileTheControlPlaneIsDownAndRegistersAgain() throws Exception {
        String topic = "sdk-resilient";
        rest("POST", "/v1/pipelines", """
                {"id": "mask", "steps": [{"detective": {"type": "pii_email"}}, {"transform": {"type": "mask"}}]}""");
        rest("PUT", "/v1/audiences/billing/" + topic + "/consume", "{\"pipelines\": [\"mask\"]}");
        try (var plain = new org.apache.kafka.clients.producer.KafkaProducer<String, String>(plainProducerProps())) {
            for (int i = 0; i < 5; i++) {
                plain.send(new ProducerRecord<>(topic, 0, "k" + i, PAYLOAD)).get();
            }
        }
        int port = URI.create(http.url()).getPort();
        try (SluiceClient sluice = SluiceClient.builder(http.url(), "billing").consumes(topic).start();
             SluiceConsumer<String> consumer = sluice.consumer(consumerProps(), new StringDeserializer())) {
            assertThat(sluice.activePipelines(topic, false)).containsExactly("mask@1");
            http.close();
            http = null;
            await().atMost(Duration.ofSeconds(10)).until(() -> !sluice.connected());

            consumer.assign(List.of(new TopicPartition(topic, 0)));
            consumer.seekToBeginning(List.of(new TopicPartition(topic, 0)));
            List<String> emails = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (emails.size() < 5 && System.nanoTime() < deadline) {
                for (var record : consumer.poll(Duration.ofMillis(200))) {
                    emails.add(JSON.readTree(record.value()).at("/user/email").asText());
                }
            }
            assertThat(emails).hasSize(5).allMatch(e -> e.equals("***************"));

            http = SluiceHttp.start(HttpConfig.of(new InetSocketAddress("127.0.0.1", port),
                    broker.bootstrapServers()));
            await().atMost(Duration.ofSeconds(45)).until(sluice::connected);
        }
    }

    @Test
    void tailShowsTheSdksRecordsBeforeAndAfterItsPipelines() throws Exception {
        String topic = "sdk-tailed";
        rest("POST", "/v1/pipelines", "{\"id\": \"mask\", \"steps\": [{\"detective\": {\"type\": \"pii_email\"},"
                + " \"onTrue\": {\"metadata\": {\"masked-by\": \"sdk\"}}}, {\"transform\": {\"type\": \"mask\"}}]}");
        rest("PUT", "/v1/audiences/shop/" + topic + "/produce", "{\"pipelines\": [\"mask\"]}");
        try (SluiceClient sluice = SluiceClient.builder(http.url(), "shop").produces(topic).start();
             SluiceProducer<String> producer = sluice.producer(producerProps(), new StringSerializer())) {
            HttpResponse<java.util.stream.Stream<String>> tail = HTTP.send(HttpRequest.newBuilder(URI.create(
                    http.url() + "/v1/audiences/shop/" + topic + "/produce/tail?rate=50")).build(),
                    HttpResponse.BodyHandlers.ofLines());
            assertThat(tail.statusCode()).isEqualTo(200);
            java.util.concurrent.CompletableFuture<JsonNode> sample = java.util.concurrent.CompletableFuture
                    .supplyAsync(() -> tail.body().filter(line -> line.startsWith("data: ")).map(line -> {
                        try {
                            return JSON.readTree(line.substring(6));
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }).findFirst().orElseThrow());
            // The tail reaches the client through its command stream; send until a sample comes back.
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, "k", bytes(PAYLOAD));
                record.headers().add("trace", "t-2".getBytes(java.nio.charset.StandardCharsets.UTF_8));
                producer.send(record).get();
                return sample.isDone();
            });
            JsonNode event = sample.get();
            assertThat(event.get("where").asText()).isEqualTo("sdk");
            assertThat(event.get("audience").asText()).isEqualTo("shop/" + topic + "/produce");
            assertThat(event.at("/before/user/email").asText()).isEqualTo("ann@example.com");
            assertThat(event.at("/after/user/email").asText()).isEqualTo("***************");
            assertThat(event.at("/headers/before/trace").asText()).isEqualTo("t-2");
            assertThat(event.at("/headers/after/trace").asText()).isEqualTo("t-2");
            assertThat(event.at("/headers/after/masked-by").asText()).isEqualTo("sdk");
            tail.body().close();
        }
    }

    @Test
    void withAuthOnTheControlPlaneRefusesSdkClientsWithoutTheToken() throws Exception {
        http.close();
        broker.close();
        logs.close();
        logs = LogManager.open(dir.resolve("auth"), LogConfig.defaults());
        broker = KafkaBroker.start(BrokerConfig.of(new InetSocketAddress("127.0.0.1", 0), logs.defaults())
                .withAuth(dev.sluice.broker.BrokerAuth.sasl("admin", "s3cret")), logs);
        http = SluiceHttp.start(HttpConfig.of(new InetSocketAddress("127.0.0.1", 0), broker.bootstrapServers())
                .withAuthToken("s3cret"));
        try (SluiceClient without = SluiceClient.builder(http.url(), "intruder").produces("t")
                .startWait(Duration.ofSeconds(2)).start()) {
            assertThat(without.connected()).isFalse();
        }
        try (SluiceClient with = SluiceClient.builder(http.url(), "trusted").produces("t").authToken("s3cret")
                .start()) {
            assertThat(with.connected()).isTrue();
        }
    }

    @Test
    void grpcWebCallsWorkOverHttp1WithoutAProxy() throws Exception {
        // ListClients with an empty request, framed as gRPC-Web: flag 0, length 0.
        HttpRequest request = HttpRequest.newBuilder(URI.create(http.url()
                        + "/sluice.control.v1.ControlPlane/ListClients"))
                .version(HttpClient.Version.HTTP_1_1)
                .header("content-type", "application/grpc-web+proto")
                .header("x-grpc-web", "1")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[5]))
                .build();
        HttpResponse<byte[]> response = HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/grpc-web"));
        // The body ends with a trailers frame (flag 0x80) carrying grpc-status: 0.
        ByteBuffer body = ByteBuffer.wrap(response.body());
        String trailers = null;
        while (body.remaining() >= 5) {
            byte flag = body.get();
            int length = body.getInt();
            byte[] frame = new byte[length];
            body.get(frame);
            if ((flag & 0x80) != 0) {
                trailers = new String(frame, StandardCharsets.US_ASCII);
            }
        }
        assertThat(trailers).isNotNull().contains("grpc-status:0");
    }

    private static String email(ConsumerRecord<byte[], byte[]> record) throws Exception {
        JsonNode value = JSON.readTree(record.value());
        return value.at("/user/email").asText();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private HttpResponse<String> rest(String method, String path, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(http.url() + path))
                .header("Content-Type", "application/json")
                .method(method, body.isEmpty() ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isLessThan(300);
        return response;
    }

    private Properties producerProps() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        return props;
    }

    private Properties plainProducerProps() {
        Properties props = producerProps();
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return props;
    }

    private Properties consumerProps() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return props;
    }

    private List<ConsumerRecord<byte[], byte[]>> readAll(String topic, int expected, String clientId) {
        Properties props = consumerProps();
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }
}

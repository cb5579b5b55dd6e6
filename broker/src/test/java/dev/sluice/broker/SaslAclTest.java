package dev.sluice.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.log.LogConfig;
import dev.sluice.log.LogManager;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialDeletion;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.admin.UserScramCredentialsDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.DuplicateResourceException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.ResourceNotFoundException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnacceptableCredentialException;
import org.apache.kafka.common.message.AlterUserScramCredentialsRequestData;
import org.apache.kafka.common.message.AlterUserScramCredentialsResponseData;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.SaslAuthenticateRequestData;
import org.apache.kafka.common.message.SaslAuthenticateResponseData;
import org.apache.kafka.common.message.SaslHandshakeRequestData;
import org.apache.kafka.common.message.SaslHandshakeResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SASL and ACLs on the listener with Apache's kafka-clients: the superuser, SCRAM users created through the admin
 * API, failed logins, clients without SASL, ACLs granting and denying, and all of it across a restart.
 */
class SaslAclTest {
    private static final String ADMIN_PASSWORD = "token-s3cret";
    private static final String PLAIN = "PLAIN";
    private static final String SHA_256 = "SCRAM-SHA-256";
    private static final String SHA_512 = "SCRAM-SHA-512";

    @TempDir
    Path dir;

    private LogManager logs;
    private KafkaBroker broker;
    private final List<AutoCloseable> clients = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        logs = LogManager.open(dir, LogConfig.defaults());
        broker = startBroker();
    }

    private KafkaBroker startBroker() {
        return KafkaBroker.start(BrokerConfig.of(new InetSocketAddress("127.0.0.1", 0), logs.defaults())
                .withAuth(BrokerAuth.sasl("admin", ADMIN_PASSWORD)), logs);
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable client : clients.reversed()) {
            client.close();
        }
        if (broker != null) {
            broker.close();
        }
        if (logs != null) {
            logs.close();
        }
    }

    private void restart() throws Exception {
        broker.close();
        logs.close();
        logs = LogManager.open(dir, LogConfig.defaults());
        broker = startBroker();
    }

    private Map<String, Object> sasl(String mechanism, String user, String password) {
        String module = mechanism.equals(PLAIN) ? "org.apache.kafka.common.security.plain.PlainLoginModule"
                : "org.apache.kafka.common.security.scram.ScramLoginModule";
        Map<String, Object> props = new HashMap<>();
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
        props.put("sasl.mechanism", mechanism);
        props.put("sasl.jaas.config", module + " required username=\"" + user + "\" password=\"" + password + "\";");
        // Failures must show quickly, not after a minute of retries.
        props.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        props.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        props.put(CommonClientConfigs.RECONNECT_BACKOFF_MS_CONFIG, 50);
        props.put(CommonClientConfigs.RECONNECT_BACKOFF_MAX_MS_CONFIG, 200);
        return props;
    }

    private <T extends AutoCloseable> T closing(T client) {
        clients.add(client);
        return client;
    }

    private Admin admin(String mechanism, String user, String password) {
        return closing(Admin.create(sasl(mechanism, user, password)));
    }

    private Admin superuser() {
        return admin(PLAIN, "admin", ADMIN_PASSWORD);
    }

    private KafkaProducer<String, String> producer(String mechanism, String user, String password,
                                                   boolean idempotent) {
        Map<String, Object> props = sasl(mechanism, user, password);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, idempotent);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000);
        return closing(new KafkaProducer<>(props, new StringSerializer(), new StringSerializer()));
    }

    private KafkaConsumer<String, String> consumer(String mechanism, String user, String password, String group) {
        Map<String, Object> props = sasl(mechanism, user, password);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        if (group != null) {
            props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        }
        return closing(new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer()));
    }

    private static List<String> poll(KafkaConsumer<String, String> consumer, int expected) {
        List<String> values = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (values.size() < expected && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                values.add(record.value());
            }
        }
        return values;
    }

    private void createUser(String user, ScramMechanism mechanism, String password) throws Exception {
        superuser().alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(user,
                new ScramCredentialInfo(mechanism, 4096), password))).all().get();
    }

    private static AclBinding acl(ResourceType type, String name, PatternType pattern, String user,
                                  AclOperation operation, AclPermissionType permission) {
        return new AclBinding(new ResourcePattern(type, name, pattern),
                new AccessControlEntry("User:" + user, "*", operation, permission));
    }

    private static AclBinding allow(ResourceType type, String name, String user, AclOperation operation) {
        return acl(type, name, PatternType.LITERAL, user, operation, AclPermissionType.ALLOW);
    }

    private void createTopics(String... names) throws Exception {
        superuser().createTopics(java.util.Arrays.stream(names).map(n -> new NewTopic(n, 1, (short) 1)).toList())
                .all().get();
    }

    @Test
    void superuserProducesConsumesAndAdministersWithPlainAndScram() throws Exception {
        Admin admin = superuser();
        admin.createTopics(List.of(new NewTopic("orders", 2, (short) 1))).all().get();
        assertThat(admin.listTopics().names().get()).containsExactly("orders");
        assertThat(admin.describeCluster().nodes().get()).hasSize(1);

        KafkaProducer<String, String> producer = producer(SHA_512, "admin", ADMIN_PASSWORD, true);
        for (int i = 0; i < 3; i++) {
            producer.send(new ProducerRecord<>("orders", 0, null, "o" + i)).get();
        }
        KafkaConsumer<String, String> consumer = consumer(SHA_256, "admin", ADMIN_PASSWORD, "admins");
        consumer.subscribe(List.of("orders"));
        assertThat(poll(consumer, 3)).containsExactly("o0", "o1", "o2");
        consumer.commitSync();
        assertThat(admin.listConsumerGroupOffsets("admins").partitionsToOffsetAndMetadata().get()
                .get(new TopicPartition("orders", 0)).offset()).isEqualTo(3);
    }

    @Test
    void scramUsersCreatedThroughTheAdminApiProduceConsumeAndAreDescribed() throws Exception {
        createTopics("events");
        Admin admin = superuser();
        admin.alterUserScramCredentials(List.of(
                new UserScramCredentialUpsertion("alice", new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256,
                        8192), "alice-pw"),
                new UserScramCredentialUpsertion("bob", new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512,
                        4096), "bob-pw"))).all().get();
        admin.createAcls(List.of(allow(ResourceType.TOPIC, "events", "alice", AclOperation.WRITE),
                allow(ResourceType.TOPIC, "events", "bob", AclOperation.READ),
                allow(ResourceType.GROUP, "bobs", "bob", AclOperation.READ))).all().get();

        producer(SHA_256, "alice", "alice-pw", true).send(new ProducerRecord<>("events", "from alice")).get();
        // PLAIN checks a stored user's password against its SCRAM credential.
        producer(PLAIN, "alice", "alice-pw", false).send(new ProducerRecord<>("events", "plain alice")).get();
        KafkaConsumer<String, String> consumer = consumer(SHA_512, "bob", "bob-pw", "bobs");
        consumer.subscribe(List.of("events"));
        assertThat(poll(consumer, 2)).containsExactly("from alice", "plain alice");

        Map<String, UserScramCredentialsDescription> users = admin.describeUserScramCredentials().all().get();
        assertThat(users).containsOnlyKeys("admin", "alice", "bob");
        assertThat(users.get("alice").credentialInfos()).containsExactly(
                new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 8192));
        assertThat(users.get("bob").credentialInfos()).containsExactly(
                new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096));
        assertThatThrownBy(() -> admin.describeUserScramCredentials(List.of("carol")).description("carol").get())
                .hasCauseInstanceOf(ResourceNotFoundException.class);

        // Deleting bob's only credential locks him out.
        admin.alterUserScramCredentials(List.of(new UserScramCredentialDeletion("bob",
                ScramMechanism.SCRAM_SHA_512))).all().get();
        assertThat(admin.describeUserScramCredentials().all().get()).containsOnlyKeys("admin", "alice");
        assertThatThrownBy(() -> admin(SHA_512, "bob", "bob-pw").listTopics().names().get())
                .hasCauseInstanceOf(SaslAuthenticationException.class);
    }

    @Test
    void credentialAlterationsAreValidatedAsKafkaDoes() throws Exception {
        Admin admin = superuser();
        var results = admin.alterUserScramCredentials(List.<UserScramCredentialAlteration>of(
                new UserScramCredentialUpsertion("few", new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 1000),
                        "pw"),
                new UserScramCredentialUpsertion("many", new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512,
                        20_000), "pw"),
                new UserScramCredentialUpsertion("twice", new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256,
                        4096), "pw"),
                new UserScramCredentialUpsertion("twice", new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512,
                        4096), "pw"),
                new UserScramCredentialDeletion("nobody", ScramMechanism.SCRAM_SHA_256),
                new UserScramCredentialUpsertion("admin", new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256,
                        4096), "not-the-token"),
                new UserScramCredentialUpsertion("fine", new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256,
                        4096), "pw"))).values();

        assertThatThrownBy(() -> results.get("few").get()).hasCauseInstanceOf(UnacceptableCredentialException.class)
                .hasMessageContaining("Too few iterations");
        assertThatThrownBy(() -> results.get("many").get())
                .hasCauseInstanceOf(UnacceptableCredentialException.class).hasMessageContaining("Too many iterations");
        assertThatThrownBy(() -> results.get("twice").get()).hasCauseInstanceOf(DuplicateResourceException.class);
        assertThatThrownBy(() -> results.get("nobody").get()).hasCauseInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> results.get("admin").get())
                .hasCauseInstanceOf(UnacceptableCredentialException.class);
        results.get("fine").get();
        assertThat(admin.describeUserScramCredentials().all().get()).containsOnlyKeys("admin", "fine");

        // An unknown mechanism is refused by the broker, not only by kafka-clients.
        try (WireClient wire = authenticatedWire("admin", ADMIN_PASSWORD)) {
            AlterUserScramCredentialsResponseData response = wire.send(new AlterUserScramCredentialsRequestData()
                    .setUpsertions(List.of(new AlterUserScramCredentialsRequestData.ScramCredentialUpsertion()
                            .setName("odd").setMechanism((byte) 7).setIterations(4096)
                            .setSalt(new byte[] {1}).setSaltedPassword(new byte[] {2}))), 0);
            assertThat(response.results().getFirst().errorCode())
                    .isEqualTo(Errors.UNSUPPORTED_SASL_MECHANISM.code());
        }
    }

    @Test
    void aWrongPasswordFailsAuthenticationWhileOtherClientsKeepWorking() throws Exception {
        createUser("alice", ScramMechanism.SCRAM_SHA_256, "right");
        Admin good = superuser();
        good.createTopics(List.of(new NewTopic("still-here", 1, (short) 1))).all().get();

        for (String mechanism : List.of(PLAIN, SHA_256, SHA_512)) {
            assertThatThrownBy(() -> admin(mechanism, "alice", "wrong").listTopics().names().get())
                    .as(mechanism).hasCauseInstanceOf(SaslAuthenticationException.class);
        }
        assertThatThrownBy(() -> admin(SHA_256, "mallory", "guess").listTopics().names().get())
                .hasCauseInstanceOf(SaslAuthenticationException.class);
        assertThatThrownBy(() -> admin(PLAIN, "admin", "not-the-token").listTopics().names().get())
                .hasCauseInstanceOf(SaslAuthenticationException.class)
                .hasMessageContaining("Invalid username or password");

        assertThat(good.listTopics().names().get()).containsExactly("still-here");
    }

    @Test
    void aClientWithoutSaslIsDisconnected() throws Exception {
        Map<String, Object> props = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 500,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 1_500);
        Admin plaintext = closing(Admin.create(props));
        assertThatThrownBy(() -> plaintext.listTopics().names().get()).hasCauseInstanceOf(TimeoutException.class);

        // On the wire: ApiVersions is answered (and offers SASL), anything else closes the connection.
        try (WireClient wire = new WireClient(broker)) {
            ApiVersionsResponseData versions = wire.send(new ApiVersionsRequestData(), 3);
            // librdkafka needs version 0 advertised before it uses version 1.
            assertThat(versions.apiKeys().find(ApiKeys.SASL_HANDSHAKE.id).minVersion()).isZero();
            assertThat(versions.apiKeys().find(ApiKeys.DESCRIBE_ACLS.id)).isNotNull();
            assertThatThrownBy(() -> wire.send(new MetadataRequestData().setTopics(null), 12))
                    .isInstanceOf(UncheckedIOException.class);
        }
        assertThat(superuser().listTopics().names().get()).isEmpty();
    }

    @Test
    void saslExchangesOnTheWire() throws Exception {
        try (WireClient wire = new WireClient(broker)) {
            SaslHandshakeResponseData refused = wire.send(new SaslHandshakeRequestData().setMechanism("GSSAPI"), 1);
            assertThat(refused.errorCode()).isEqualTo(Errors.UNSUPPORTED_SASL_MECHANISM.code());
            assertThat(refused.mechanisms()).containsExactly(PLAIN, SHA_256, SHA_512);
            assertThatThrownBy(() -> wire.send(new ApiVersionsRequestData(), 3))
                    .isInstanceOf(UncheckedIOException.class);
        }
        try (WireClient wire = new WireClient(broker)) {
            wire.send(new SaslHandshakeRequestData().setMechanism(PLAIN), 1);
            SaslAuthenticateResponseData failed = wire.send(new SaslAuthenticateRequestData()
                    .setAuthBytes(plain("admin", "wrong")), 2);
            assertThat(failed.errorCode()).isEqualTo(Errors.SASL_AUTHENTICATION_FAILED.code());
            assertThat(failed.errorMessage()).contains("Invalid username or password");
            assertThatThrownBy(() -> wire.send(new ApiVersionsRequestData(), 3))
                    .isInstanceOf(UncheckedIOException.class);
        }
        try (WireClient wire = new WireClient(broker)) {
            // Version 0 means raw tokens outside Kafka framing: refused.
            SaslHandshakeResponseData legacy = wire.send(new SaslHandshakeRequestData().setMechanism(PLAIN), 0);
            assertThat(legacy.errorCode()).isEqualTo(Errors.UNSUPPORTED_SASL_MECHANISM.code());
            assertThat(legacy.mechanisms()).isEmpty();
            assertThatThrownBy(() -> wire.send(new ApiVersionsRequestData(), 3))
                    .isInstanceOf(UncheckedIOException.class);
        }
        try (WireClient wire = authenticatedWire("admin", ADMIN_PASSWORD)) {
            SaslHandshakeResponseData again = wire.send(new SaslHandshakeRequestData().setMechanism(PLAIN), 1);
            assertThat(again.errorCode()).isEqualTo(Errors.ILLEGAL_SASL_STATE.code());
        }
    }

    private static byte[] plain(String user, String password) {
        return ("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8);
    }

    private WireClient authenticatedWire(String user, String password) {
        WireClient wire = new WireClient(broker);
        SaslHandshakeResponseData handshake = wire.send(new SaslHandshakeRequestData().setMechanism(PLAIN), 1);
        assertThat(handshake.errorCode()).isZero();
        SaslAuthenticateResponseData authenticated = wire.send(new SaslAuthenticateRequestData()
                .setAuthBytes(plain(user, password)), 2);
        assertThat(authenticated.errorCode()).as(authenticated.errorMessage()).isZero();
        assertThat(authenticated.sessionLifetimeMs()).isZero();
        return wire;
    }

    @Test
    void aclsGrantTopicsAndGroupsToAUserWhoHasNothingWithoutThem() throws Exception {
        createTopics("orders", "secret");
        createUser("alice", ScramMechanism.SCRAM_SHA_256, "pw");
        Admin admin = superuser();

        KafkaProducer<String, String> denied = producer(SHA_256, "alice", "pw", false);
        assertThatThrownBy(() -> denied.send(new ProducerRecord<>("orders", "x")).get())
                .hasCauseInstanceOf(TopicAuthorizationException.class);
        Admin alicesAdmin = admin(SHA_256, "alice", "pw");
        assertThat(alicesAdmin.listTopics().names().get()).isEmpty();
        assertThatThrownBy(() -> alicesAdmin.createTopics(List.of(new NewTopic("mine", 1, (short) 1))).all().get())
                .hasCauseInstanceOf(TopicAuthorizationException.class);
        assertThatThrownBy(() -> alicesAdmin.describeAcls(AclBindingFilter.ANY).values().get())
                .hasCauseInstanceOf(ClusterAuthorizationException.class);
        assertThatThrownBy(() -> alicesAdmin.describeUserScramCredentials().all().get())
                .hasCauseInstanceOf(ClusterAuthorizationException.class);
        assertThatThrownBy(() -> alicesAdmin.createAcls(List.of(allow(ResourceType.TOPIC, "orders", "alice",
                AclOperation.ALL))).all().get()).hasCauseInstanceOf(ClusterAuthorizationException.class);

        admin.createAcls(List.of(allow(ResourceType.TOPIC, "orders", "alice", AclOperation.WRITE),
                allow(ResourceType.TOPIC, "orders", "alice", AclOperation.READ))).all().get();
        // An idempotent producer needs WRITE on some topic for its producer id.
        KafkaProducer<String, String> producer = producer(SHA_256, "alice", "pw", true);
        producer.send(new ProducerRecord<>("orders", "o1")).get();
        assertThat(alicesAdmin.listTopics().names().get()).containsExactly("orders");

        KafkaConsumer<String, String> consumer = consumer(SHA_256, "alice", "pw", "alices");
        consumer.subscribe(List.of("orders"));
        assertThatThrownBy(() -> consumer.poll(Duration.ofSeconds(5)))
                .isInstanceOf(GroupAuthorizationException.class);
        admin.createAcls(List.of(allow(ResourceType.GROUP, "alices", "alice", AclOperation.READ))).all().get();
        assertThat(poll(consumer, 1)).containsExactly("o1");
        consumer.commitSync();
        assertThat(admin.listConsumerGroupOffsets("alices").partitionsToOffsetAndMetadata().get()
                .get(new TopicPartition("orders", 0)).offset()).isEqualTo(1);
        // ListGroups shows only the groups she may describe.
        assertThat(alicesAdmin.listConsumerGroups().all().get()).extracting(g -> g.groupId())
                .containsExactly("alices");

        KafkaConsumer<String, String> secret = consumer(SHA_256, "alice", "pw", null);
        secret.assign(List.of(new TopicPartition("secret", 0)));
        assertThatThrownBy(() -> secret.poll(Duration.ofSeconds(5))).isInstanceOf(TopicAuthorizationException.class);
    }

    @Test
    void denyOverridesAllowAndPrefixedPatternsCoverNewTopics() throws Exception {
        createUser("alice", ScramMechanism.SCRAM_SHA_512, "pw");
        Admin admin = superuser();
        admin.createAcls(List.of(
                acl(ResourceType.TOPIC, "team-", PatternType.PREFIXED, "alice", AclOperation.ALL,
                        AclPermissionType.ALLOW),
                acl(ResourceType.TOPIC, "team-secret", PatternType.LITERAL, "alice", AclOperation.WRITE,
                        AclPermissionType.DENY))).all().get();
        createTopics("team-secret", "other");

        Admin alicesAdmin = admin(SHA_512, "alice", "pw");
        // ALL on the prefix includes CREATE.
        alicesAdmin.createTopics(List.of(new NewTopic("team-a", 1, (short) 1))).all().get();
        assertThatThrownBy(() -> alicesAdmin.createTopics(List.of(new NewTopic("b", 1, (short) 1))).all().get())
                .hasCauseInstanceOf(TopicAuthorizationException.class);
        assertThat(alicesAdmin.listTopics().names().get()).containsExactlyInAnyOrder("team-a", "team-secret");

        KafkaProducer<String, String> producer = producer(SHA_512, "alice", "pw", false);
        producer.send(new ProducerRecord<>("team-a", "allowed")).get();
        assertThatThrownBy(() -> producer.send(new ProducerRecord<>("team-secret", "denied")).get())
                .hasCauseInstanceOf(TopicAuthorizationException.class);
        assertThatThrownBy(() -> producer.send(new ProducerRecord<>("other", "no acl")).get())
                .hasCauseInstanceOf(TopicAuthorizationException.class);
    }

    @Test
    void describeAndDeleteAclsWithFilters() throws Exception {
        Admin admin = superuser();
        AclBinding literal = allow(ResourceType.TOPIC, "orders", "alice", AclOperation.READ);
        AclBinding prefixed = acl(ResourceType.TOPIC, "ord", PatternType.PREFIXED, "bob", AclOperation.WRITE,
                AclPermissionType.ALLOW);
        AclBinding wildcard = acl(ResourceType.TOPIC, "*", PatternType.LITERAL, "carol", AclOperation.DESCRIBE,
                AclPermissionType.DENY);
        AclBinding group = allow(ResourceType.GROUP, "orders", "alice", AclOperation.READ);
        AclBinding cluster = allow(ResourceType.CLUSTER, "kafka-cluster", "bob", AclOperation.DESCRIBE);
        admin.createAcls(List.of(literal, prefixed, wildcard, group, cluster)).all().get();
        // Creating one again changes nothing.
        admin.createAcls(List.of(literal)).all().get();
        assertThatThrownBy(() -> admin.createAcls(List.of(allow(ResourceType.CLUSTER, "other", "bob",
                AclOperation.ALTER))).all().get()).hasMessageContaining("kafka-cluster");

        assertThat(describe(admin, AclBindingFilter.ANY))
                .containsExactlyInAnyOrder(literal, prefixed, wildcard, group, cluster);
        assertThat(describe(admin, new AclBindingFilter(new ResourcePatternFilter(ResourceType.TOPIC, "orders",
                PatternType.MATCH), AccessControlEntryFilter.ANY))).containsExactlyInAnyOrder(literal, prefixed,
                wildcard);
        assertThat(describe(admin, new AclBindingFilter(new ResourcePatternFilter(ResourceType.TOPIC, "orders",
                PatternType.LITERAL), AccessControlEntryFilter.ANY))).containsExactly(literal);
        assertThat(describe(admin, new AclBindingFilter(ResourcePatternFilter.ANY,
                new AccessControlEntryFilter("User:alice", null, AclOperation.ANY, AclPermissionType.ANY))))
                .containsExactlyInAnyOrder(literal, group);
        assertThat(describe(admin, new AclBindingFilter(ResourcePatternFilter.ANY,
                new AccessControlEntryFilter(null, null, AclOperation.ANY, AclPermissionType.DENY))))
                .containsExactly(wildcard);

        Collection<AclBinding> deleted = admin.deleteAcls(List.of(new AclBindingFilter(
                new ResourcePatternFilter(ResourceType.ANY, "orders", PatternType.ANY),
                new AccessControlEntryFilter("User:alice", "*", AclOperation.ANY, AclPermissionType.ANY))))
                .all().get();
        assertThat(deleted).containsExactlyInAnyOrder(literal, group);
        assertThat(describe(admin, AclBindingFilter.ANY)).containsExactlyInAnyOrder(prefixed, wildcard, cluster);
    }

    private static Collection<AclBinding> describe(Admin admin, AclBindingFilter filter) throws Exception {
        return admin.describeAcls(filter).values().get();
    }

    @Test
    void aclsAndScramUsersSurviveARestart() throws Exception {
        createTopics("durable");
        createUser("alice", ScramMechanism.SCRAM_SHA_256, "pw");
        superuser().createAcls(List.of(allow(ResourceType.TOPIC, "durable", "alice", AclOperation.WRITE))).all()
                .get();
        for (AutoCloseable client : clients.reversed()) {
            client.close();
        }
        clients.clear();

        restart();

        producer(SHA_256, "alice", "pw", true).send(new ProducerRecord<>("durable", "after restart")).get();
        assertThat(superuser().describeUserScramCredentials().all().get()).containsKeys("alice");
        assertThat(describe(superuser(), AclBindingFilter.ANY)).containsExactly(
                allow(ResourceType.TOPIC, "durable", "alice", AclOperation.WRITE));
    }
}

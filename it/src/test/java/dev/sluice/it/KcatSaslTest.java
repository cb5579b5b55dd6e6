package dev.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.broker.BrokerAuth;
import dev.sluice.broker.BrokerConfig;
import dev.sluice.broker.KafkaBroker;
import dev.sluice.log.LogConfig;
import dev.sluice.log.LogManager;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * librdkafka, through kcat, against a broker that requires SASL: a SCRAM-SHA-256 user created with the admin API
 * produces and consumes under its ACLs, the superuser uses SCRAM-SHA-512, and a wrong password is refused.
 */
class KcatSaslTest {
    private static final String TOKEN = "kcat-token";

    @TempDir
    Path dir;

    private LogManager logs;
    private KafkaBroker broker;

    @BeforeEach
    void start() throws Exception {
        ExternalTool.require("kcat", "apt-get install kcat");
        logs = LogManager.open(dir, LogConfig.defaults());
        broker = KafkaBroker.start(BrokerConfig.of(new InetSocketAddress("127.0.0.1", 0), logs.defaults())
                .withAuth(BrokerAuth.sasl("admin", TOKEN)), logs);
        try (Admin admin = Admin.create(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers(), CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT",
                "sasl.mechanism", "PLAIN", "sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"admin\" password=\""
                        + TOKEN + "\";"))) {
            admin.createTopics(List.of(new NewTopic("kcat-sasl", 1, (short) 1), new NewTopic("hidden", 1,
                    (short) 1))).all().get();
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion("kc",
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 4096), "kc-pw"))).all().get();
            admin.createAcls(List.of(allow("kcat-sasl", AclOperation.WRITE), allow("kcat-sasl", AclOperation.READ)))
                    .all().get();
        }
    }

    private static AclBinding allow(String topic, AclOperation operation) {
        return new AclBinding(new ResourcePattern(ResourceType.TOPIC, topic, PatternType.LITERAL),
                new AccessControlEntry("User:kc", "*", operation, AclPermissionType.ALLOW));
    }

    @AfterEach
    void stop() {
        if (broker != null) {
            broker.close();
            logs.close();
        }
    }

    private ExternalTool.Result kcat(String mechanism, String user, String password, String stdin, String... args)
            throws Exception {
        List<String> command = new ArrayList<>(List.of("kcat", "-b", broker.bootstrapServers(),
                "-X", "security.protocol=SASL_PLAINTEXT", "-X", "sasl.mechanisms=" + mechanism,
                "-X", "sasl.username=" + user, "-X", "sasl.password=" + password));
        command.addAll(List.of(args));
        return ExternalTool.run(command, stdin, Duration.ofSeconds(30), null);
    }

    @Test
    void aScramUserProducesAndConsumesWhatItsAclsAllow() throws Exception {
        ExternalTool.Result produced = kcat("SCRAM-SHA-256", "kc", "kc-pw", "a\nb\nc\n", "-P", "-t", "kcat-sasl",
                "-X", "acks=all");
        assertThat(produced.exitCode()).as(produced.stderr()).isZero();

        ExternalTool.Result consumed = kcat("SCRAM-SHA-256", "kc", "kc-pw", null, "-C", "-t", "kcat-sasl",
                "-o", "beginning", "-e", "-q");
        assertThat(consumed.exitCode()).as(consumed.stderr()).isZero();
        assertThat(consumed.stdout().lines().toList()).containsExactly("a", "b", "c");

        // Metadata lists only the topics kc may describe; the superuser sees them all.
        ExternalTool.Result listed = kcat("SCRAM-SHA-256", "kc", "kc-pw", null, "-L");
        assertThat(listed.stdout()).contains("topic \"kcat-sasl\"").doesNotContain("hidden");
        ExternalTool.Result all = kcat("SCRAM-SHA-512", "admin", TOKEN, null, "-L");
        assertThat(all.exitCode()).as(all.stderr()).isZero();
        assertThat(all.stdout()).contains("topic \"kcat-sasl\"", "topic \"hidden\"");
    }

    @Test
    void aWrongPasswordIsRefused() throws Exception {
        ExternalTool.Result refused = kcat("SCRAM-SHA-256", "kc", "wrong", null, "-L", "-m", "2");
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.stderr()).contains("Authentication failed");
    }
}

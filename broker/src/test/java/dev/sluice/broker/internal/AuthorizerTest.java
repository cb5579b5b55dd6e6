package dev.sluice.broker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.log.LogConfig;
import dev.sluice.log.LogManager;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The authorizer's rules, one by one, as Kafka's AclAuthorizer has them. */
class AuthorizerTest {
    @TempDir
    Path dir;

    private LogManager logs;
    private AclStore acls;
    private Authorizer authorizer;

    @BeforeEach
    void open() throws Exception {
        logs = LogManager.open(dir, LogConfig.defaults());
        acls = new AclStore(new MetadataLog(logs, logs.defaults()));
        authorizer = new Authorizer(acls, "admin");
    }

    @AfterEach
    void close() {
        logs.close();
    }

    private static ClientSession session(String user, String ip) {
        return new ClientSession(new InetSocketAddress(ip, 40000),
                new AuthState.Authenticated(new KafkaPrincipal(KafkaPrincipal.USER_TYPE, user)));
    }

    private static final ClientSession ALICE = session("alice", "10.0.0.1");

    private void acl(ResourceType type, String name, PatternType pattern, String principal, String host,
                     AclOperation operation, AclPermissionType permission) {
        acls.add(new AclBinding(new ResourcePattern(type, name, pattern),
                new AccessControlEntry(principal, host, operation, permission)));
    }

    private void allow(ResourceType type, String name, PatternType pattern, AclOperation operation) {
        acl(type, name, pattern, "User:alice", "*", operation, AclPermissionType.ALLOW);
    }

    private boolean topic(ClientSession session, AclOperation operation, String name) {
        return authorizer.allowed(session, operation, ResourceType.TOPIC, name);
    }

    @Test
    void withoutAnAllowEverythingIsDeniedButTheSuperuserMayDoAnything() {
        assertThat(topic(ALICE, AclOperation.READ, "orders")).isFalse();
        assertThat(topic(ALICE, AclOperation.DESCRIBE, "orders")).isFalse();
        assertThat(topic(session("admin", "10.0.0.9"), AclOperation.DELETE, "orders")).isTrue();
        assertThat(authorizer.allowed(session("admin", "10.0.0.9"), AclOperation.ALTER, ResourceType.CLUSTER,
                "kafka-cluster")).isTrue();
    }

    @Test
    void anUnauthenticatedSessionIsDeniedAndAnOpenAuthorizerAllowsEverything() {
        ClientSession unauthenticated = new ClientSession(new InetSocketAddress("10.0.0.1", 1),
                new AuthState.AwaitingHandshake());
        assertThat(topic(unauthenticated, AclOperation.DESCRIBE, "orders")).isFalse();
        assertThat(Authorizer.allowAll().allowed(unauthenticated, AclOperation.DELETE, ResourceType.TOPIC, "x"))
                .isTrue();
    }

    @Test
    void readWriteDeleteAndAlterImplyDescribeAndAlterConfigsImpliesDescribeConfigs() {
        allow(ResourceType.TOPIC, "r", PatternType.LITERAL, AclOperation.READ);
        allow(ResourceType.TOPIC, "w", PatternType.LITERAL, AclOperation.WRITE);
        allow(ResourceType.TOPIC, "d", PatternType.LITERAL, AclOperation.DELETE);
        allow(ResourceType.TOPIC, "a", PatternType.LITERAL, AclOperation.ALTER);
        allow(ResourceType.TOPIC, "c", PatternType.LITERAL, AclOperation.ALTER_CONFIGS);
        allow(ResourceType.TOPIC, "create", PatternType.LITERAL, AclOperation.CREATE);

        for (String name : new String[] {"r", "w", "d", "a"}) {
            assertThat(topic(ALICE, AclOperation.DESCRIBE, name)).as(name).isTrue();
        }
        assertThat(topic(ALICE, AclOperation.WRITE, "r")).isFalse();
        assertThat(topic(ALICE, AclOperation.DESCRIBE_CONFIGS, "c")).isTrue();
        assertThat(topic(ALICE, AclOperation.DESCRIBE, "c")).isFalse();
        assertThat(topic(ALICE, AclOperation.DESCRIBE, "create")).isFalse();
    }

    @Test
    void allAllowsEveryOperationAndDenyWinsOverAllow() {
        allow(ResourceType.TOPIC, "orders", PatternType.LITERAL, AclOperation.ALL);
        acl(ResourceType.TOPIC, "orders", PatternType.LITERAL, "User:alice", "*", AclOperation.WRITE,
                AclPermissionType.DENY);

        assertThat(topic(ALICE, AclOperation.READ, "orders")).isTrue();
        assertThat(topic(ALICE, AclOperation.DELETE, "orders")).isTrue();
        assertThat(topic(ALICE, AclOperation.WRITE, "orders")).isFalse();
        // A DENY of WRITE does not take back the DESCRIBE that WRITE would imply.
        assertThat(topic(ALICE, AclOperation.DESCRIBE, "orders")).isTrue();

        acl(ResourceType.TOPIC, "*", PatternType.LITERAL, "User:*", "*", AclOperation.ALL, AclPermissionType.DENY);
        assertThat(topic(ALICE, AclOperation.READ, "orders")).isFalse();
    }

    @Test
    void literalWildcardAndPrefixedPatternsMatchNames() {
        allow(ResourceType.TOPIC, "team-", PatternType.PREFIXED, AclOperation.READ);
        allow(ResourceType.GROUP, "*", PatternType.LITERAL, AclOperation.READ);

        assertThat(topic(ALICE, AclOperation.READ, "team-a")).isTrue();
        assertThat(topic(ALICE, AclOperation.READ, "team-")).isTrue();
        assertThat(topic(ALICE, AclOperation.READ, "team")).isFalse();
        assertThat(topic(ALICE, AclOperation.READ, "other-team-a")).isFalse();
        assertThat(authorizer.allowed(ALICE, AclOperation.READ, ResourceType.GROUP, "any-group")).isTrue();
        // Patterns are per resource type.
        assertThat(authorizer.allowed(ALICE, AclOperation.READ, ResourceType.GROUP, "team-a")).isTrue();
        assertThat(authorizer.allowed(ALICE, AclOperation.READ, ResourceType.TRANSACTIONAL_ID, "team-a"))
                .isFalse();
    }

    @Test
    void principalsAndHostsMustMatchOrBeWildcards() {
        acl(ResourceType.TOPIC, "orders", PatternType.LITERAL, "User:*", "10.0.0.1", AclOperation.READ,
                AclPermissionType.ALLOW);
        acl(ResourceType.TOPIC, "payments", PatternType.LITERAL, "User:bob", "*", AclOperation.READ,
                AclPermissionType.ALLOW);

        assertThat(topic(ALICE, AclOperation.READ, "orders")).isTrue();
        assertThat(topic(session("alice", "10.0.0.2"), AclOperation.READ, "orders")).isFalse();
        assertThat(topic(ALICE, AclOperation.READ, "payments")).isFalse();
        assertThat(topic(session("bob", "10.0.0.2"), AclOperation.READ, "payments")).isTrue();
    }

    @Test
    void writeOnAnyTopicAllowsIdempotentProducersUnlessDeniedByAWiderPattern() {
        assertThat(authorizer.allowedOnAny(ALICE, AclOperation.WRITE, ResourceType.TOPIC)).isFalse();

        allow(ResourceType.TOPIC, "orders", PatternType.LITERAL, AclOperation.READ);
        assertThat(authorizer.allowedOnAny(ALICE, AclOperation.WRITE, ResourceType.TOPIC)).isFalse();

        allow(ResourceType.TOPIC, "team-orders", PatternType.LITERAL, AclOperation.WRITE);
        assertThat(authorizer.allowedOnAny(ALICE, AclOperation.WRITE, ResourceType.TOPIC)).isTrue();

        acl(ResourceType.TOPIC, "team-", PatternType.PREFIXED, "User:alice", "*", AclOperation.WRITE,
                AclPermissionType.DENY);
        assertThat(authorizer.allowedOnAny(ALICE, AclOperation.WRITE, ResourceType.TOPIC)).isFalse();

        allow(ResourceType.TOPIC, "logs-", PatternType.PREFIXED, AclOperation.ALL);
        assertThat(authorizer.allowedOnAny(ALICE, AclOperation.WRITE, ResourceType.TOPIC)).isTrue();

        acl(ResourceType.TOPIC, "*", PatternType.LITERAL, "User:alice", "*", AclOperation.WRITE,
                AclPermissionType.DENY);
        assertThat(authorizer.allowedOnAny(ALICE, AclOperation.WRITE, ResourceType.TOPIC)).isFalse();
    }

    @Test
    void aclsAreReplayedFromTheMetadataLogAndDeletionsStick() throws Exception {
        allow(ResourceType.TOPIC, "orders", PatternType.LITERAL, AclOperation.READ);
        allow(ResourceType.GROUP, "team/readers", PatternType.PREFIXED, AclOperation.READ);
        allow(ResourceType.TOPIC, "payments", PatternType.LITERAL, AclOperation.WRITE);
        acls.delete(new AclBindingFilter(new ResourcePattern(ResourceType.TOPIC, "payments", PatternType.LITERAL)
                .toFilter(), new AccessControlEntry("User:alice", "*", AclOperation.WRITE, AclPermissionType.ALLOW)
                .toFilter()));
        logs.close();

        logs = LogManager.open(dir, LogConfig.defaults());
        MetadataLog metadata = new MetadataLog(logs, logs.defaults());
        AclStore replayed = new AclStore(metadata);
        metadata.replay(replayed::replayed);

        assertThat(replayed.matching(AclBindingFilter.ANY)).containsExactlyInAnyOrderElementsOf(
                acls.matching(AclBindingFilter.ANY)).hasSize(2);
        Authorizer restarted = new Authorizer(replayed, "admin");
        assertThat(restarted.allowed(ALICE, AclOperation.READ, ResourceType.GROUP, "team/readers-1")).isTrue();
        assertThat(restarted.allowed(ALICE, AclOperation.WRITE, ResourceType.TOPIC, "payments")).isFalse();
    }
}

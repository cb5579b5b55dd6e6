package dev.sluice.broker;

import java.util.Objects;

/**
 * Authentication and authorization on the Kafka listener. When enabled, every connection authenticates with SASL
 * (PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512) before anything but ApiVersions, and every operation is checked against
 * the ACLs; the superuser always authenticates with its password and bypasses the ACLs.
 *
 * <pre>{@code
 * BrokerConfig config = BrokerConfig.of(listen, logs.defaults()).withAuth(BrokerAuth.sasl("admin", token));
 * }</pre>
 *
 * @param enabled           whether the listener requires SASL and enforces ACLs
 * @param superuser         the superuser's name; null when disabled
 * @param superuserPassword the superuser's password (Sluice's auth token); null when disabled
 */
public record BrokerAuth(boolean enabled, String superuser, String superuserPassword) {

    public BrokerAuth {
        if (enabled) {
            if (superuser == null || superuser.isBlank()) {
                throw new IllegalArgumentException("the superuser's name must not be blank");
            }
            if (superuserPassword == null || superuserPassword.isEmpty()) {
                throw new IllegalArgumentException("the superuser's password must not be empty");
            }
        }
    }

    /** No authentication: every client may do everything, as before auth existed. */
    public static BrokerAuth disabled() {
        return new BrokerAuth(false, null, null);
    }

    /** SASL with the given superuser; other users are created through AlterUserScramCredentials. */
    public static BrokerAuth sasl(String superuser, String superuserPassword) {
        return new BrokerAuth(true, Objects.requireNonNull(superuser, "superuser"),
                Objects.requireNonNull(superuserPassword, "superuserPassword"));
    }

    @Override
    public String toString() {
        return enabled ? "BrokerAuth[sasl, superuser=" + superuser + "]" : "BrokerAuth[disabled]";
    }
}

package dev.sluice.broker.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.broker.BrokerAuth;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.ResourceNotFoundException;
import org.apache.kafka.common.errors.UnacceptableCredentialException;
import org.apache.kafka.common.security.scram.ScramCredential;
import org.apache.kafka.common.security.scram.internals.ScramFormatter;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;

/**
 * The users' SCRAM credentials: salt, iterations, stored key and server key per user and mechanism, never a
 * password. Each is one record in the {@link MetadataLog}: key {@code scram/<user>/<mechanism>} (for example
 * {@code scram/alice/SCRAM-SHA-256}), value JSON with the byte fields in base64, or a tombstone once deleted;
 * appended durably before a change takes effect and replayed at start.
 *
 * <p>The superuser is not stored: its password is Sluice's auth token, and its SCRAM credentials are derived from
 * it in memory at every start.
 *
 * <p>Thread-safe: changes are serialised; lookups read a concurrent map of immutable maps.
 */
final class ScramCredentials {
    static final String KEY_PREFIX = "scram/";
    /** Iterations of the superuser's derived credentials: the minimum both mechanisms accept. */
    static final int SUPERUSER_ITERATIONS = 4096;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder BASE64 = Base64.getEncoder();
    private static final Base64.Decoder UNBASE64 = Base64.getDecoder();

    private record Stored(String salt, String storedKey, String serverKey, int iterations) {
        static Stored of(ScramCredential credential) {
            return new Stored(BASE64.encodeToString(credential.salt()),
                    BASE64.encodeToString(credential.storedKey()), BASE64.encodeToString(credential.serverKey()),
                    credential.iterations());
        }

        ScramCredential credential() {
            return new ScramCredential(UNBASE64.decode(salt), UNBASE64.decode(storedKey), UNBASE64.decode(serverKey),
                    iterations);
        }
    }

    private final MetadataLog metadata;
    private final String superuser;
    private final byte[] superuserPassword;
    private final Map<ScramMechanism, ScramCredential> superuserCredentials = new EnumMap<>(ScramMechanism.class);
    private final Map<String, Map<ScramMechanism, ScramCredential>> users = new ConcurrentHashMap<>();

    ScramCredentials(MetadataLog metadata, BrokerAuth auth) {
        this.metadata = metadata;
        this.superuser = auth.enabled() ? auth.superuser() : null;
        this.superuserPassword = auth.enabled() ? auth.superuserPassword().getBytes(StandardCharsets.UTF_8) : null;
        if (auth.enabled()) {
            for (ScramMechanism mechanism : ScramMechanism.values()) {
                superuserCredentials.put(mechanism,
                        formatter(mechanism).generateCredential(auth.superuserPassword(), SUPERUSER_ITERATIONS));
            }
        }
    }

    /** Applies a replayed metadata record if it is a credential. */
    void replayed(String key, String value) {
        if (key.startsWith(KEY_PREFIX)) {
            // The mechanism comes last: user names may contain slashes.
            int slash = key.lastIndexOf('/');
            ScramMechanism mechanism = ScramMechanism.forMechanismName(key.substring(slash + 1));
            if (slash < KEY_PREFIX.length() || mechanism == null) {
                throw new IllegalStateException("corrupt metadata key " + key);
            }
            String user = key.substring(KEY_PREFIX.length(), slash);
            try {
                apply(user, mechanism, value == null ? null : JSON.readValue(value, Stored.class).credential());
            } catch (IOException | IllegalArgumentException e) {
                throw new IllegalStateException("corrupt metadata record for " + key, e);
            }
        }
    }

    boolean isSuperuser(String user) {
        return user.equals(superuser);
    }

    /** The user's credential for the mechanism, if it has one. */
    Optional<ScramCredential> credential(String user, ScramMechanism mechanism) {
        if (isSuperuser(user)) {
            return Optional.of(superuserCredentials.get(mechanism));
        }
        return Optional.ofNullable(users.getOrDefault(user, Map.of()).get(mechanism));
    }

    /**
     * Whether {@code password} is the user's (SASL/PLAIN): the superuser's is compared directly; any other user's
     * is salted and hashed as its stored SCRAM credential says, and the stored keys compared. Comparisons are
     * constant-time. CPU-bound for thousands of iterations: call it off the event loop.
     */
    boolean verifyPassword(String user, String password) {
        if (isSuperuser(user)) {
            return MessageDigest.isEqual(password.getBytes(StandardCharsets.UTF_8), superuserPassword);
        }
        Map<ScramMechanism, ScramCredential> stored = users.getOrDefault(user, Map.of());
        for (ScramMechanism mechanism : List.of(ScramMechanism.SCRAM_SHA_512, ScramMechanism.SCRAM_SHA_256)) {
            ScramCredential credential = stored.get(mechanism);
            if (credential != null) {
                ScramFormatter formatter = formatter(mechanism);
                try {
                    byte[] salted = formatter.saltedPassword(password, credential.salt(), credential.iterations());
                    byte[] storedKey = formatter.storedKey(formatter.clientKey(salted));
                    return MessageDigest.isEqual(storedKey, credential.storedKey());
                } catch (GeneralSecurityException e) {
                    throw new IllegalStateException(mechanism + " is not available in this JVM", e);
                }
            }
        }
        return false;
    }

    /** Every user with the iterations of each of its credentials, the superuser's included, sorted by name. */
    SortedMap<String, Map<ScramMechanism, Integer>> iterations() {
        SortedMap<String, Map<ScramMechanism, Integer>> all = new TreeMap<>();
        users.forEach((user, credentials) -> all.put(user, iterations(credentials)));
        if (superuser != null) {
            all.put(superuser, iterations(superuserCredentials));
        }
        return all;
    }

    /**
     * Sets the user's credential for the mechanism from the salted password a client computed, durably.
     *
     * @throws UnacceptableCredentialException for the superuser, whose password is the auth token
     */
    synchronized void upsert(String user, ScramMechanism mechanism, byte[] salt, byte[] saltedPassword,
                             int iterations) {
        refuseSuperuser(user);
        record(user, mechanism, formatter(mechanism).generateCredential(salt, saltedPassword, iterations));
    }

    /**
     * Deletes the user's credential for the mechanism, durably.
     *
     * @throws ResourceNotFoundException when the user has none
     */
    synchronized void delete(String user, ScramMechanism mechanism) throws ApiException {
        refuseSuperuser(user);
        if (credential(user, mechanism).isEmpty()) {
            throw new ResourceNotFoundException("Attempt to delete a user credential that does not exist");
        }
        record(user, mechanism, null);
    }

    private void refuseSuperuser(String user) {
        if (isSuperuser(user)) {
            throw new UnacceptableCredentialException("the credentials of the superuser '" + user
                    + "' come from Sluice's auth token and cannot be altered");
        }
    }

    private void record(String user, ScramMechanism mechanism, ScramCredential credential) {
        String json;
        try {
            json = credential == null ? null : JSON.writeValueAsString(Stored.of(credential));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        metadata.write(KEY_PREFIX + user + "/" + mechanism.mechanismName(), json);
        apply(user, mechanism, credential);
    }

    private void apply(String user, ScramMechanism mechanism, ScramCredential credential) {
        Map<ScramMechanism, ScramCredential> credentials = new EnumMap<>(ScramMechanism.class);
        credentials.putAll(users.getOrDefault(user, Map.of()));
        if (credential == null) {
            credentials.remove(mechanism);
        } else {
            credentials.put(mechanism, credential);
        }
        if (credentials.isEmpty()) {
            users.remove(user);
        } else {
            users.put(user, Map.copyOf(credentials));
        }
    }

    private static Map<ScramMechanism, Integer> iterations(Map<ScramMechanism, ScramCredential> credentials) {
        Map<ScramMechanism, Integer> iterations = new EnumMap<>(ScramMechanism.class);
        credentials.forEach((mechanism, credential) -> iterations.put(mechanism, credential.iterations()));
        return iterations;
    }

    private static ScramFormatter formatter(ScramMechanism mechanism) {
        try {
            return new ScramFormatter(mechanism);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(mechanism + " is not available in this JVM", e);
        }
    }
}

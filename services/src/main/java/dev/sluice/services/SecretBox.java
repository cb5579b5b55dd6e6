package dev.sluice.services;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals a service's secrets (name to value) with AES-256-GCM before they are written to
 * {@value ServiceTopics#CATALOG}, so the topic, its segments on disk and anyone who can read it see only ciphertext.
 * The service's name is the associated data, so a sealed value moved to another service's key does not open. Every
 * process that writes or runs services needs the same key: {@code services.secrets.key} (base64 of 32 bytes) in the
 * configuration, or else a key file generated on first use under the data directory (mode 600).
 *
 * <p>Thread-safe (a new {@link Cipher} per call).
 */
public final class SecretBox {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    /** Sealed secrets as stored: which key sealed them (a fingerprint), the nonce and the ciphertext. */
    public record Sealed(String keyId, byte[] nonce, byte[] ciphertext) {
        public byte[] toBytes() {
            ObjectNode node = JSON.createObjectNode();
            node.put("keyId", keyId);
            node.put("nonce", Base64.getEncoder().encodeToString(nonce));
            node.put("ciphertext", Base64.getEncoder().encodeToString(ciphertext));
            return node.toString().getBytes(StandardCharsets.UTF_8);
        }

        public static Sealed fromBytes(byte[] value) {
            try {
                ObjectNode node = (ObjectNode) JSON.readTree(value);
                return new Sealed(node.get("keyId").asText(),
                        Base64.getDecoder().decode(node.get("nonce").asText()),
                        Base64.getDecoder().decode(node.get("ciphertext").asText()));
            } catch (IOException | RuntimeException e) {
                throw new ServiceException("unreadable sealed secrets: " + e.getMessage(), e);
            }
        }
    }

    private final SecretKey key;
    private final String keyId;

    public SecretBox(byte[] key) {
        if (key.length != 32) {
            throw new ServiceException("services.secrets.key: an AES-256 key is 32 bytes, got " + key.length);
        }
        this.key = new SecretKeySpec(key.clone(), "AES");
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key);
            this.keyId = HexFormat.of().formatHex(digest, 0, 4);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The box for a configured key (base64), or, when none is configured, the key in {@code keyFile}, generated there
     * on first use.
     */
    public static SecretBox open(String configuredKey, Path keyFile) {
        if (configuredKey != null && !configuredKey.isBlank()) {
            try {
                return new SecretBox(Base64.getDecoder().decode(configuredKey.trim()));
            } catch (IllegalArgumentException e) {
                throw new ServiceException("services.secrets.key: not base64: " + e.getMessage());
            }
        }
        try {
            if (Files.exists(keyFile)) {
                return new SecretBox(Base64.getDecoder().decode(Files.readString(keyFile).trim()));
            }
            Files.createDirectories(keyFile.getParent());
            byte[] fresh = new byte[32];
            RANDOM.nextBytes(fresh);
            Path temp = keyFile.resolveSibling(keyFile.getFileName() + ".tmp");
            Files.deleteIfExists(temp);
            Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(temp, Base64.getEncoder().encodeToString(fresh), StandardOpenOption.WRITE);
            try {
                Files.move(temp, keyFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } catch (java.nio.file.FileAlreadyExistsException raced) {
                Files.deleteIfExists(temp);
            }
            return new SecretBox(Base64.getDecoder().decode(Files.readString(keyFile).trim()));
        } catch (IOException e) {
            throw new ServiceException("cannot read or create the secrets key " + keyFile + ": " + e.getMessage(), e);
        }
    }

    public Sealed seal(String service, Map<String, String> secrets) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(service.getBytes(StandardCharsets.UTF_8));
            byte[] plain = JSON.writeValueAsBytes(new TreeMap<>(secrets));
            return new Sealed(keyId, nonce, cipher.doFinal(plain));
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("sealing secrets failed", e);
        }
    }

    /** @throws ServiceException when another key sealed them or they were tampered with */
    public Map<String, String> open(String service, Sealed sealed) {
        if (!sealed.keyId().equals(keyId)) {
            throw new ServiceException("the secrets of service '" + service + "' were sealed with key " + sealed.keyId()
                    + ", this node has key " + keyId + " (set the same services.secrets.key on every node)");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed.nonce()));
            cipher.updateAAD(service.getBytes(StandardCharsets.UTF_8));
            byte[] plain = cipher.doFinal(sealed.ciphertext());
            return JSON.readValue(plain, new TypeReference<Map<String, String>>() { });
        } catch (GeneralSecurityException | IOException e) {
            throw new ServiceException("the secrets of service '" + service + "' do not open: " + e.getMessage(), e);
        }
    }

    /** Which key this is, as stored with what it seals (the first 4 bytes of its SHA-256, in hex). */
    public String keyId() {
        return keyId;
    }
}

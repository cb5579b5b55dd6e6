package dev.sluice.services;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretBoxTest {
    @TempDir
    Path dir;

    @Test
    void sealedSecretsOpenForTheirServiceAndTheStoredBytesHoldNoPlaintext() {
        SecretBox box = SecretBox.open(null, dir.resolve("secrets.key"));
        SecretBox.Sealed sealed = box.seal("mailer", Map.of("SMTP_PASSWORD", "hunter2-very-secret"));

        byte[] stored = sealed.toBytes();
        assertThat(new String(stored, StandardCharsets.UTF_8)).doesNotContain("hunter2").doesNotContain("SMTP");
        assertThat(box.open("mailer", SecretBox.Sealed.fromBytes(stored)))
                .containsExactly(Map.entry("SMTP_PASSWORD", "hunter2-very-secret"));
    }

    @Test
    void theGeneratedKeyFileIsPrivateAndReusedByTheNextOpen() throws Exception {
        Path keyFile = dir.resolve("services/secrets.key");
        SecretBox first = SecretBox.open(null, keyFile);
        SecretBox.Sealed sealed = first.seal("svc", Map.of("K", "v"));

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
        SecretBox second = SecretBox.open(null, keyFile);
        assertThat(second.keyId()).isEqualTo(first.keyId());
        assertThat(second.open("svc", sealed)).containsEntry("K", "v");
    }

    @Test
    void aConfiguredKeyWinsOverTheKeyFile() {
        String key = Base64.getEncoder().encodeToString(new byte[32]);
        SecretBox configured = SecretBox.open(key, dir.resolve("never-created.key"));

        assertThat(Files.exists(dir.resolve("never-created.key"))).isFalse();
        assertThat(configured.open("s", configured.seal("s", Map.of("A", "b")))).containsEntry("A", "b");
    }

    @Test
    void secretsMovedToAnotherServiceOrSealedWithAnotherKeyOrTamperedWithDoNotOpen() {
        SecretBox box = SecretBox.open(null, dir.resolve("a.key"));
        SecretBox other = SecretBox.open(null, dir.resolve("b.key"));
        SecretBox.Sealed sealed = box.seal("mailer", Map.of("K", "v"));
        byte[] ciphertext = sealed.ciphertext();
        ciphertext[0] ^= 1;

        assertThatThrownBy(() -> box.open("billing", sealed)).isInstanceOf(ServiceException.class)
                .hasMessageContaining("billing");
        assertThatThrownBy(() -> other.open("mailer", sealed)).isInstanceOf(ServiceException.class)
                .hasMessageContaining("services.secrets.key");
        assertThatThrownBy(() -> box.open("mailer", new SecretBox.Sealed(sealed.keyId(), sealed.nonce(), ciphertext)))
                .isInstanceOf(ServiceException.class);
    }

    @Test
    void aKeyOfTheWrongSizeOrNotBase64IsRefusedNamingTheSetting() {
        assertThatThrownBy(() -> SecretBox.open("c2hvcnQ=", dir.resolve("x"))).isInstanceOf(ServiceException.class)
                .hasMessageContaining("services.secrets.key").hasMessageContaining("32 bytes");
        assertThatThrownBy(() -> SecretBox.open("not base64!", dir.resolve("x"))).isInstanceOf(ServiceException.class)
                .hasMessageContaining("services.secrets.key");
    }
}

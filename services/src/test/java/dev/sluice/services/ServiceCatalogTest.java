package dev.sluice.services;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.services.trigger.FilterSpec;
import dev.sluice.services.trigger.TriggerSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceCatalogTest {
    @TempDir
    Path dir;

    private ServicePackage pkg(String name, String script) throws Exception {
        Path service = Files.createDirectories(dir.resolve(name + script.hashCode()));
        Files.writeString(service.resolve("service.yaml"), "name: " + name + "\nruntime: bash\nsteps: [run.sh]\n");
        Files.writeString(service.resolve("run.sh"), script);
        return ServicePackage.fromDirectory(service);
    }

    @Test
    void theLatestVersionIsTheOneDeployedLastAndDeletingItFallsBackToTheOneBefore() throws Exception {
        ServiceCatalog catalog = new ServiceCatalog();
        ServicePackage v1 = pkg("mailer", "echo 1");
        ServicePackage v2 = pkg("mailer", "echo 2");
        catalog.apply(ServiceCatalog.versionKey("mailer", v2.version()), new ServiceCatalog.DeployedVersion("mailer",
                v2.version(), Instant.parse("2026-01-02T00:00:00Z"), v2).toBytes());
        catalog.apply(ServiceCatalog.versionKey("mailer", v1.version()), new ServiceCatalog.DeployedVersion("mailer",
                v1.version(), Instant.parse("2026-01-01T00:00:00Z"), v1).toBytes());

        assertThat(catalog.services()).containsExactly("mailer");
        assertThat(catalog.latest("mailer").orElseThrow().version()).isEqualTo(v2.version());
        assertThat(catalog.version("mailer", TriggerSpec.LATEST).orElseThrow().version()).isEqualTo(v2.version());
        assertThat(catalog.version("mailer", v1.version()).orElseThrow().pkg().zip()).isEqualTo(v1.zip());

        catalog.apply(ServiceCatalog.versionKey("mailer", v2.version()), null);
        assertThat(catalog.latest("mailer").orElseThrow().version()).isEqualTo(v1.version());
        catalog.apply(ServiceCatalog.versionKey("mailer", v1.version()), null);
        assertThat(catalog.services()).isEmpty();
    }

    @Test
    void triggersAndSecretsAreKeptByKeyAndUnknownKeysAreIgnored() {
        ServiceCatalog catalog = new ServiceCatalog();
        TriggerSpec trigger = TriggerSpec.of("t1", "mailer", "latest", FilterSpec.exact("type", "a.b"));

        assertThat(catalog.apply(ServiceCatalog.triggerKey("t1"), ServiceCatalog.triggerBytes(trigger)))
                .contains(ServiceCatalog.Change.TRIGGER);
        assertThat(catalog.trigger("t1")).contains(trigger);
        SecretBox box = SecretBox.open(null, dir.resolve("k"));
        catalog.apply(ServiceCatalog.secretsKey("mailer"), box.seal("mailer", Map.of("K", "v")).toBytes());
        assertThat(box.open("mailer", catalog.secrets("mailer").orElseThrow())).containsEntry("K", "v");
        assertThat(catalog.apply("something-newer/x", "{}".getBytes(StandardCharsets.UTF_8))).isEmpty();

        catalog.apply(ServiceCatalog.triggerKey("t1"), null);
        assertThat(catalog.triggers()).isEmpty();
    }

    @Test
    void anUnreadableVersionRecordIsRefusedAndLeavesTheViewAsItWas() {
        ServiceCatalog catalog = new ServiceCatalog();

        assertThatThrownBy(() -> catalog.apply(ServiceCatalog.versionKey("x", "v"),
                "{\"service\": \"x\"}".getBytes(StandardCharsets.UTF_8))).isInstanceOf(ServiceException.class);
        assertThat(catalog.services()).isEmpty();
    }
}

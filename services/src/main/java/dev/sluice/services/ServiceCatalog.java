package dev.sluice.services;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.services.trigger.TriggerSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * What {@value ServiceTopics#CATALOG} holds, and an in-memory view of it that the HTTP API and the services engines
 * each build by following the topic. Keys:
 * <ul>
 *   <li>{@code version/<service>/<version>}: a {@link DeployedVersion} (the package zip in base64 and when it was
 *   deployed); a null value removes the version. A service is the set of its versions; its latest is the one deployed
 *   last.</li>
 *   <li>{@code trigger/<id>}: a {@link TriggerSpec} as JSON.</li>
 *   <li>{@code secrets/<service>}: the service's secrets, sealed by a {@link SecretBox}.</li>
 * </ul>
 *
 * <p>Thread-safe: {@link #apply} is called by one follower thread; reads may come from any thread.
 */
public final class ServiceCatalog {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String VERSION = "version/";
    private static final String TRIGGER = "trigger/";
    private static final String SECRETS = "secrets/";

    /** One deployed version of a service. */
    public record DeployedVersion(String service, String version, Instant deployedAt, ServicePackage pkg) {
        public byte[] toBytes() {
            ObjectNode node = JSON.createObjectNode();
            node.put("service", service);
            node.put("version", version);
            node.put("deployedAt", deployedAt.toString());
            node.put("package", Base64.getEncoder().encodeToString(pkg.zip()));
            return node.toString().getBytes(StandardCharsets.UTF_8);
        }

        /** @throws ServiceException when the record or its package is broken */
        public static DeployedVersion fromBytes(byte[] value) {
            try {
                ObjectNode node = (ObjectNode) JSON.readTree(value);
                ServicePackage pkg = ServicePackage.fromZip(Base64.getDecoder().decode(node.get("package").asText()));
                return new DeployedVersion(node.get("service").asText(), node.get("version").asText(),
                        Instant.parse(node.get("deployedAt").asText()), pkg);
            } catch (IOException | RuntimeException e) {
                throw new ServiceException("unreadable deployed version: " + e.getMessage(), e);
            }
        }
    }

    /** What changed, for listeners that rebuild their state (the router, the scheduler). */
    public enum Change { VERSION, TRIGGER, SECRETS }

    private final Map<String, ConcurrentSkipListMap<String, DeployedVersion>> versions = new ConcurrentHashMap<>();
    private final Map<String, TriggerSpec> triggers = new ConcurrentHashMap<>();
    private final Map<String, SecretBox.Sealed> secrets = new ConcurrentHashMap<>();

    public static String versionKey(String service, String version) {
        return VERSION + service + "/" + version;
    }

    public static String triggerKey(String id) {
        return TRIGGER + id;
    }

    public static String secretsKey(String service) {
        return SECRETS + service;
    }

    public static byte[] triggerBytes(TriggerSpec trigger) {
        try {
            return JSON.writeValueAsBytes(trigger);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Applies one record of the topic (a null value deletes).
     *
     * @return what kind of thing changed, or empty for a key this version does not know
     * @throws ServiceException when the value cannot be read (the view is unchanged)
     */
    public Optional<Change> apply(String key, byte[] value) {
        if (key.startsWith(VERSION)) {
            String rest = key.substring(VERSION.length());
            int slash = rest.indexOf('/');
            if (slash <= 0) {
                return Optional.empty();
            }
            String service = rest.substring(0, slash);
            String version = rest.substring(slash + 1);
            if (value == null) {
                versions.computeIfPresent(service, (name, all) -> {
                    all.remove(version);
                    return all.isEmpty() ? null : all;
                });
            } else {
                DeployedVersion deployed = DeployedVersion.fromBytes(value);
                versions.computeIfAbsent(service, name -> new ConcurrentSkipListMap<>()).put(version, deployed);
            }
            return Optional.of(Change.VERSION);
        }
        if (key.startsWith(TRIGGER)) {
            String id = key.substring(TRIGGER.length());
            if (value == null) {
                triggers.remove(id);
            } else {
                triggers.put(id, TriggerSpec.parse(new String(value, StandardCharsets.UTF_8)));
            }
            return Optional.of(Change.TRIGGER);
        }
        if (key.startsWith(SECRETS)) {
            String service = key.substring(SECRETS.length());
            if (value == null) {
                secrets.remove(service);
            } else {
                secrets.put(service, SecretBox.Sealed.fromBytes(value));
            }
            return Optional.of(Change.SECRETS);
        }
        return Optional.empty();
    }

    /** Names of the services with at least one version, sorted. */
    public List<String> services() {
        return versions.keySet().stream().sorted().toList();
    }

    /** A service's versions, the latest (deployed last) first. */
    public List<DeployedVersion> versions(String service) {
        Map<String, DeployedVersion> all = versions.get(service);
        if (all == null) {
            return List.of();
        }
        List<DeployedVersion> list = new ArrayList<>(all.values());
        list.sort(Comparator.comparing(DeployedVersion::deployedAt).thenComparing(DeployedVersion::version)
                .reversed());
        return list;
    }

    /** The version deployed last, if the service has any. */
    public Optional<DeployedVersion> latest(String service) {
        List<DeployedVersion> all = versions(service);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.getFirst());
    }

    /** {@code version} is a version id or {@value TriggerSpec#LATEST}. */
    public Optional<DeployedVersion> version(String service, String version) {
        if (version == null || TriggerSpec.LATEST.equals(version)) {
            return latest(service);
        }
        Map<String, DeployedVersion> all = versions.get(service);
        return all == null ? Optional.empty() : Optional.ofNullable(all.get(version));
    }

    public Collection<TriggerSpec> triggers() {
        return triggers.values();
    }

    public Optional<TriggerSpec> trigger(String id) {
        return Optional.ofNullable(triggers.get(id));
    }

    public Optional<SecretBox.Sealed> secrets(String service) {
        return Optional.ofNullable(secrets.get(service));
    }
}

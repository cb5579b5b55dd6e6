package dev.sluice.broker.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The ACLs, grouped by resource pattern. Each pattern is one record in the {@link MetadataLog}: key
 * {@code acl/<RESOURCE_TYPE>/<PATTERN_TYPE>/<name>} (for example {@code acl/TOPIC/PREFIXED/orders-}), value a JSON
 * array of its entries ({@code principal}, {@code host}, {@code operation}, {@code permission}), or a tombstone once
 * it has none. Appended durably before a change takes effect and replayed at start.
 *
 * <p>Thread-safe: changes are serialised; lookups read a concurrent map of immutable entry sets.
 */
final class AclStore {
    static final String KEY_PREFIX = "acl/";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<Stored>> STORED_LIST = new TypeReference<>() {
    };
    private static final Comparator<Stored> ORDER = Comparator.comparing(Stored::principal)
            .thenComparing(Stored::host).thenComparing(Stored::operation).thenComparing(Stored::permission);

    private record Stored(String principal, String host, String operation, String permission) {
        static Stored of(AccessControlEntry entry) {
            return new Stored(entry.principal(), entry.host(), entry.operation().name(),
                    entry.permissionType().name());
        }

        AccessControlEntry entry() {
            return new AccessControlEntry(principal, host, AclOperation.valueOf(operation),
                    AclPermissionType.valueOf(permission));
        }
    }

    private final MetadataLog metadata;
    private final Map<ResourcePattern, Set<AccessControlEntry>> acls = new ConcurrentHashMap<>();

    AclStore(MetadataLog metadata) {
        this.metadata = metadata;
    }

    /** Applies a replayed metadata record if it is about ACLs. */
    void replayed(String key, String value) {
        if (key.startsWith(KEY_PREFIX)) {
            apply(pattern(key), value);
        }
    }

    /** Every resource pattern with its entries; a live view for the authorizer. */
    Map<ResourcePattern, Set<AccessControlEntry>> all() {
        return acls;
    }

    /** The bindings the filter matches. */
    List<AclBinding> matching(AclBindingFilter filter) {
        List<AclBinding> matching = new ArrayList<>();
        acls.forEach((pattern, entries) -> {
            for (AccessControlEntry entry : entries) {
                AclBinding binding = new AclBinding(pattern, entry);
                if (filter.matches(binding)) {
                    matching.add(binding);
                }
            }
        });
        return matching;
    }

    /** Adds a binding durably; adding one that exists changes nothing. */
    synchronized void add(AclBinding binding) {
        Set<AccessControlEntry> entries = new HashSet<>(acls.getOrDefault(binding.pattern(), Set.of()));
        if (entries.add(binding.entry())) {
            record(binding.pattern(), entries);
        }
    }

    /** Removes every binding the filter matches, durably, and returns them. */
    synchronized List<AclBinding> delete(AclBindingFilter filter) {
        List<AclBinding> deleted = matching(filter);
        Map<ResourcePattern, Set<AccessControlEntry>> changed = new HashMap<>();
        for (AclBinding binding : deleted) {
            changed.computeIfAbsent(binding.pattern(), p -> new HashSet<>(acls.get(p))).remove(binding.entry());
        }
        changed.forEach(this::record);
        return deleted;
    }

    private void record(ResourcePattern pattern, Set<AccessControlEntry> entries) {
        String key = KEY_PREFIX + pattern.resourceType().name() + "/" + pattern.patternType().name() + "/"
                + pattern.name();
        String json;
        try {
            json = entries.isEmpty() ? null
                    : JSON.writeValueAsString(entries.stream().map(Stored::of).sorted(ORDER).toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        metadata.write(key, json);
        apply(pattern, json);
    }

    private void apply(ResourcePattern pattern, String value) {
        if (value == null) {
            acls.remove(pattern);
            return;
        }
        try {
            List<Stored> stored = JSON.readValue(value, STORED_LIST);
            acls.put(pattern, Set.copyOf(stored.stream().map(Stored::entry).toList()));
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("corrupt metadata record for the ACLs of " + pattern, e);
        }
    }

    private static ResourcePattern pattern(String key) {
        // The name comes last: it may itself contain slashes (group names may).
        String[] parts = key.substring(KEY_PREFIX.length()).split("/", 3);
        if (parts.length != 3) {
            throw new IllegalStateException("corrupt metadata key " + key);
        }
        return new ResourcePattern(ResourceType.valueOf(parts[0]), parts[2], PatternType.valueOf(parts[1]));
    }
}

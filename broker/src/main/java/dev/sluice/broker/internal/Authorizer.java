package dev.sluice.broker.internal;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides whether a principal may perform an operation on a resource, with the rules of Kafka's AclAuthorizer:
 * <ul>
 *   <li>the superuser may do everything;</li>
 *   <li>an ACL applies when its pattern matches the resource (LITERAL: the same name or {@code *}; PREFIXED: a
 *       prefix of the name), its principal is the client's or {@code User:*}, and its host the client's IP or
 *       {@code *};</li>
 *   <li>a DENY for the operation (or ALL) wins over any ALLOW;</li>
 *   <li>otherwise an ALLOW is needed, for the operation, ALL, or one implying it: READ, WRITE, DELETE and ALTER imply
 *       DESCRIBE, ALTER_CONFIGS implies DESCRIBE_CONFIGS. Without one the operation is denied (Kafka's
 *       {@code allow.everyone.if.no.acl.found=false}).</li>
 * </ul>
 * When auth is off ({@link #allowAll()}) everything is allowed.
 *
 * <p>Thread-safe: it reads the store's concurrent map.
 */
final class Authorizer {
    private static final Logger LOG = LoggerFactory.getLogger(Authorizer.class);
    private static final Authorizer ALLOW_ALL = new Authorizer(null, null);

    private final AclStore acls;
    private final String superuser;

    /** Enforces the ACLs in {@code acls} for everyone but {@code superuser}. */
    Authorizer(AclStore acls, String superuser) {
        this.acls = acls;
        this.superuser = superuser;
    }

    /** Allows everything: the listener runs without auth. */
    static Authorizer allowAll() {
        return ALLOW_ALL;
    }

    /** Whether ACLs are enforced, which also means connections must authenticate. */
    boolean enforcing() {
        return acls != null;
    }

    boolean allowed(ClientSession session, AclOperation operation, ResourceType type, String name) {
        if (!enforcing()) {
            return true;
        }
        KafkaPrincipal principal = session.principal();
        if (principal == null) {
            return false;
        }
        if (isSuperuser(principal)) {
            return true;
        }
        String user = principal.toString();
        boolean allowed = false;
        for (Map.Entry<ResourcePattern, Set<AccessControlEntry>> acl : acls.all().entrySet()) {
            if (!matches(acl.getKey(), type, name)) {
                continue;
            }
            for (AccessControlEntry entry : acl.getValue()) {
                if (!appliesTo(entry, user, session.host())) {
                    continue;
                }
                if (entry.permissionType() == AclPermissionType.DENY
                        && (entry.operation() == operation || entry.operation() == AclOperation.ALL)) {
                    LOG.debug("{} from {} denied {} on {} {} by {}", user, session.host(), operation, type, name,
                            acl.getKey());
                    return false;
                }
                if (entry.permissionType() == AclPermissionType.ALLOW && implies(entry.operation(), operation)) {
                    allowed = true;
                }
            }
        }
        if (!allowed) {
            LOG.debug("{} from {} has no ACL allowing {} on {} {}", user, session.host(), operation, type, name);
        }
        return allowed;
    }

    /**
     * Whether {@code operation} is allowed on at least one resource of the type, as Kafka's
     * {@code Authorizer.authorizeByResourceType} decides it (InitProducerId for idempotent producers with WRITE on
     * some topic, KIP-679): an ALLOW on a literal name or prefix that no DENY on the same name, a shorter prefix or
     * {@code *} takes back. Implied operations do not count here, as in Kafka.
     */
    boolean allowedOnAny(ClientSession session, AclOperation operation, ResourceType type) {
        if (!enforcing()) {
            return true;
        }
        KafkaPrincipal principal = session.principal();
        if (principal == null) {
            return false;
        }
        if (isSuperuser(principal)) {
            return true;
        }
        String user = principal.toString();
        Set<String> deniedLiterals = new HashSet<>();
        Set<String> deniedPrefixes = new HashSet<>();
        Set<ResourcePattern> allowedPatterns = new HashSet<>();
        for (Map.Entry<ResourcePattern, Set<AccessControlEntry>> acl : acls.all().entrySet()) {
            ResourcePattern pattern = acl.getKey();
            if (pattern.resourceType() != type) {
                continue;
            }
            for (AccessControlEntry entry : acl.getValue()) {
                if (!appliesTo(entry, user, session.host())
                        || (entry.operation() != operation && entry.operation() != AclOperation.ALL)) {
                    continue;
                }
                if (entry.permissionType() == AclPermissionType.DENY) {
                    if (pattern.patternType() == PatternType.LITERAL
                            && pattern.name().equals(ResourcePattern.WILDCARD_RESOURCE)) {
                        return false;
                    }
                    (pattern.patternType() == PatternType.LITERAL ? deniedLiterals : deniedPrefixes)
                            .add(pattern.name());
                } else if (entry.permissionType() == AclPermissionType.ALLOW) {
                    allowedPatterns.add(pattern);
                }
            }
        }
        for (ResourcePattern allowed : allowedPatterns) {
            String name = allowed.name();
            if (allowed.patternType() == PatternType.LITERAL && name.equals(ResourcePattern.WILDCARD_RESOURCE)) {
                return true;
            }
            if (allowed.patternType() == PatternType.LITERAL && deniedLiterals.contains(name)) {
                continue;
            }
            boolean takenBack = false;
            for (int end = 1; end <= name.length() && !takenBack; end++) {
                takenBack = deniedPrefixes.contains(name.substring(0, end));
            }
            if (!takenBack) {
                return true;
            }
        }
        return false;
    }

    private boolean isSuperuser(KafkaPrincipal principal) {
        return KafkaPrincipal.USER_TYPE.equals(principal.getPrincipalType()) && principal.getName().equals(superuser);
    }

    private static boolean matches(ResourcePattern pattern, ResourceType type, String name) {
        if (pattern.resourceType() != type) {
            return false;
        }
        return switch (pattern.patternType()) {
            case LITERAL -> pattern.name().equals(name) || pattern.name().equals(ResourcePattern.WILDCARD_RESOURCE);
            case PREFIXED -> name != null && name.startsWith(pattern.name());
            default -> false;
        };
    }

    private static boolean appliesTo(AccessControlEntry entry, String principal, String host) {
        return (entry.principal().equals(principal) || entry.principal().equals("User:*"))
                && (entry.host().equals(host) || entry.host().equals("*"));
    }

    /** Whether an ALLOW for {@code granted} allows {@code wanted}. */
    private static boolean implies(AclOperation granted, AclOperation wanted) {
        if (granted == wanted || granted == AclOperation.ALL) {
            return true;
        }
        return switch (wanted) {
            case DESCRIBE -> granted == AclOperation.READ || granted == AclOperation.WRITE
                    || granted == AclOperation.DELETE || granted == AclOperation.ALTER;
            case DESCRIBE_CONFIGS -> granted == AclOperation.ALTER_CONFIGS;
            default -> false;
        };
    }
}

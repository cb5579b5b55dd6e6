package dev.sluice.broker.internal;

import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.resource.ResourceType;

/** The ACL filter of a DescribeAcls request or a DeleteAcls filter, which carry the same fields. */
final class AclFilters {
    private AclFilters() {
    }

    /**
     * The filter the fields describe; pattern type MATCH also finds the {@code *} and PREFIXED patterns that would
     * apply to the named resource.
     *
     * @throws InvalidRequestException when a field has an unknown code
     */
    static AclBindingFilter of(byte resourceType, String resourceName, byte patternType, String principal,
                               String host, byte operation, byte permission) {
        AclBindingFilter filter = new AclBindingFilter(
                new ResourcePatternFilter(ResourceType.fromCode(resourceType), resourceName,
                        PatternType.fromCode(patternType)),
                new AccessControlEntryFilter(principal, host, AclOperation.fromCode(operation),
                        AclPermissionType.fromCode(permission)));
        if (filter.isUnknown()) {
            throw new InvalidRequestException("unknown resource type, pattern type, operation or permission in "
                    + filter);
        }
        return filter;
    }
}

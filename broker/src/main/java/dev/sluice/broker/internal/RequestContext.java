package dev.sluice.broker.internal;

import java.net.SocketAddress;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.Resource;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.security.auth.KafkaPrincipal;

/**
 * What a handler knows about the request besides its body, and whom it may serve.
 *
 * @param apiVersion    the request's version
 * @param correlationId the client's id for matching the response
 * @param clientId      the client's self-declared id, possibly null
 * @param remote        the peer's address
 * @param session       the connection's authentication state and principal
 * @param authorizer    the ACL check for the principal's operations
 */
record RequestContext(short apiVersion, int correlationId, String clientId, SocketAddress remote,
                      ClientSession session, Authorizer authorizer) {

    /** The authenticated principal; {@link KafkaPrincipal#ANONYMOUS} when auth is off. */
    KafkaPrincipal principal() {
        return session.principal();
    }

    /** Whether the principal may perform {@code operation} on the named resource. */
    boolean allowed(AclOperation operation, ResourceType type, String name) {
        return authorizer.allowed(session, operation, type, name);
    }

    /** Whether the principal may perform {@code operation} on the cluster. */
    boolean allowedOnCluster(AclOperation operation) {
        return allowed(operation, ResourceType.CLUSTER, Resource.CLUSTER_NAME);
    }

    /** Whether the principal may perform {@code operation} on at least one resource of the type (KIP-679). */
    boolean allowedOnAny(AclOperation operation, ResourceType type) {
        return authorizer.allowedOnAny(session, operation, type);
    }
}

package dev.sluice.broker.internal;

import java.net.SocketAddress;

/**
 * What a handler knows about the request besides its body.
 *
 * @param apiVersion    the request's version
 * @param correlationId the client's id for matching the response
 * @param clientId      the client's self-declared id, possibly null
 * @param remote        the peer's address
 */
record RequestContext(short apiVersion, int correlationId, String clientId, SocketAddress remote) {
}

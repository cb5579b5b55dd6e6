package dev.sluice.control.internal;

import dev.sluice.control.api.Audience;
import dev.sluice.control.api.ClientInfo;
import dev.sluice.control.api.Command;
import io.grpc.stub.StreamObserver;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One registered SDK client: its service name, the audiences it declared, the command stream it listens on, and
 * what it was last sent per audience (so unchanged pipelines are not sent again).
 *
 * <p>Thread-safe. Sends are serialised on the session, because a gRPC stream observer is not.
 */
final class Session {
    private final String id;
    private final String service;
    private final ClientInfo info;
    private final long connectedAtMs;
    private final StreamObserver<Command> commands;
    private final Set<Audience> audiences = ConcurrentHashMap.newKeySet();
    private final Map<String, Object> lastSent = new ConcurrentHashMap<>();
    private volatile long lastHeartbeatMs;
    private volatile boolean closed;

    Session(String id, String service, ClientInfo info, long nowMs, StreamObserver<Command> commands) {
        this.id = id;
        this.service = service;
        this.info = info;
        this.connectedAtMs = nowMs;
        this.lastHeartbeatMs = nowMs;
        this.commands = commands;
    }

    String id() {
        return id;
    }

    String service() {
        return service;
    }

    ClientInfo info() {
        return info;
    }

    long connectedAtMs() {
        return connectedAtMs;
    }

    long lastHeartbeatMs() {
        return lastHeartbeatMs;
    }

    void heartbeat(long nowMs) {
        lastHeartbeatMs = nowMs;
    }

    Set<Audience> audiences() {
        return audiences;
    }

    boolean closed() {
        return closed;
    }

    /** Sends a command unless the session is closed; false when the stream has gone. */
    synchronized boolean send(Command command) {
        if (closed) {
            return false;
        }
        try {
            commands.onNext(command);
            return true;
        } catch (RuntimeException gone) {
            closed = true;
            return false;
        }
    }

    /**
     * Sends an audience's pipelines when they differ from what the session has; {@code content} is what was
     * sent (compared with equals).
     */
    synchronized boolean sendIfChanged(String audienceKey, Object fingerprint, Command command) {
        if (fingerprint.equals(lastSent.get(audienceKey))) {
            return true;
        }
        // No command: the caller answered with the content itself (AddAudience), so only remember it.
        boolean sent = command == null || send(command);
        if (sent) {
            lastSent.put(audienceKey, fingerprint);
        }
        return sent;
    }

    synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            commands.onCompleted();
        } catch (RuntimeException alreadyGone) {
            // the client went first
        }
    }
}

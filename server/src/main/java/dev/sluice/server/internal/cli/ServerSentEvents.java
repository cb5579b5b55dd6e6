package dev.sluice.server.internal.cli;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * Reads a {@code text/event-stream} (the WHATWG Server-Sent Events format) line by line: {@code event:} names the
 * event, {@code data:} lines are joined with newlines, a blank line ends the event, lines starting with {@code :}
 * are comments (servers send them to keep idle connections open). {@code id:} and {@code retry:} only matter for
 * reconnecting, which the CLI does not do, so they are skipped.
 *
 * <p>Not thread-safe: one parser per stream.
 */
public final class ServerSentEvents {
    /** One dispatched event; {@code name} is {@code message} when the server gave none. */
    public record Event(String name, String data) {
    }

    private String name = "";
    private final StringBuilder data = new StringBuilder();
    private boolean hasData;

    /** Feeds one line (without its line break); returns the event it completes, if any. */
    public Optional<Event> accept(String line) {
        if (line.isEmpty()) {
            return dispatch();
        }
        if (line.startsWith(":")) {
            return Optional.empty();
        }
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        switch (field) {
            case "event" -> name = value;
            case "data" -> {
                if (hasData) {
                    data.append('\n');
                }
                data.append(value);
                hasData = true;
            }
            default -> {
                // id, retry and unknown fields: ignored, as the format requires for unknown ones.
            }
        }
        return Optional.empty();
    }

    /** The events in {@code lines}, read lazily; an event cut off by the end of the stream is dropped. */
    public static Iterator<Event> events(Iterator<String> lines) {
        ServerSentEvents parser = new ServerSentEvents();
        return new Iterator<>() {
            private Event next;

            @Override
            public boolean hasNext() {
                while (next == null && lines.hasNext()) {
                    next = parser.accept(lines.next()).orElse(null);
                }
                return next != null;
            }

            @Override
            public Event next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Event event = next;
                next = null;
                return event;
            }
        };
    }

    private Optional<Event> dispatch() {
        // A blank line with no data before it ends nothing (e.g. an event: line alone); the name is reset anyway.
        Optional<Event> event = hasData
                ? Optional.of(new Event(name.isEmpty() ? "message" : name, data.toString()))
                : Optional.empty();
        name = "";
        data.setLength(0);
        hasData = false;
        return event;
    }
}

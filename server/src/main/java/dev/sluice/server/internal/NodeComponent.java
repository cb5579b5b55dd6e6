package dev.sluice.server.internal;

import java.io.IOException;

/**
 * A part of a Sluice node with a lifetime: started in component order and closed in reverse, so a component may use
 * the ones started before it.
 */
public interface NodeComponent extends AutoCloseable {

    /** The name users give {@code sluice start}, such as {@code broker}. */
    String name();

    void start() throws IOException;

    /** Stops the component; must be safe to call when {@link #start()} failed or never ran. */
    @Override
    void close();
}

package dev.sluice.sinks;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Where closed slices wait for their import: a local directory ({@code LocalStaging}) now, S3-compatible storage
 * later. A slice is staged once it is complete and durable locally; {@link #localCopy} gives a path the target can
 * load from.
 */
public interface Staging {

    /** Moves or copies a closed, fsynced slice into staging under {@code key}; durable when this returns. */
    String stage(Path slice, String key) throws IOException;

    /** A local file with the staged slice's bytes. */
    Path localCopy(String key) throws IOException;

    /** Forgets a slice once it is imported (or discarded). */
    void delete(String key) throws IOException;

    /** Forgets everything staged for a sink: at start, unimported slices are derived again from the topic. */
    void clear(String sink) throws IOException;
}

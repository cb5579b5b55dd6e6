package dev.sluice.sinks;

import java.util.List;

/**
 * A sink's state as its writer last saw it: slices and files with their states, counts, lag and the last error.
 * In memory only in this milestone.
 */
public record SinkStatus(String name, String state, long recordsWritten, long rowsImported, long deadLettered,
                         long lag, String lastError, List<Item> files, List<Item> slices) {

    /** A slice or file: its id, state ({@code writing}, {@code closing}, ...), rows and compressed bytes. */
    public record Item(String id, String state, long rows, long bytes) {
    }
}

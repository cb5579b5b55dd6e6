package dev.sluice.broker.internal;

/**
 * Hands out producer ids that are never reused, even across restarts: ids come in blocks, and the end of each block
 * is recorded in the metadata log before any id in it is handed out.
 *
 * <p>Thread-safe.
 */
final class ProducerIds {
    static final String KEY = "producer-ids";
    private static final long BLOCK = 1000;

    private final MetadataLog metadata;
    private long next;
    private long blockEnd;

    ProducerIds(MetadataLog metadata) {
        this.metadata = metadata;
    }

    /** Applies a replayed metadata record if it is the producer id block. */
    void replayed(String key, String value) {
        if (KEY.equals(key) && value != null) {
            blockEnd = Long.parseLong(value.trim());
            next = blockEnd;
        }
    }

    synchronized long nextId() {
        if (next >= blockEnd) {
            long end = blockEnd + BLOCK;
            metadata.write(KEY, Long.toString(end));
            next = blockEnd;
            blockEnd = end;
        }
        return next++;
    }
}

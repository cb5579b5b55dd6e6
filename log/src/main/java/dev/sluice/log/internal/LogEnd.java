package dev.sluice.log.internal;

/**
 * A point in the log: the offset after the last batch, the segment holding that batch, and the byte position after
 * it in that segment. Published as a whole so readers see a consistent offset and position.
 */
record LogEnd(long offset, Segment segment, int position) {
}

package dev.sluice.log;

/** The first record at or after a searched timestamp: its timestamp and its offset. */
public record TimestampOffset(long timestamp, long offset) {
}

package dev.sluice.log;

/**
 * Where an append landed.
 *
 * @param baseOffset     offset of the first record appended
 * @param lastOffset     offset of the last record appended
 * @param logStartOffset the log start offset when the append completed
 */
public record AppendResult(long baseOffset, long lastOffset, long logStartOffset) {
}

package dev.sluice.services.internal.exec;

import dev.sluice.services.CapturedOutput;
import java.nio.charset.StandardCharsets;

/**
 * Keeps the last {@code limit} bytes written to it and counts all of them, so a step that prints gigabytes costs a
 * bounded amount of memory and its log still ends with the part that explains the failure. Thread-safe.
 */
final class TailBuffer {
  private final byte[] ring;
  private long total;

  TailBuffer(int limit) {
    this.ring = new byte[limit];
  }

  synchronized void write(byte[] bytes, int offset, int length) {
    int limit = ring.length;
    if (limit == 0) {
      total += length;
      return;
    }
    // Only the last `limit` bytes of this chunk can survive.
    int skip = Math.max(0, length - limit);
    for (int i = offset + skip; i < offset + length; i++) {
      ring[(int) (total + i - offset) % limit] = bytes[i];
    }
    total += length;
  }

  synchronized CapturedOutput captured() {
    int limit = ring.length;
    boolean truncated = total > limit;
    int size = (int) Math.min(total, limit);
    byte[] tail = new byte[size];
    int start = truncated ? (int) (total % limit) : 0;
    for (int i = 0; i < size; i++) tail[i] = ring[(start + i) % limit];
    String text = new String(tail, StandardCharsets.UTF_8);
    if (truncated) text = "[truncated: kept the last " + limit + " of " + total + " bytes]\n" + text;
    return new CapturedOutput(text, total, truncated);
  }
}

package dev.sluice.services;

/**
 * What a step wrote to one of its output streams, keeping only the tail when it wrote more than the runner's limit.
 *
 * @param text       UTF-8 decoded; the last bytes when truncated
 * @param totalBytes how many bytes the step wrote
 */
public record CapturedOutput(String text, long totalBytes, boolean truncated) {
  public static final CapturedOutput EMPTY = new CapturedOutput("", 0, false);
}

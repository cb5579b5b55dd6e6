package dev.sluice.pipelines.internal.transform;

/** What a splicing transform does to one value, given its bytes in the payload. */
interface Rewrite {
    /** Whether it acts on the strings and numbers inside objects and arrays rather than on them whole. */
    boolean leaves();

    /**
     * The bytes to put in place of {@code payload[start, end)}, or null to leave the value as it is.
     *
     * @param kind       the value's {@link dev.sluice.pipelines.internal.json.Spans} kind
     * @param codePoints for a string, the code points of its unescaped text
     * @throws dev.sluice.pipelines.internal.StepError when the transform cannot handle that kind of value
     */
    byte[] rewrite(byte[] payload, int start, int end, byte kind, int codePoints);
}

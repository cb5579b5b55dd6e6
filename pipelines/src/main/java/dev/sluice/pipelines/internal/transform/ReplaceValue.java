package dev.sluice.pipelines.internal.transform;

/** {@code replace_value}: whatever the value is, it becomes the given JSON (written once, at compile time). */
final class ReplaceValue implements Rewrite {
    private final byte[] replacement;

    ReplaceValue(byte[] replacement) {
        this.replacement = replacement;
    }

    @Override
    public boolean leaves() {
        return false;
    }

    @Override
    public byte[] rewrite(byte[] payload, int start, int end, byte kind, int codePoints) {
        return replacement;
    }
}

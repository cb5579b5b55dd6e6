package dev.sluice.server.internal.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A plain-text table for terminals: columns padded to their widest cell, two spaces apart, numbers right-aligned so
 * offsets and sizes line up by digit.
 *
 * <p>Not thread-safe.
 */
final class Table {
    private final List<String> headers;
    private final List<List<String>> rows = new ArrayList<>();

    Table(String... headers) {
        this.headers = List.of(headers);
    }

    Table row(Object... cells) {
        if (cells.length != headers.size()) {
            throw new IllegalArgumentException("expected " + headers.size() + " cells, got " + cells.length);
        }
        rows.add(Arrays.stream(cells).map(String::valueOf).toList());
        return this;
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    /** The table, one line per row after the header line, each ending with a line break. */
    String render() {
        int columns = headers.size();
        int[] widths = new int[columns];
        boolean[] numeric = new boolean[columns];
        for (int c = 0; c < columns; c++) {
            widths[c] = headers.get(c).length();
            numeric[c] = !rows.isEmpty();
            for (List<String> row : rows) {
                widths[c] = Math.max(widths[c], row.get(c).length());
                numeric[c] &= row.get(c).matches("-?[0-9]+");
            }
        }
        StringBuilder text = new StringBuilder();
        appendLine(text, headers, widths, numeric);
        rows.forEach(row -> appendLine(text, row, widths, numeric));
        return text.toString();
    }

    /**
     * The rows without the header line: for a FIELD/VALUE list, whose header would only read FIELD VALUE above lines
     * that explain themselves. Columns are as wide as in {@link #render()}.
     */
    String renderRows() {
        String table = render();
        return table.substring(table.indexOf('\n') + 1);
    }

    private static void appendLine(StringBuilder text, List<String> cells, int[] widths, boolean[] numeric) {
        StringBuilder line = new StringBuilder();
        for (int c = 0; c < cells.size(); c++) {
            String cell = cells.get(c);
            String padding = " ".repeat(widths[c] - cell.length());
            if (c > 0) {
                line.append("  ");
            }
            line.append(numeric[c] ? padding + cell : cell + padding);
        }
        text.append(line.toString().stripTrailing()).append('\n');
    }
}

package dev.sluice.sinks.internal;

import dev.sluice.sinks.SinkStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A sink's live status, written by its writer and importer and read by anyone: slices and files by state, counters,
 * lag and the last error. Imported items are kept for a while (the last {@value #KEEP_IMPORTED}) so status shows them.
 *
 * <p>Thread-safe.
 */
final class StatusBoard {
    private static final int KEEP_IMPORTED = 20;

    private final String name;
    private final SinkMeters meters;
    private final Map<String, SinkStatus.Item> slices = new ConcurrentHashMap<>();
    private final Map<String, SinkStatus.Item> files = new ConcurrentHashMap<>();
    private final ConcurrentLinkedDeque<String> importedSlices = new ConcurrentLinkedDeque<>();
    private final ConcurrentLinkedDeque<String> importedFiles = new ConcurrentLinkedDeque<>();
    final AtomicLong recordsWritten = new AtomicLong();
    final AtomicLong rowsImported = new AtomicLong();
    final AtomicLong deadLettered = new AtomicLong();
    volatile long lag;
    volatile String lastError;
    volatile String state = "starting";

    StatusBoard(String name, SinkMeters meters) {
        this.name = name;
        this.meters = meters;
    }

    // The counters below move the sink's meters with the status, so the two never disagree.

    void written() {
        recordsWritten.incrementAndGet();
        meters.recordsWritten.increment();
    }

    void deadLettered() {
        deadLettered.incrementAndGet();
        meters.deadLettered.increment();
    }

    void imported(long rows) {
        rowsImported.addAndGet(rows);
        meters.rowsImported.increment(rows);
    }

    void slice(String id, String state, long rows, long bytes) {
        slices.put(id, new SinkStatus.Item(id, state, rows, bytes));
        if (state.equals("imported")) {
            keep(importedSlices, slices, id);
        }
    }

    void file(String id, String state, long rows, long bytes) {
        files.put(id, new SinkStatus.Item(id, state, rows, bytes));
        if (state.equals("imported")) {
            keep(importedFiles, files, id);
        }
    }

    private static void keep(ConcurrentLinkedDeque<String> imported, Map<String, SinkStatus.Item> items, String id) {
        imported.addLast(id);
        while (imported.size() > KEEP_IMPORTED) {
            String old = imported.pollFirst();
            if (old != null) {
                items.remove(old);
            }
        }
    }

    /** Forgets the items not imported: they were discarded and will be derived again from the topic. */
    void discardUnimported() {
        slices.values().removeIf(item -> !item.state().equals("imported"));
        files.values().removeIf(item -> !item.state().equals("imported"));
    }

    SinkStatus snapshot() {
        List<SinkStatus.Item> fileList = new ArrayList<>(files.values());
        List<SinkStatus.Item> sliceList = new ArrayList<>(slices.values());
        fileList.sort(java.util.Comparator.comparing(SinkStatus.Item::id));
        sliceList.sort(java.util.Comparator.comparing(SinkStatus.Item::id));
        return new SinkStatus(name, state, recordsWritten.get(), rowsImported.get(), deadLettered.get(), lag,
                lastError, fileList, sliceList);
    }
}

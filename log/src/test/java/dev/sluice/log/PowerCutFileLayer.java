package dev.sluice.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A file layer that behaves like a disk losing power: {@link #cut} forgets every write not yet forced, and every
 * file whose directory entry was not yet forced, and may leave a torn tail of partly written data or garbage.
 *
 * <p>Writes through memory maps are invisible to it; the log's indexes are rebuilt from segments when in doubt, so
 * the cut treats an index like any other file: its forced length survives, the rest may not.
 */
public final class PowerCutFileLayer implements FileLayer {

    private static final class FileState {
        /**
         * Updated by max and min, atomically: the log's committer and its writer force the same file at once (a
         * group commit of a segment racing the seal that rolls it), and a plain read-modify-write let the slower,
         * older fsync put back a shorter length, so the cut dropped data that had been forced.
         */
        final AtomicLong durableLength;
        volatile boolean entryDurable;

        FileState(long durableLength, boolean entryDurable) {
            this.durableLength = new AtomicLong(durableLength);
            this.entryDurable = entryDurable;
        }
    }

    private record PendingMove(Path from, Path to, byte[] previousTarget) {
    }

    private final Map<Path, FileState> states = new ConcurrentHashMap<>();
    private final List<PendingMove> moves = new ArrayList<>();
    private final Set<TrackingChannel> open = ConcurrentHashMap.newKeySet();
    private volatile boolean powerLost;
    /** What the cut did to each file, for a failing test to show. */
    private final List<String> cutReport = new ArrayList<>();
    /** Channel operations hold it shared; the cut holds it exclusively, so no write or fsync straddles the cut. */
    private final java.util.concurrent.locks.ReentrantReadWriteLock power =
            new java.util.concurrent.locks.ReentrantReadWriteLock();

    @Override
    public FileChannel open(Path path, OpenOption... options) throws IOException {
        power.readLock().lock();
        try {
            return openPowered(path, options);
        } finally {
            power.readLock().unlock();
        }
    }

    private FileChannel openPowered(Path path, OpenOption... options) throws IOException {
        checkPower();
        Path key = path.toAbsolutePath().normalize();
        boolean existed = Files.exists(key);
        FileChannel channel = FileChannel.open(key, options);
        FileState state = states.computeIfAbsent(key, k -> new FileState(existed ? sizeOf(k) : 0, existed));
        if (!existed) {
            state.entryDurable = false;
            state.durableLength.set(0);
        }
        for (OpenOption option : options) {
            if (option == StandardOpenOption.TRUNCATE_EXISTING) {
                state.durableLength.set(0);
            }
        }
        TrackingChannel tracking = new TrackingChannel(channel, state);
        open.add(tracking);
        return tracking;
    }

    private static long sizeOf(Path path) {
        try {
            return Files.size(path);
        } catch (IOException e) {
            return 0;
        }
    }

    @Override
    public void syncDirectory(Path directory) throws IOException {
        power.readLock().lock();
        try {
            syncDirectoryPowered(directory);
        } finally {
            power.readLock().unlock();
        }
    }

    private void syncDirectoryPowered(Path directory) throws IOException {
        checkPower();
        FileLayer.SYSTEM.syncDirectory(directory);
        Path dir = directory.toAbsolutePath().normalize();
        states.forEach((path, state) -> {
            if (dir.equals(path.getParent())) {
                state.entryDurable = true;
            }
        });
        synchronized (moves) {
            moves.removeIf(move -> dir.equals(move.to().getParent()));
        }
    }

    @Override
    public void move(Path from, Path to) throws IOException {
        power.readLock().lock();
        try {
            movePowered(from, to);
        } finally {
            power.readLock().unlock();
        }
    }

    private void movePowered(Path from, Path to) throws IOException {
        checkPower();
        Path source = from.toAbsolutePath().normalize();
        Path target = to.toAbsolutePath().normalize();
        byte[] previous = Files.exists(target) ? Files.readAllBytes(target) : null;
        FileLayer.SYSTEM.move(source, target);
        FileState moved = states.remove(source);
        if (moved != null) {
            // The content that was forced under the old name is what the new name holds once the rename lands.
            states.put(target, new FileState(moved.durableLength.get(), true));
        }
        synchronized (moves) {
            moves.add(new PendingMove(source, target, previous));
        }
    }

    @Override
    public void delete(Path path) throws IOException {
        power.readLock().lock();
        try {
            checkPower();
            FileLayer.SYSTEM.delete(path);
            states.remove(path.toAbsolutePath().normalize());
        } finally {
            power.readLock().unlock();
        }
    }

    private void checkPower() throws IOException {
        if (powerLost) {
            throw new IOException("power lost");
        }
    }

    /**
     * Loses power: from now on every operation through this layer fails, and the files are put in a state the disk
     * could be in after the cut.
     */
    public void cut(Random random) throws IOException {
        power.writeLock().lock();
        try {
            cutLocked(random);
        } finally {
            power.writeLock().unlock();
        }
    }

    private void cutLocked(Random random) throws IOException {
        powerLost = true;
        for (TrackingChannel channel : open) {
            channel.kill();
        }
        List<PendingMove> unsynced;
        synchronized (moves) {
            unsynced = new ArrayList<>(moves);
        }
        for (int i = unsynced.size() - 1; i >= 0; i--) {
            PendingMove move = unsynced.get(i);
            cutReport.add(move.to().getFileName() + ": unsynced rename from " + move.from().getFileName()
                    + " undone");
            if (move.previousTarget() == null) {
                Files.deleteIfExists(move.to());
            } else {
                Files.write(move.to(), move.previousTarget());
            }
            states.remove(move.to());
        }
        for (Map.Entry<Path, FileState> entry : states.entrySet()) {
            Path path = entry.getKey();
            FileState state = entry.getValue();
            if (!Files.exists(path)) {
                continue;
            }
            if (!state.entryDurable) {
                cutReport.add(path.getFileName() + ": entry not synced, deleted");
                Files.delete(path);
                continue;
            }
            long actual = Files.size(path);
            long durable = Math.min(state.durableLength.get(), actual);
            String name = path.getFileName().toString();
            StringBuilder report = new StringBuilder(name).append(": durable ").append(state.durableLength.get())
                    .append(" of ").append(actual);
            if (name.endsWith(".index") || name.endsWith(".timeindex")) {
                // Indexes may be mapped by the dead process, so their length stays; their unforced part is junk.
                cutReport.add(report.toString());
                if (actual > durable && random.nextBoolean()) {
                    byte[] junk = new byte[(int) Math.min(actual - durable, 4096)];
                    random.nextBytes(junk);
                    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE)) {
                        channel.write(ByteBuffer.wrap(junk), durable);
                    }
                }
                continue;
            }
            long kept = durable;
            if (actual > durable && random.nextBoolean()) {
                // Some of the unforced data reached the platter before the power went.
                kept = durable + random.nextLong(actual - durable + 1);
            }
            report.append(", kept ").append(kept);
            try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE)) {
                channel.truncate(kept);
                if (kept > durable && random.nextInt(3) == 0) {
                    // A torn write: the last sector holds garbage or zeros.
                    int torn = (int) Math.min(kept - durable, 1 + random.nextInt(512));
                    byte[] junk = new byte[torn];
                    if (random.nextBoolean()) {
                        random.nextBytes(junk);
                    }
                    channel.write(ByteBuffer.wrap(junk), kept - torn);
                    report.append(", last ").append(torn).append(" bytes torn");
                }
            }
            cutReport.add(report.toString());
        }
    }

    /** What the cut did to each file it knew: deleted, renames undone, durable and kept lengths. */
    public List<String> cutReport() {
        return List.copyOf(cutReport);
    }

    /** A channel that records how much of its file is forced, and dies with the power. */
    private final class TrackingChannel extends FileChannel {
        private final FileChannel delegate;
        private final FileState state;
        private volatile boolean dead;

        TrackingChannel(FileChannel delegate, FileState state) {
            this.delegate = delegate;
            this.state = state;
        }

        void kill() {
            dead = true;
        }

        private void alive() throws IOException {
            if (dead) {
                throw new IOException("power lost");
            }
        }

        private interface Op<T> {
            T run() throws IOException;
        }

        /** Runs an operation while the power is on: the cut waits for it, or it fails after the cut. */
        private <T> T powered(Op<T> op) throws IOException {
            power.readLock().lock();
            try {
                alive();
                return op.run();
            } finally {
                power.readLock().unlock();
            }
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return powered(() -> delegate.read(dst));
        }

        @Override
        public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
            return powered(() -> delegate.read(dsts, offset, length));
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            return powered(() -> delegate.write(src));
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            return powered(() -> delegate.write(srcs, offset, length));
        }

        @Override
        public long position() throws IOException {
            return delegate.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            delegate.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return delegate.size();
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            powered(() -> {
                delegate.truncate(size);
                state.durableLength.accumulateAndGet(size, Math::min);
                return null;
            });
            return this;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            powered(() -> {
                // Only what was written before the fsync started is covered by it.
                long covered = delegate.size();
                delegate.force(metaData);
                state.durableLength.accumulateAndGet(covered, Math::max);
                return null;
            });
        }

        @Override
        public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
            return powered(() -> delegate.transferTo(position, count, target));
        }

        @Override
        public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
            return powered(() -> delegate.transferFrom(src, position, count));
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return powered(() -> delegate.read(dst, position));
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            return powered(() -> delegate.write(src, position));
        }

        @Override
        public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
            return powered(() -> delegate.map(mode, position, size));
        }

        @Override
        public java.lang.foreign.MemorySegment map(MapMode mode, long offset, long size, java.lang.foreign.Arena arena)
                throws IOException {
            return powered(() -> delegate.map(mode, offset, size, arena));
        }

        @Override
        public FileLock lock(long position, long size, boolean shared) throws IOException {
            return delegate.lock(position, size, shared);
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return delegate.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            open.remove(this);
            delegate.close();
        }
    }
}

package dev.sluice.benchmarks;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Control;

/**
 * Bytes moved by a benchmark thread. JMH reports the field as a rate next to the op rate ({@code bytes}, in bytes
 * per second, summed over threads), so throughput in MB/s comes straight from the JSON instead of being derived in
 * the script from an assumed batch size.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class ByteCounter {
    public long bytes;

    @Setup(Level.Iteration)
    public void reset() {
        // JMH does not reset auxiliary counters between iterations.
        bytes = 0;
    }

    /**
     * Counts {@code n} bytes if the iteration is being measured. JMH keeps calling the benchmark while it waits for
     * all threads to start and stop an iteration, and does not count those calls as ops; counting their bytes
     * would inflate the rate by a few percent.
     */
    void add(Control control, long n) {
        if (control.startMeasurement && !control.stopMeasurement) {
            bytes += n;
        }
    }
}

package dev.sluice.server.internal;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The meter registry of one node: Prometheus, every series tagged {@code node=<node.name>}, with the JVM's and the
 * process's meters bound (memory, GC, threads, class loading, CPU, uptime, file descriptors, JVM version). The
 * components add theirs; the HTTP component serves it all at {@code /metrics}.
 *
 * <p>Thread-safe.
 */
public final class NodeMetrics implements AutoCloseable {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();

    /** Binds the JVM's and the process's meters; joined before the registry closes. */
    private final Thread jvmBinding;

    public NodeMetrics(String nodeName) {
        // Common tags first: they apply to meters registered after them.
        registry.config().commonTags("node", nodeName);
        // The binders load and initialise the JDK's management classes, about 0.15 s of a start on this VM's cores;
        // on their own thread they overlap with the components' start instead of delaying the listeners. The meters
        // appear in /metrics a moment after start; the registry is thread-safe.
        jvmBinding = Thread.ofPlatform().name("sluice-jvm-metrics").daemon().start(this::bindJvmMeters);
    }

    private void bindJvmMeters() {
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new JvmInfoMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    @Override
    public void close() {
        try {
            jvmBinding.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        gc.close();
        registry.close();
    }
}

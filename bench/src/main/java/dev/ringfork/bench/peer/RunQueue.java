package dev.ringfork.bench.peer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The calling thread's scheduler account from {@code /proc/thread-self/schedstat}: nanoseconds run on a
 * CPU and nanoseconds spent runnable but waiting for one. On this 2-vCPU machine a spinning consumer
 * that waits for a CPU is sharing one with its producer or with someone else's process, and its figure
 * says more about the machine than the ring: the harness reports that share beside each rate.
 *
 * @param cpuNanos  time on a CPU
 * @param waitNanos time runnable, waiting for a CPU
 */
record RunQueue(long cpuNanos, long waitNanos) {

    private static final Path SELF = Path.of("/proc/thread-self/schedstat");

    /** The account now, or zeros where there is no schedstat (not Linux, or schedstats off). */
    static RunQueue now() {
        try {
            String[] fields = Files.readString(SELF).trim().split(" ");
            return new RunQueue(Long.parseLong(fields[0]), Long.parseLong(fields[1]));
        } catch (IOException | RuntimeException e) {
            return new RunQueue(0, 0);
        }
    }

    /** RESULT fields for the time since {@code start}: CPU and wait nanoseconds. */
    String since(RunQueue start) {
        return "cpu_ns=" + (cpuNanos - start.cpuNanos) + " wait_ns=" + (waitNanos - start.waitNanos);
    }
}

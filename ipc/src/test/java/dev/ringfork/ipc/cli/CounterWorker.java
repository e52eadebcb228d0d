package dev.ringfork.ipc.cli;

import dev.ringfork.core.memory.SharedRegion;
import dev.ringfork.core.sync.SharedInt;

/**
 * A worker for {@code ringfork run} in {@link CliRunIT}: checks that the properties and the environment agree,
 * then adds 10,000 to the SharedInt "counter" of the region it was told about, one getAndAdd at a time.
 */
public final class CounterWorker {

    static final int INCREMENTS = 10_000;

    private CounterWorker() {
    }

    public static void main(String[] args) {
        String index = System.getProperty("ringfork.worker.index");
        String count = System.getProperty("ringfork.worker.count");
        String region = System.getProperty("ringfork.region");
        if (!index.equals(System.getenv("RINGFORK_WORKER_INDEX")) || !count.equals(System.getenv("RINGFORK_WORKER_COUNT"))
                || !region.equals(System.getenv("RINGFORK_REGION"))) {
            System.err.println("properties and environment disagree");
            System.exit(5);
        }
        try (SharedRegion shared = SharedRegion.open(region)) {
            SharedInt counter = shared.sharedInt("counter");
            for (int i = 0; i < INCREMENTS; i++) {
                counter.getAndAdd(1);
            }
        }
        System.out.println("worker " + index + " of " + count + " added " + INCREMENTS + " in " + region
                + " args=" + String.join(",", args));
    }
}

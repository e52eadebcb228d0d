package com.example.sample;

import dev.ringfork.core.memory.RegionOptions;
import dev.ringfork.core.memory.SharedRegion;
import dev.ringfork.core.sync.SharedLong;
import dev.ringfork.ipc.channel.SharedQueue;
import dev.ringfork.ipc.codec.Codec;
import dev.ringfork.ipc.pool.ProcessPool;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A small program of a Ringfork user: worker JVMs of a pool measure "sensors" and send their readings to
 * the parent through a SharedQueue of records, counting them in a SharedLong. Checks its results and exits
 * non-zero when one is wrong.
 */
public final class Main {

    /** Sent through the queue with a record codec: no serialization. */
    public record Reading(String sensor, int value) {
    }

    public static void main(String[] args) throws Exception {
        String name = "sample-" + ProcessHandle.current().pid();
        try (SharedRegion region = SharedRegion.openOrCreate(name, RegionOptions.defaults().withSize(4 << 20));
             ProcessPool pool = ProcessPool.builder().workers(2).build()) {
            SharedQueue<Reading> readings = SharedQueue.open(region, "readings", Codec.record(Reading.class));
            SharedLong count = region.sharedLong("count");

            List<Integer> squares = pool.map(x -> x * x, List.of(1, 2, 3, 4));
            System.out.println("squares " + squares);

            List<Long> pids = pool.map(sensor -> measure(name, sensor), List.of("a", "b", "c"));
            List<Reading> received = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Reading reading = readings.poll(30, TimeUnit.SECONDS);
                if (reading == null) {
                    throw new AssertionError("reading " + i + " did not arrive within 30 s");
                }
                received.add(reading);
            }
            received.sort(Comparator.comparing(Reading::sensor));
            System.out.println("readings " + received);
            System.out.println("count " + count.get());
            boolean inWorkers = pids.stream().noneMatch(pid -> pid == ProcessHandle.current().pid());
            System.out.println("measured in worker JVMs " + inWorkers);
            if (!squares.equals(List.of(1, 4, 9, 16)) || count.get() != 3 || !inWorkers) {
                throw new AssertionError("wrong results");
            }
        } finally {
            SharedRegion.unlink(name);
        }
    }

    /** Runs in a worker JVM: opens the parent's region by name and sends one reading. */
    static long measure(String regionName, String sensor) {
        try (SharedRegion region = SharedRegion.open(regionName)) {
            SharedQueue<Reading> readings = SharedQueue.open(region, "readings", Codec.record(Reading.class));
            readings.put(new Reading(sensor, sensor.charAt(0) - 'a' + 10));
            region.sharedLong("count").incrementAndGet();
            readings.detach();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return ProcessHandle.current().pid();
    }
}

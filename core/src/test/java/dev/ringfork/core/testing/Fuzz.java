package dev.ringfork.core.testing;

import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * A seeded fuzzer: runs a trial many times, each with its own {@link Random} seeded from one base seed,
 * and on a failure names the seed that replays it. {@code -Dringfork.fuzz.tries=N} sets how many trials
 * (1000 by default; scripts/soak asks for more), {@code -Dringfork.fuzz.seed=S} the base seed (random by
 * default). A trial returns a short label of what happened; the counts are printed at the end.
 */
public final class Fuzz {

    public static final int TRIES = Integer.getInteger("ringfork.fuzz.tries", 1000);
    public static final long SEED = Long.getLong("ringfork.fuzz.seed", System.nanoTime());

    /** One trial: generate from {@code random}, run, check; returns what happened, for the counts. */
    @FunctionalInterface
    public interface Trial {
        String run(Random random) throws Exception;
    }

    private Fuzz() {
    }

    /** Runs {@link #TRIES} trials of {@code trial}; fails on the first one that fails, naming its seed. */
    public static Map<String, Integer> run(String name, Trial trial) {
        Map<String, Integer> outcomes = new TreeMap<>();
        for (int i = 0; i < TRIES; i++) {
            long seed = SEED + i;
            try {
                outcomes.merge(trial.run(new Random(seed)), 1, Integer::sum);
            } catch (Throwable t) {
                throw new AssertionError(name + ": trial " + i + " of " + TRIES + " failed; replay it with"
                        + " -Dringfork.fuzz.seed=" + seed + " -Dringfork.fuzz.tries=1: " + t, t);
            }
        }
        System.out.println(name + ": " + TRIES + " trials from seed " + SEED + ": " + outcomes);
        return outcomes;
    }

    /** One of {@code values}. */
    @SafeVarargs
    public static <T> T pick(Random random, T... values) {
        return values[random.nextInt(values.length)];
    }

    /** A long from {@code min} (inclusive) to {@code max} (exclusive). */
    public static long between(Random random, long min, long max) {
        return min + (long) (random.nextDouble() * (max - min));
    }
}

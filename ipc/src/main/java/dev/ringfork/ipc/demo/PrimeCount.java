package dev.ringfork.ipc.demo;

/** The demo's CPU-bound work (also the pool benchmarks'): counting primes by trial division, block by block. */
public final class PrimeCount {

    private PrimeCount() {
    }

    /** Primes in [from, to). */
    public static long count(long from, long to) {
        long count = 0;
        for (long n = Math.max(2, from); n < to; n++) {
            if (isPrime(n)) {
                count++;
            }
        }
        return count;
    }

    public static boolean isPrime(long n) {
        if (n < 4) {
            return n >= 2;
        }
        if ((n & 1) == 0) {
            return false;
        }
        for (long d = 3; d * d <= n; d += 2) {
            if (n % d == 0) {
                return false;
            }
        }
        return true;
    }
}

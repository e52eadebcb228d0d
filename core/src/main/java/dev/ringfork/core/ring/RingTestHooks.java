package dev.ringfork.core.ring;

/**
 * Points in the ring protocols where a test (in this package, in a child JVM) can stop a process: after
 * an MPMC consumer announced where it reads, after a multi-producer writer moved the tail. Null, and a
 * plain static read, outside tests.
 */
final class RingTestHooks {

    static Runnable afterAnnounce;
    static Runnable afterTailClaim;

    private RingTestHooks() {
    }

    static void afterAnnounce() {
        Runnable hook = afterAnnounce;
        if (hook != null) {
            hook.run();
        }
    }

    static void afterTailClaim() {
        Runnable hook = afterTailClaim;
        if (hook != null) {
            hook.run();
        }
    }
}

package dev.ringfork.core.ring;

/**
 * Points in the ring protocols where a test (in this package, in a child JVM) can stop a process: after
 * an MPMC consumer announced where it reads, after a multi-producer writer moved the tail, after a single
 * consumer zeroed what it read and before it moved the head. Null, and a
 * plain static read, outside tests.
 */
final class RingTestHooks {

    static Runnable afterAnnounce;
    static Runnable afterTailClaim;
    static Runnable beforeHeadRelease;

    private RingTestHooks() {
    }

    static void afterAnnounce() {
        Runnable hook = afterAnnounce;
        if (hook != null) {
            hook.run();
        }
    }

    static void beforeHeadRelease() {
        Runnable hook = beforeHeadRelease;
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

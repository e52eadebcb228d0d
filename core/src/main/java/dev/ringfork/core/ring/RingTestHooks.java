package dev.ringfork.core.ring;

/**
 * Points in the ring protocols where a test (in this package, usually in a child JVM it then kills) can
 * stop a thread or a process. Outside tests every hook is null: one array read per point.
 */
final class RingTestHooks {

    /** Where a hook can run. */
    enum Point {
        /** MPMC consumer: after announcing where it reads, before re-checking the head. */
        AFTER_ANNOUNCE,
        /** MPMC consumer: its end and phase TAKING are stored, before the head compare-and-set. */
        BEFORE_HEAD_CAS,
        /** MPMC consumer, partial release: the delivered part is zeroed, the rest not yet marked held. */
        WHILE_KEEPING_REST,
        /** Multi-producer writer: the claim is announced, before the tail compare-and-set. */
        BEFORE_TAIL_CAS,
        /** Any writer: the tail covers the claim, before its header is written. */
        AFTER_TAIL_CLAIM,
        /** Single consumer: done with what it read (MPSC: and zeroed it), before the head moves past it. */
        BEFORE_HEAD_RELEASE,
        /** A reader padding a dead writer's unwritten claim: before its compare-and-set of the header. */
        BEFORE_PAD_CAS,
        /** Recoverer of a dead MPMC consumer's slot: it holds the slot (RECOVERING), before settling it. */
        WHILE_RECOVERING,
        /** Recoverer of a slot that died taking: between its first look at the ring and its last. */
        RECOVERING_TAKING_MIDWAY,
    }

    private static final Runnable[] HOOKS = new Runnable[Point.values().length];

    private RingTestHooks() {
    }

    /** Runs {@code hook} at {@code point} from now on (null: nothing). */
    static void set(Point point, Runnable hook) {
        HOOKS[point.ordinal()] = hook;
    }

    static void at(Point point) {
        Runnable hook = HOOKS[point.ordinal()];
        if (hook != null) {
            hook.run();
        }
    }
}

package dev.ringfork.core.sync;

/**
 * The shared-memory form of a {@link SharedCondition}: one 128-byte line (its words are touched together).
 *
 * <pre>
 *   0 +-----------------------+-----------------------+
 *     | sequence (4, futex)   | sleepers (4)          |
 *   8 +-----------------------+-----------------------+  COUNTS_OFFSET: one 8-byte word, CASed whole
 *     | waiters (4, low half) | tokens (4, high half) |
 *  16 +-----------------------------------------------+
 *     | unused to the end of the line                 |
 * 128 +-----------------------------------------------+
 * </pre>
 *
 * <p><b>waiters</b>: threads registered to wait (a waiter registers while it holds the lock, before it
 * releases it). <b>tokens</b>: signals given and not yet taken; a signal adds one only while there are
 * more waiters than tokens, and a waiter leaves by taking a token (signalled) or, at its deadline or on
 * an interrupt, by unregistering. Both change in one compare-and-set of the 8-byte word, so a signal and a
 * leaving waiter cannot both count the same token. <b>sequence</b> is bumped (volatile) after every
 * signal's token: a waiter about to sleep on the value it read before looking for a token either sees the
 * token or finds the word changed, so no signal given after it released the lock is lost.
 * <b>sleepers</b> is the {@link FutexSleepers} count, so a signal with nobody asleep makes no syscall.
 *
 * <p>A waiter killed while registered stays counted: a later signal may give it a token nobody takes at
 * once, which a later waiter takes as a spurious wake-up (allowed, as for every condition variable).
 */
public final class ConditionLayout {

    public static final int LENGTH = 128;
    public static final long SEQUENCE_OFFSET = 0;
    public static final long SLEEPERS_OFFSET = SEQUENCE_OFFSET + Integer.BYTES;
    public static final long COUNTS_OFFSET = SLEEPERS_OFFSET + Integer.BYTES;

    private ConditionLayout() {
    }

    /** The waiters in a counts word. */
    static int waitersOf(long counts) {
        return (int) counts;
    }

    /** The tokens in a counts word. */
    static int tokensOf(long counts) {
        return (int) (counts >>> 32);
    }

    /** A counts word. */
    static long counts(int waiters, int tokens) {
        return (long) tokens << 32 | waiters & 0xFFFF_FFFFL;
    }
}

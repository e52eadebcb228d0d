package dev.ringfork.ipc.cli;

import dev.ringfork.core.memory.SlotKind;

/** What {@code ringfork stat} read from one named slot of a region: a snapshot, written by nobody. */
sealed interface StatSlot permits StatSlot.Value, StatSlot.Lock, StatSlot.Waitable, StatSlot.Bytes,
        StatSlot.Unreadable, StatSlot.Described, StatRing {

    String name();

    /** An INT or LONG slot. */
    record Value(String name, SlotKind kind, long value) implements StatSlot {
    }

    /** A LOCK slot: owner pid 0 when free. */
    record Lock(String name, long ownerPid, boolean ownerAlive, boolean waiters, int ownerDeaths) implements StatSlot {
    }

    /** A SEMAPHORE (value = free permits) or EVENT (value 1 = set, 0 = clear) slot. */
    record Waitable(String name, SlotKind kind, int value, int sleepers) implements StatSlot {
    }

    /** A BYTES slot that holds no ring. */
    record Bytes(String name, long size) implements StatSlot {
    }

    /** A BYTES slot with a ring's magic whose header does not check out. */
    record Unreadable(String name, String problem) implements StatSlot {
    }

    /** Any other kind (double, reentrant lock, condition, barrier, arrays...): its state in words. */
    record Described(String name, SlotKind kind, String state) implements StatSlot {
    }
}

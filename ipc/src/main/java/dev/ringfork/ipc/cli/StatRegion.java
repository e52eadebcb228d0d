package dev.ringfork.ipc.cli;

import dev.ringfork.core.memory.SharedRegion;
import dev.ringfork.core.memory.SlotInfo;
import dev.ringfork.core.memory.SlotKind;
import dev.ringfork.core.sync.SharedEvent;
import dev.ringfork.core.sync.SharedLock;
import dev.ringfork.core.sync.SharedReentrantLock;
import dev.ringfork.core.sync.SharedSemaphore;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One region as {@code ringfork stat NAME} shows it: its header and every slot, in creation order.
 * Slots are attached by name ({@code region.lock(name)} on an existing slot only reads it), rings through
 * their layout ({@link StatRing}); nothing is written. {@code nanos} is when it was read
 * ({@link System#nanoTime()}), for rates.
 */
record StatRegion(String name, Path file, String layoutVersion, long size, long creatorPid, boolean creatorAlive,
                  List<StatSlot> slots, long nanos) {

    static StatRegion read(SharedRegion region) {
        List<StatSlot> slots = new ArrayList<>();
        for (SlotInfo info : region.slots()) {
            slots.add(slot(region, info));
        }
        StatHeaderFile header = StatHeaderFile.read(region.file());
        return new StatRegion(region.name(), region.file(), header == null ? "?" : header.version(), region.size(),
                region.creatorPid(), region.isCreatorAlive(), List.copyOf(slots), System.nanoTime());
    }

    private static StatSlot slot(SharedRegion region, SlotInfo info) {
        String name = info.name();
        return switch (info.kind()) {
            case INT -> new StatSlot.Value(name, SlotKind.INT, region.sharedInt(name).get());
            case LONG -> new StatSlot.Value(name, SlotKind.LONG, region.sharedLong(name).get());
            case LOCK -> {
                SharedLock lock = region.lock(name);
                yield new StatSlot.Lock(name, lock.ownerPid(), lock.isOwnerAlive(), lock.hasSleepers(), lock.ownerDeaths());
            }
            case SEMAPHORE -> {
                SharedSemaphore semaphore = region.semaphore(name, 0); // the 0 applies only to a new slot
                yield new StatSlot.Waitable(name, SlotKind.SEMAPHORE, semaphore.availablePermits(), semaphore.sleepers());
            }
            case EVENT -> {
                SharedEvent event = region.event(name);
                yield new StatSlot.Waitable(name, SlotKind.EVENT, event.isSet() ? 1 : 0, event.sleepers());
            }
            case BYTES -> StatRing.read(name, region.existingBytes(name).orElseThrow());
            case DOUBLE -> new StatSlot.Described(name, SlotKind.DOUBLE, "value " + region.sharedDouble(name).get());
            case REENTRANT_LOCK -> {
                SharedReentrantLock lock = region.reentrantLock(name);
                yield new StatSlot.Described(name, SlotKind.REENTRANT_LOCK, (lock.isLocked() ? "owner " + lock.ownerPid()
                        : "free") + ", owner deaths " + lock.ownerDeaths());
            }
            case BOUNDED_SEMAPHORE, CONDITION, BARRIER, INT_ARRAY, LONG_ARRAY, DOUBLE_ARRAY ->
                    new StatSlot.Described(name, info.kind(), "size " + info.length());
        };
    }

    /** The rings among the slots. */
    List<StatRing> rings() {
        return slots.stream().filter(StatRing.class::isInstance).map(StatRing.class::cast).toList();
    }
}

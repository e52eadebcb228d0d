package dev.ringfork.core.memory;

import dev.ringfork.core.internal.MappedFiles;
import dev.ringfork.core.internal.ProcessIdentity;
import dev.ringfork.core.sync.ArrayLayout;
import dev.ringfork.core.sync.BarrierLayout;
import dev.ringfork.core.sync.ConditionLayout;
import dev.ringfork.core.sync.LockLayout;
import dev.ringfork.core.sync.ReentrantLockLayout;
import dev.ringfork.core.sync.SemaphoreLayout;
import dev.ringfork.core.sync.SharedBarrier;
import dev.ringfork.core.sync.SharedCondition;
import dev.ringfork.core.sync.SharedDouble;
import dev.ringfork.core.sync.SharedDoubleArray;
import dev.ringfork.core.sync.SharedEvent;
import dev.ringfork.core.sync.SharedInt;
import dev.ringfork.core.sync.SharedIntArray;
import dev.ringfork.core.sync.SharedLock;
import dev.ringfork.core.sync.SharedLong;
import dev.ringfork.core.sync.SharedLongArray;
import dev.ringfork.core.sync.SharedReentrantLock;
import dev.ringfork.core.sync.SharedSemaphore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A named block of shared memory, backed by a file in a private per-user directory and mapped into
 * every process that opens it. Processes find values in it by name:
 * <pre>{@code
 * try (SharedRegion region = SharedRegion.openOrCreate("jobs")) {
 *     SharedInt done = region.sharedInt("done");      // created on first use, attached after
 *     SharedLock lock = region.lock("books");
 *     lock.lock();
 *     try { done.incrementAndGet(); } finally { lock.unlock(); }
 * }
 * }</pre>
 *
 * <p>The file starts with a {@link RegionLayout} header; {@code open} checks it before use and throws
 * {@link RegionFormatException}, {@link RegionPermissionException} or {@link RegionNotFoundException}
 * naming the file and the fix. {@link #close()} unmaps at once; values taken from a closed region throw
 * {@link IllegalStateException} instead of touching unmapped memory. The file stays until
 * {@link #unlink(String)} (like {@code shm_unlink}) or {@link #sweep(RegionOptions)}. If something
 * truncates the file under a live mapping, touching memory past the new end throws
 * {@link RegionTruncatedException} (see there for JIT-compiled callers).
 *
 * <p>Thread-safe: one region object may be shared by all threads of a process.
 */
public final class SharedRegion implements AutoCloseable {

    private final String name;
    private final Path file;
    private final Arena arena;
    private final MemorySegment segment;
    private final SlotTable slots;

    private SharedRegion(String name, Path file, Arena arena, MemorySegment segment) {
        this.name = name;
        this.file = file;
        this.arena = arena;
        this.segment = segment;
        MappedFiles.register(segment, file); // faults on this memory name the file (RegionTruncatedException)
        this.slots = new SlotTable(segment, name, file);
    }

    /** Creates a region with default options. */
    public static SharedRegion create(String name) {
        return create(name, RegionOptions.defaults());
    }

    /**
     * Creates a region; the file is mode 0600 in {@link RegionOptions#directory()}.
     *
     * @throws RegionExistsException if a region of that name exists
     */
    public static SharedRegion create(String name, RegionOptions options) {
        SharedRegion region = tryCreate(name, options);
        if (region == null) {
            throw new RegionExistsException("Region " + name + " already exists in " + options.directory()
                    + ": open it (SharedRegion.open/openOrCreate) or unlink it first");
        }
        return region;
    }

    /** Opens an existing region with default options. */
    public static SharedRegion open(String name) {
        return open(name, RegionOptions.defaults());
    }

    /**
     * Opens an existing region, checking its permissions and header; waits up to
     * {@link RegionOptions#openTimeout()} for its creator to mark it ready.
     */
    public static SharedRegion open(String name, RegionOptions options) {
        Path file = file(name, options);
        Arena arena = Arena.ofShared();
        try {
            return new SharedRegion(name, file, arena, RegionMapper.open(file, options, arena));
        } catch (RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    /** Opens the region, or creates it if it does not exist, with default options. */
    public static SharedRegion openOrCreate(String name) {
        return openOrCreate(name, RegionOptions.defaults());
    }

    /** Opens the region, or creates it if it does not exist; safe when several processes race to do so. */
    public static SharedRegion openOrCreate(String name, RegionOptions options) {
        for (int attempt = 0; ; attempt++) {
            try {
                return open(name, options);
            } catch (RegionNotFoundException notFound) {
                SharedRegion created = tryCreate(name, options);
                if (created != null) {
                    return created;
                }
                if (attempt > 10) {
                    throw notFound; // created and deleted under our feet, repeatedly
                }
            }
        }
    }

    /** Deletes the region's file from the default directory; processes that map it keep their mapping. */
    public static boolean unlink(String name) {
        return unlink(name, RegionOptions.defaults());
    }

    /** Deletes the region's file; returns false if there was none. */
    public static boolean unlink(String name, RegionOptions options) {
        try {
            return Files.deleteIfExists(file(name, options));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete region " + name + ": " + e.getMessage(), e);
        }
    }

    /**
     * Deletes the regions in the options' directory whose creator process is dead and that no live
     * process maps, and the half-created files of dead creators. Never deletes a file in use.
     *
     * @return the files deleted
     */
    public static List<Path> sweep(RegionOptions options) {
        return RegionSweeper.sweep(options.directory(), false);
    }

    /** What {@link #sweep} would delete, deleting nothing. */
    public static List<Path> sweepCandidates(RegionOptions options) {
        return RegionSweeper.sweep(options.directory(), true);
    }

    /**
     * The names of the files in the options' directory that some live process (this one included) maps
     * now, read from {@code /proc/<pid>/maps}; empty if mappings cannot be seen (no {@code /proc}).
     * A snapshot, for tools such as {@code ringfork stat}.
     */
    public static Optional<Set<String>> mappedRegionNames(RegionOptions options) {
        return Optional.ofNullable(RegionSweeper.mappedNames(options.directory()));
    }

    /** The shared int in slot {@code slot}, created with value 0 if absent. */
    public SharedInt sharedInt(String slot) {
        return sharedInt(slot, 0);
    }

    /** The shared int in slot {@code slot}; {@code initialValue} is used only if this call creates it. */
    public SharedInt sharedInt(String slot, int initialValue) {
        long offset = slots.attachOrCreate(slot, SlotKind.INT, Integer.BYTES, RegionLayout.LINE,
                data -> data.set(ValueLayout.JAVA_INT, 0, initialValue));
        return SharedInt.at(segment, offset);
    }

    /** The shared long in slot {@code slot}, created with value 0 if absent. */
    public SharedLong sharedLong(String slot) {
        return sharedLong(slot, 0L);
    }

    /** The shared long in slot {@code slot}; {@code initialValue} is used only if this call creates it. */
    public SharedLong sharedLong(String slot, long initialValue) {
        long offset = slots.attachOrCreate(slot, SlotKind.LONG, Long.BYTES, RegionLayout.LINE,
                data -> data.set(ValueLayout.JAVA_LONG, 0, initialValue));
        return SharedLong.at(segment, offset);
    }

    /** The shared double in slot {@code slot} ({@code multiprocessing.Value('d')}), created as 0.0 if absent. */
    public SharedDouble sharedDouble(String slot) {
        return sharedDouble(slot, 0.0);
    }

    /** The shared double in slot {@code slot}; {@code initialValue} is used only if this call creates it. */
    public SharedDouble sharedDouble(String slot, double initialValue) {
        long offset = slots.attachOrCreate(slot, SlotKind.DOUBLE, Double.BYTES, RegionLayout.LINE,
                data -> data.set(ValueLayout.JAVA_DOUBLE, 0, initialValue));
        return SharedDouble.at(segment, offset);
    }

    /**
     * The int array in slot {@code slot} ({@code multiprocessing.Array('i', length)}), created zeroed if absent.
     *
     * @throws IllegalStateException if the slot holds an array of another length or type
     */
    public SharedIntArray intArray(String slot, int length) {
        return SharedIntArray.at(segment, array(slot, SlotKind.INT_ARRAY, length, Integer.BYTES), length, name + "/" + slot);
    }

    /** The long array in slot {@code slot}, created zeroed if absent; see {@link #intArray}. */
    public SharedLongArray longArray(String slot, int length) {
        return SharedLongArray.at(segment, array(slot, SlotKind.LONG_ARRAY, length, Long.BYTES), length, name + "/" + slot);
    }

    /** The double array in slot {@code slot}, created zeroed if absent; see {@link #intArray}. */
    public SharedDoubleArray doubleArray(String slot, int length) {
        return SharedDoubleArray.at(segment, array(slot, SlotKind.DOUBLE_ARRAY, length, Double.BYTES), length,
                name + "/" + slot);
    }

    /** The robust lock in slot {@code slot}, created unlocked if absent. */
    public SharedLock lock(String slot) {
        long offset = slots.attachOrCreate(slot, SlotKind.LOCK, LockLayout.LENGTH, RegionLayout.LINE, data -> { });
        return SharedLock.at(segment, offset, name + "/" + slot);
    }

    /** The robust reentrant lock in slot {@code slot} ({@code multiprocessing.RLock}), created unlocked if absent. */
    public SharedReentrantLock reentrantLock(String slot) {
        long offset = slots.attachOrCreate(slot, SlotKind.REENTRANT_LOCK, ReentrantLockLayout.LENGTH, RegionLayout.LINE,
                data -> { });
        return SharedReentrantLock.at(segment, offset, name + "/" + slot);
    }

    /** The condition in slot {@code slot} ({@code multiprocessing.Condition}), bound to {@code lock}. */
    public SharedCondition condition(String slot, SharedLock lock) {
        return SharedCondition.at(segment, conditionSlot(slot), lock, name + "/" + slot);
    }

    /** The condition in slot {@code slot}, bound to the reentrant {@code lock}. */
    public SharedCondition condition(String slot, SharedReentrantLock lock) {
        return SharedCondition.at(segment, conditionSlot(slot), lock, name + "/" + slot);
    }

    /**
     * The barrier in slot {@code slot} ({@code multiprocessing.Barrier}) for {@code parties} parties.
     *
     * @throws IllegalStateException if the slot holds a barrier for another number of parties
     */
    public SharedBarrier barrier(String slot, int parties) {
        if (parties < 1 || parties > BarrierLayout.MAX_PARTIES) {
            throw new IllegalArgumentException("parties must be 1 to " + BarrierLayout.MAX_PARTIES + ", was " + parties);
        }
        long offset = slots.attachOrCreate(slot, SlotKind.BARRIER, BarrierLayout.LENGTH, RegionLayout.LINE,
                data -> SharedBarrier.initialise(data, parties));
        SharedBarrier barrier = SharedBarrier.at(segment, offset, name + "/" + slot);
        if (barrier.parties() != parties) {
            throw new IllegalStateException("slot '" + slot + "' of region " + name + " holds a barrier for "
                    + barrier.parties() + " parties, not " + parties + ": use the same number or another name");
        }
        return barrier;
    }

    /** The semaphore in slot {@code slot}; {@code initialPermits} is used only if this call creates it. */
    public SharedSemaphore semaphore(String slot, int initialPermits) {
        if (initialPermits < 0) {
            throw new IllegalArgumentException("initialPermits must not be negative, was " + initialPermits);
        }
        long offset = slots.attachOrCreate(slot, SlotKind.SEMAPHORE, SemaphoreLayout.LENGTH, RegionLayout.LINE,
                data -> SemaphoreLayout.initialise(data, initialPermits, false));
        return SharedSemaphore.at(segment, offset);
    }

    /**
     * The bounded semaphore in slot {@code slot} ({@code multiprocessing.BoundedSemaphore}): created with
     * {@code permits} free, and releasing past {@code permits} throws {@link IllegalStateException}.
     *
     * @throws IllegalStateException if the slot holds a bounded semaphore with another bound
     */
    public SharedSemaphore boundedSemaphore(String slot, int permits) {
        if (permits < 1) {
            throw new IllegalArgumentException("a bounded semaphore needs at least 1 permit, was " + permits);
        }
        long offset = slots.attachOrCreate(slot, SlotKind.BOUNDED_SEMAPHORE, SemaphoreLayout.LENGTH, RegionLayout.LINE,
                data -> SemaphoreLayout.initialise(data, permits, true));
        SharedSemaphore semaphore = SharedSemaphore.at(segment, offset);
        if (semaphore.bound() != permits) {
            throw new IllegalStateException("slot '" + slot + "' of region " + name + " holds a semaphore bounded at "
                    + semaphore.bound() + " permits, not " + permits + ": use the same bound or another name");
        }
        return semaphore;
    }

    /** The event in slot {@code slot}, created clear if absent. */
    public SharedEvent event(String slot) {
        long offset = slots.attachOrCreate(slot, SlotKind.EVENT, SemaphoreLayout.LENGTH, RegionLayout.LINE, data -> { });
        return SharedEvent.at(segment, offset);
    }

    /**
     * Raw shared bytes in slot {@code slot}: {@code length} bytes aligned to {@code alignment} (a power of
     * two; at least 128 is used), zeroed when created. For structures built on regions, such as rings.
     */
    public MemorySegment bytes(String slot, long length, long alignment) {
        return bytes(slot, length, alignment, data -> { });
    }

    /**
     * Like {@link #bytes(String, long, long)}, but a newly created slot is given to {@code initialiser}
     * (zeroed) before any other process can see it, so structures built on it need no ready flag.
     */
    public MemorySegment bytes(String slot, long length, long alignment, Consumer<MemorySegment> initialiser) {
        if (length < 1) {
            throw new IllegalArgumentException("length must be positive, was " + length);
        }
        if (Long.bitCount(alignment) != 1) {
            throw new IllegalArgumentException("alignment must be a power of two, was " + alignment);
        }
        Objects.requireNonNull(initialiser, "initialiser");
        long offset = slots.attachOrCreate(slot, SlotKind.BYTES, length, Math.max(alignment, RegionLayout.LINE), initialiser);
        return segment.asSlice(offset, length);
    }

    /** The raw bytes of an existing slot, whatever its length, or empty if there is no such slot. */
    public Optional<MemorySegment> existingBytes(String slot) {
        SlotTable.encode(slot); // validates the name
        return slots.list().stream()
                .filter(info -> info.kind() == SlotKind.BYTES && info.name().equals(slot))
                .findFirst()
                .map(info -> segment.asSlice(info.offset(), info.length()));
    }

    /** The slots created so far, in creation order. */
    public List<SlotInfo> slots() {
        return slots.list();
    }

    public String name() {
        return name;
    }

    /** The backing file. */
    public Path file() {
        return file;
    }

    /** Mapped size in bytes. */
    public long size() {
        return segment.byteSize();
    }

    /** The pid of the process that created the region. */
    public long creatorPid() {
        return creator().pid();
    }

    /** Whether the creating process still runs (pid and start time both match). */
    public boolean isCreatorAlive() {
        return creator().isAlive();
    }

    private ProcessIdentity creator() {
        try {
            return new ProcessIdentity(segment.get(ValueLayout.JAVA_LONG, RegionLayout.CREATOR_PID_OFFSET),
                    segment.get(ValueLayout.JAVA_LONG, RegionLayout.CREATOR_START_OFFSET));
        } catch (InternalError e) {
            throw MappedFiles.fault(e, segment);
        }
    }

    /** Deletes this region's file; this mapping and others stay valid until closed. */
    public boolean unlink() {
        try {
            return Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete region " + name + ": " + e.getMessage(), e);
        }
    }

    /** Unmaps the region now. Later use of its values throws {@link IllegalStateException}. Idempotent. */
    @Override
    public synchronized void close() {
        if (arena.scope().isAlive()) {
            MappedFiles.unregister(segment);
            arena.close();
        }
    }

    @Override
    public String toString() {
        return "SharedRegion[" + name + ", " + file + ", " + segment.byteSize() + " bytes]";
    }

    private long conditionSlot(String slot) {
        return slots.attachOrCreate(slot, SlotKind.CONDITION, ConditionLayout.LENGTH, RegionLayout.LINE, data -> { });
    }

    /**
     * The offset of the array slot {@code slot}: an existing one of this kind as it is (its length is
     * checked by the caller, with a message naming both lengths), else attached or created.
     */
    private long array(String slot, SlotKind kind, int length, int elementBytes) {
        long bytes = ArrayLayout.bytes(length, elementBytes);
        SlotInfo existing = slots.existing(slot);
        if (existing != null && existing.kind() == kind) {
            return existing.offset();
        }
        return slots.attachOrCreate(slot, kind, bytes, RegionLayout.LINE,
                data -> ArrayLayout.initialise(data, length, elementBytes));
    }

    private static SharedRegion tryCreate(String name, RegionOptions options) {
        Path file = file(name, options);
        Arena arena = Arena.ofShared();
        try {
            MemorySegment segment = RegionMapper.create(file, options, arena);
            if (segment == null) {
                arena.close();
                return null;
            }
            return new SharedRegion(name, file, arena, segment);
        } catch (RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    private static Path file(String name, RegionOptions options) {
        Objects.requireNonNull(options, "options");
        return RegionFiles.ensureDirectory(options.directory()).resolve(RegionFiles.validateName(name));
    }
}

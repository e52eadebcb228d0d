package dev.ringfork.core.ring;

import dev.ringfork.core.internal.FileMappings;
import dev.ringfork.core.internal.MappedFiles;
import dev.ringfork.core.internal.ProcessIdentity;
import dev.ringfork.core.memory.SharedRegion;
import dev.ringfork.core.sync.Doorbell;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Optional;

import static dev.ringfork.core.ring.RecordLayout.PADDING;
import static dev.ringfork.core.ring.RecordLayout.aligned;
import static dev.ringfork.core.ring.RecordLayout.length;
import static dev.ringfork.core.ring.RecordLayout.type;
import static dev.ringfork.core.ring.RingLayout.INT;
import static dev.ringfork.core.ring.RingLayout.LONG;

/**
 * A ring buffer of variable-length messages in a named slot of a {@link SharedRegion}, shared by every
 * process that opens it: {@link SpscRing}, {@link MpscRing} or {@link MpmcRing}. Write with a
 * {@link #producer()}, read with a {@link #consumer()}; messages are written and read in place.
 * See {@link RingLayout} and {@link RecordLayout} for the memory format.
 */
public abstract sealed class Ring permits SpscRing, MpscRing, MpmcRing {

    static final ProcessIdentity SELF = ProcessIdentity.current();
    static final int SELF_PID = (int) SELF.pid();
    private static final MemorySegment ZEROS = Arena.global().allocate(64 * 1024, 4096);

    final String name;
    final String regionName;
    final RingKind kind;
    final MemorySegment ring;
    final MemorySegment buffer;
    final int capacity;
    final int maxMessageLength;
    final int producerSlots;
    final int consumerSlots;
    final RingOptions options;
    final long stallTimeoutNanos;
    final Doorbell dataBell;
    final Doorbell spaceBell;
    final RingIntegrity integrity;
    final ProducerTable producers;
    final ConsumerTable consumers;
    /** The region file's inode: a process that does not map it cannot be writing this ring. */
    private final long fileInode;

    Ring(SharedRegion region, String name, RingKind kind, RingOptions options) {
        this(slot(region, name, kind, options), region.name(), FileMappings.inode(region.file()), name, kind, options);
    }

    /** A ring over memory already laid out by {@link RingLayout#initialise} (tests, stress harnesses). */
    Ring(MemorySegment ring, String regionName, long fileInode, String name, RingKind kind, RingOptions options) {
        RingLayout.verify(ring, kind, name);
        this.name = name;
        this.regionName = regionName;
        this.kind = kind;
        this.options = options;
        this.ring = ring;
        this.fileInode = fileInode;
        this.capacity = (int) INT.get(ring, RingLayout.CAPACITY_OFFSET);
        this.maxMessageLength = (int) INT.get(ring, RingLayout.MAX_MESSAGE_OFFSET);
        this.producerSlots = (int) INT.get(ring, RingLayout.PRODUCER_SLOTS_OFFSET);
        this.consumerSlots = (int) INT.get(ring, RingLayout.CONSUMER_SLOTS_OFFSET);
        this.buffer = ring.asSlice(RingLayout.bufferOffset(producerSlots, consumerSlots), capacity);
        this.stallTimeoutNanos = options.stallTimeout().toNanos();
        this.dataBell = Doorbell.at(ring, RingLayout.DATA_DOORBELL_OFFSET);
        this.spaceBell = Doorbell.at(ring, RingLayout.SPACE_DOORBELL_OFFSET);
        this.integrity = new RingIntegrity(this);
        this.producers = new ProducerTable(this);
        this.consumers = new ConsumerTable(this);
    }

    /** Lays a new ring of {@code kind} out in {@code memory} (zeroed, at least {@link RingLayout#totalLength} bytes). */
    static void initialise(MemorySegment memory, RingKind kind, RingOptions options) {
        int[] slots = RingLayout.slots(kind, options);
        RingLayout.initialise(memory, kind, options.capacity(), slots[0], slots[1]);
    }

    /** A new producer for this ring (see each kind for how many may exist). */
    public abstract RingProducer producer();

    /** A new consumer for this ring (see each kind for how many may exist). */
    public abstract RingConsumer consumer();

    /**
     * Closes the ring for writing: consumers drain everything claimed before the close (waiting for its
     * commit), then see the end of the stream; later writes throw {@link RingClosedException}. Any
     * process may close an MPSC or MPMC ring; close an SPSC ring from its producer's thread, or after the
     * producer stopped, since its claims are not fenced against a close from elsewhere.
     */
    public void close() {
        // Volatile: ordered after every commit of this thread; consumers re-check for data after seeing it.
        INT.setVolatile(ring, RingLayout.CLOSED_OFFSET, 1);
        dataBell.ring();
        spaceBell.ring();
    }

    /**
     * Wakes consumers asleep in a read, so that one waiting with an extra condition
     * ({@link RingConsumer#read(MessageHandler, int, long, java.util.concurrent.TimeUnit, java.util.function.BooleanSupplier)})
     * re-checks it. Costs a read when nobody sleeps.
     */
    public void wakeConsumers() {
        dataBell.ring();
    }

    /**
     * True if a committed message waits at the head, for a consumer's next read, or (MPMC) a dead
     * consumer's messages wait to be adopted: a snapshot that reads no message and moves nothing. For a
     * waiter on several rings at once (with {@link #dataDoorbell()}); false while the next record is
     * still being written, also by a writer that died at it, until a consumer's read reclaims it.
     */
    public boolean hasMessageWaiting() {
        try {
            if (consumers.hasOrphans()) {
                return true;
            }
            for (int attempt = 0; attempt < 100; attempt++) {
                long head = (long) LONG.getVolatile(ring, RingLayout.HEAD_OFFSET);
                Boolean waiting = committedFrom(head);
                if ((long) LONG.getVolatile(ring, RingLayout.HEAD_OFFSET) == head && waiting != null) {
                    return waiting;
                }
            }
            return true; // the head keeps moving: consumers are busy; let the caller look with a read
        } catch (InternalError e) {
            throw MappedFiles.fault(e, ring);
        }
    }

    /** Whether a committed message follows {@code position} (past padding); null if what it saw is implausible. */
    private Boolean committedFrom(long position) {
        for (long end = position + capacity; position - end < 0; ) {
            // Acquire: pairs with the producer's release store of the header (its commit).
            long header = (long) LONG.getAcquire(buffer, (long) ((int) position & (capacity - 1)));
            int length = length(header);
            if (length <= 0) {
                return false;
            }
            if (type(header) != PADDING) {
                return true;
            }
            if (RecordLayout.problem(header, (int) position & (capacity - 1), capacity, maxMessageLength) != null) {
                return null; // a stale word under a head that moved meanwhile (or corruption: a read reports it)
            }
            position += aligned(length);
        }
        return false;
    }

    /**
     * The doorbell consumers sleep on until a message is committed (or the ring closes): producers ring
     * it after each commit when someone sleeps. For a waiter on several rings at once; see
     * {@link dev.ringfork.core.sync.DoorbellSet}.
     */
    public Doorbell dataDoorbell() {
        return dataBell;
    }

    public boolean isClosed() {
        return (int) INT.getVolatile(ring, RingLayout.CLOSED_OFFSET) != 0;
    }

    /**
     * The closed flag for a producer's early check before it claims (the check that orders a claim against
     * a close is {@link AbstractProducer#checkStillOpen}). Acquire: pairs with the volatile store in
     * {@link #close()}; an SPSC ring is closed from its producer's own thread, so for it this check is the
     * only one needed.
     */
    final boolean closedFlag() {
        return (int) INT.getAcquire(ring, RingLayout.CLOSED_OFFSET) != 0;
    }

    /** The corruption found in this ring by any process, if any (see {@link RingCorruptedException}). */
    public Optional<RingCorruptedException> corruption() {
        try {
            integrity.check();
            return Optional.empty();
        } catch (RingCorruptedException e) {
            return Optional.of(e);
        }
    }

    public String name() {
        return name;
    }

    public RingKind kind() {
        return kind;
    }

    /** Buffer bytes. */
    public int capacity() {
        return capacity;
    }

    /** The longest message this ring takes. */
    public int maxMessageLength() {
        return maxMessageLength;
    }

    /** Bytes claimed by producers and not yet taken by consumers (a snapshot). */
    public long backlogBytes() {
        long head = consumedPosition();
        return Math.max(0, claimedPosition() - head);
    }

    /**
     * How far producers have claimed space (a snapshot): every message claimed before this call lies
     * below this position. With {@link #consumedPosition()} it tells when everything a producer wrote
     * before some event has been read.
     */
    public long claimedPosition() {
        return (long) LONG.getVolatile(ring, RingLayout.TAIL_OFFSET);
    }

    /**
     * How far consumers have taken (a snapshot): every record below this position was read or skipped.
     * A single consumer moves it at the end of each {@link RingConsumer#read} call.
     */
    public long consumedPosition() {
        return (long) LONG.getVolatile(ring, RingLayout.HEAD_OFFSET);
    }

    /** Records skipped because their writer died mid-write (since the ring was created). */
    public long unblockedRecords() {
        return (long) LONG.getVolatile(ring, RingLayout.UNBLOCKED_OFFSET);
    }

    /**
     * Messages dropped after being handed to consumers that died {@value ConsumerTable#MAX_DELIVERIES}
     * times while holding them (MPMC; a poison message), since the ring was created.
     */
    public long lostMessages() {
        return (long) LONG.getVolatile(ring, RingLayout.LOST_OFFSET);
    }

    /**
     * Messages handed back for delivery again because the consumer holding them died, or its handler
     * threw before reaching them (MPMC), since the ring was created.
     */
    public long redeliveredMessages() {
        return (long) LONG.getVolatile(ring, RingLayout.REDELIVERED_OFFSET);
    }

    /** Consumers asleep waiting for data now (a snapshot). */
    public int sleepingConsumers() {
        return dataBell.sleepers();
    }

    /** Producers asleep waiting for room now (a snapshot). */
    public int sleepingProducers() {
        return spaceBell.sleepers();
    }

    @Override
    public String toString() {
        return kind + " ring '" + name + "' (" + capacity + " bytes, backlog " + backlogBytes() + ")";
    }

    /**
     * The position below which every byte is free for producers; {@code tail} is a tail the caller read
     * before (MPMC rings use it to tell stale announcements from holders).
     */
    long freePosition(long tail) {
        // Acquire: pairs with the consumer's release of the head (after reading, and for MPSC and MPMC
        // zeroing, the space it frees).
        return (long) LONG.getAcquire(ring, RingLayout.HEAD_OFFSET);
    }

    /** Single consumer: zeroes [from, to) and moves the head there, giving the space back. */
    void release(long from, long to) {
        zero(from, to);
        RingTestHooks.at(RingTestHooks.Point.BEFORE_HEAD_RELEASE);
        // Release: publishes the zeroing; pairs with freePosition's acquire.
        LONG.setRelease(ring, RingLayout.HEAD_OFFSET, to);
        spaceBell.ring();
    }

    /**
     * SPSC: moves the head to {@code to}, giving the space below it back as it is: the producer zeroes
     * the header words it needs zero ({@link SingleProducer}).
     */
    void releaseUnzeroed(long to) {
        RingTestHooks.at(RingTestHooks.Point.BEFORE_HEAD_RELEASE);
        // Release: the handler's reads of the records below are done before the producer may reuse their
        // space; pairs with freePosition's acquire.
        LONG.setRelease(ring, RingLayout.HEAD_OFFSET, to);
        spaceBell.ring();
    }

    /**
     * Zeroes [from, to), the header word at {@code from} last: a process that finds that header still
     * set knows the space after it may not be zero yet (see {@link ConsumerTable#recover}).
     */
    void zero(long from, long to) {
        if (to - from <= RecordLayout.HEADER_LENGTH) {
            zeroSpan(from, to);
            return;
        }
        zeroSpan(from + RecordLayout.HEADER_LENGTH, to);
        // Release: the zeroing above is visible before the header reads zero; pairs with the acquire
        // (volatile) read of that header by a recoverer deciding whether the range was finished.
        LONG.setRelease(buffer, (long) ((int) from & (capacity - 1)), 0L);
    }

    private void zeroSpan(long from, long to) {
        int index = (int) from & (capacity - 1);
        long length = to - from;
        long first = Math.min(length, capacity - index);
        zeroAt(index, first);
        if (length > first) {
            zeroAt(0, length - first);
        }
    }

    /** Copying from a zero page is measurably faster than {@code fill} on mapped memory (bench notes). */
    private void zeroAt(long index, long length) {
        for (long done = 0; done < length; done += ZEROS.byteSize()) {
            MemorySegment.copy(ZEROS, 0, buffer, index + done, Math.min(ZEROS.byteSize(), length - done));
        }
    }

    /**
     * Upkeep a waiting reader or writer does about once per stall timeout: raise recorded corruption,
     * check the positions, and (MPMC) hand back what dead consumers held.
     */
    void maintain() {
        integrity.check();
        checkPositions();
    }

    /** The head and tail must be aligned, in order and at most a lap apart. */
    void checkPositions() {
        for (int attempt = 0; attempt < 100; attempt++) {
            long head = (long) LONG.getVolatile(ring, RingLayout.HEAD_OFFSET);
            long tail = (long) LONG.getVolatile(ring, RingLayout.TAIL_OFFSET);
            if ((long) LONG.getVolatile(ring, RingLayout.HEAD_OFFSET) != head) {
                continue; // moved while we looked: read a consistent pair
            }
            checkPositions(head, tail);
            return;
        }
    }

    /** Checks a head and a tail read one after the other (the head first, and unchanged after the tail). */
    void checkPositions(long head, long tail) {
        if ((head & (RecordLayout.ALIGNMENT - 1)) != 0) {
            throw integrity.report(RingIntegrity.Problem.MISALIGNED, head, head);
        }
        if ((tail & (RecordLayout.ALIGNMENT - 1)) != 0) {
            throw integrity.report(RingIntegrity.Problem.MISALIGNED, head, tail);
        }
        if (tail - head < 0) {
            throw integrity.report(RingIntegrity.Problem.TAIL_BELOW_HEAD, head, tail);
        }
        if (tail - head > capacity) {
            throw integrity.report(RingIntegrity.Problem.TAIL_PAST_LAP, head, tail);
        }
    }

    /** Throws if {@code header}, read at {@code position}, cannot have been written by a writer of this ring. */
    void checkHeader(long position, long header) {
        if (RecordLayout.problem(header, (int) position & (capacity - 1), capacity, maxMessageLength) != null) {
            throw integrity.report(RingIntegrity.Problem.BAD_HEADER, position, header);
        }
    }

    /** True if process {@code pid} maps this ring's region file (or that cannot be known). */
    boolean mappedBy(long pid) {
        return FileMappings.mapsInode(pid, fileInode);
    }

    void countUnblocked() {
        LONG.getAndAdd(ring, RingLayout.UNBLOCKED_OFFSET, 1L);
    }

    void countLost(long messages) {
        if (messages > 0) {
            LONG.getAndAdd(ring, RingLayout.LOST_OFFSET, messages);
        }
    }

    void countRedelivered(long messages) {
        if (messages > 0) {
            LONG.getAndAdd(ring, RingLayout.REDELIVERED_OFFSET, messages);
        }
    }

    /** Committed messages in [from, to), stopping at a header that is not committed. */
    long countMessages(long from, long to) {
        long count = 0;
        for (long position = from; position < to; ) {
            long header = (long) LONG.getAcquire(buffer, (long) ((int) position & (capacity - 1)));
            int length = length(header);
            if (length <= 0 || RecordLayout.problem(header, (int) position & (capacity - 1), capacity, maxMessageLength) != null) {
                break;
            }
            if (type(header) != PADDING) {
                count++;
            }
            position += aligned(length);
        }
        return count;
    }

    private static MemorySegment slot(SharedRegion region, String name, RingKind kind, RingOptions options) {
        int[] slots = RingLayout.slots(kind, options);
        Optional<MemorySegment> existing = region.existingBytes(name);
        if (existing.isPresent()) {
            return existing.get();
        }
        try {
            return region.bytes(name, RingLayout.totalLength(options.capacity(), slots[0], slots[1]), 4096,
                    s -> RingLayout.initialise(s, kind, options.capacity(), slots[0], slots[1]));
        } catch (IllegalStateException raced) {
            // Another process created it first with other options: attach to theirs.
            return region.existingBytes(name).orElseThrow(() -> raced);
        }
    }
}

package dev.ringfork.ipc.channel;

import dev.ringfork.core.memory.SharedRegion;
import dev.ringfork.core.ring.RingOptions;
import dev.ringfork.core.ring.SpscRing;
import dev.ringfork.ipc.codec.Codec;

import java.util.Objects;

/**
 * Two connected {@link Connection}s, like Python's {@code multiprocessing.Pipe()}: what one end sends,
 * the other receives, in order. Each end is taken by name, so the two ends can live in different
 * processes:
 * <pre>{@code
 * Connection<String> parent = Pipe.open(region, "ctl", Codec.string()).first();   // in one process
 * Connection<String> child = Pipe.open(region, "ctl", Codec.string()).second();   // in another
 * parent.send("ping");  child.recv();  child.send("pong");  parent.recv();
 * }</pre>
 *
 * <p>A duplex pipe is two {@link SpscRing}s, {@code name + ".a2b"} (first to second) and
 * {@code name + ".b2a"}; a {@link #simplex simplex} pipe is one, {@code name + ".w2r"}, with a
 * receive-only {@link #reader()} and a send-only {@link #writer()}. Each end belongs to one process at a
 * time: the process that first asks for it takes it (this object hands out the same end each time),
 * until it closes or {@link Connection#detach() detaches} it or dies; asking for an end another live
 * process holds throws. Because each end knows who holds the other, a killed peer ends the stream with
 * {@link PeerDiedException} instead of a wait for ever. Rings are 128 KiB per direction unless given
 * {@link RingOptions}; size the region for them.
 *
 * @param <T> the value type
 */
public final class Pipe<T> {

    /** Ring bytes per direction unless told otherwise: messages up to 16 KiB less 8 bytes. */
    public static final int DEFAULT_CAPACITY = 128 << 10;
    static final String A_TO_B = ".a2b";
    static final String B_TO_A = ".b2a";
    static final String SIMPLEX = ".w2r";

    private final String name;
    private final Codec<T> codec;
    private final SpscRing forward;  // first -> second (duplex); writer -> reader (simplex)
    private final SpscRing backward; // second -> first; null for simplex
    private Connection<T> first;
    private Connection<T> second;

    private Pipe(String name, Codec<T> codec, SpscRing forward, SpscRing backward) {
        this.name = name;
        this.codec = codec;
        this.forward = forward;
        this.backward = backward;
    }

    /** The duplex pipe {@code name} in the region, created with 128 KiB per direction if absent. */
    public static <T> Pipe<T> open(SharedRegion region, String name, Codec<T> codec) {
        return open(region, name, codec, defaultOptions());
    }

    /**
     * The duplex pipe {@code name} in the region, created with {@code options} if absent.
     *
     * @throws IllegalStateException if it was created simplex
     */
    public static <T> Pipe<T> open(SharedRegion region, String name, Codec<T> codec, RingOptions options) {
        check(region, name, codec, options);
        if (region.existingBytes(name + SIMPLEX).isPresent()) {
            throw new IllegalStateException("pipe '" + name + "' was created simplex: open it with Pipe.simplex");
        }
        return new Pipe<>(name, codec, SpscRing.open(region, name + A_TO_B, options), SpscRing.open(region, name + B_TO_A, options));
    }

    /** The simplex pipe {@code name} in the region (one direction), created with 128 KiB if absent. */
    public static <T> Pipe<T> simplex(SharedRegion region, String name, Codec<T> codec) {
        return simplex(region, name, codec, defaultOptions());
    }

    /**
     * The simplex pipe {@code name} in the region, created with {@code options} if absent. Like
     * {@code Pipe(duplex=False)}: {@link #first()} is the reader, {@link #second()} the writer.
     *
     * @throws IllegalStateException if it was created duplex
     */
    public static <T> Pipe<T> simplex(SharedRegion region, String name, Codec<T> codec, RingOptions options) {
        check(region, name, codec, options);
        if (region.existingBytes(name + A_TO_B).isPresent()) {
            throw new IllegalStateException("pipe '" + name + "' was created duplex: open it with Pipe.open");
        }
        return new Pipe<>(name, codec, SpscRing.open(region, name + SIMPLEX, options), null);
    }

    /** Duplex: the end that sends to {@link #second()}. Simplex: the reader. */
    public synchronized Connection<T> first() {
        if (first == null) {
            first = isDuplex()
                    ? new Connection<>("pipe '" + name + "' (first end)", codec, forward, backward)
                    : new Connection<>("pipe '" + name + "' (reader end)", codec, null, forward);
        }
        return first;
    }

    /** Duplex: the end that sends to {@link #first()}. Simplex: the writer. */
    public synchronized Connection<T> second() {
        if (second == null) {
            second = isDuplex()
                    ? new Connection<>("pipe '" + name + "' (second end)", codec, backward, forward)
                    : new Connection<>("pipe '" + name + "' (writer end)", codec, forward, null);
        }
        return second;
    }

    /** Simplex only: the receive-only end ({@link #first()}). */
    public Connection<T> reader() {
        requireSimplex("reader()");
        return first();
    }

    /** Simplex only: the send-only end ({@link #second()}). */
    public Connection<T> writer() {
        requireSimplex("writer()");
        return second();
    }

    /** The largest message either end can send, in bytes. */
    public int maxMessageBytes() {
        return forward.maxMessageLength();
    }

    public boolean isDuplex() {
        return backward != null;
    }

    public String name() {
        return name;
    }

    @Override
    public String toString() {
        return "Pipe[" + name + (isDuplex() ? ", duplex" : ", simplex") + ", codec " + codec.name() + "]";
    }

    private void requireSimplex(String method) {
        if (isDuplex()) {
            throw new IllegalStateException(method + " is for simplex pipes; pipe '" + name + "' is duplex: use first() and second()");
        }
    }

    private static RingOptions defaultOptions() {
        return RingOptions.defaults().withCapacity(DEFAULT_CAPACITY);
    }

    private static void check(SharedRegion region, String name, Codec<?> codec, RingOptions options) {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(options, "options");
    }
}

package dev.ringfork.core.memory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How regions are created and opened. Start from {@link #defaults()} and change what you need:
 * <pre>{@code
 * RegionOptions opts = RegionOptions.defaults().withSize(16 << 20).withSlotCapacity(1024);
 * }</pre>
 *
 * @param directory    where region files live; default {@code $RINGFORK_DIR}, else
 *                     {@code /dev/shm/ringfork-<user>}, else {@code <java.io.tmpdir>/ringfork-<user>}
 *                     (the system property {@code ringfork.dir} overrides both)
 * @param size         total bytes of a new region (header, slot directory and data); rounded up to 4 KiB
 * @param slotCapacity how many named slots a new region can hold
 * @param openTimeout  how long {@code open} waits for a region's creator to mark it ready
 */
public record RegionOptions(Path directory, long size, int slotCapacity, Duration openTimeout) {

    /**
     * 4 MiB: room for a default ring (1 MiB of buffer, {@code RingOptions.DEFAULT_CAPACITY}) with room to
     * spare (two more such rings, or tens of thousands of shared values). A new region's file is zero-filled
     * when created, so that a full {@code /dev/shm} fails {@code create} rather than a later access: this
     * much memory is taken per region, whether used or not.
     */
    public static final long DEFAULT_SIZE = 4L << 20;
    public static final int DEFAULT_SLOT_CAPACITY = 256;
    public static final Duration DEFAULT_OPEN_TIMEOUT = Duration.ofSeconds(5);
    /** Upper bound on a region's size: 64 GiB. */
    public static final long MAX_SIZE = 64L << 30;

    public RegionOptions {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(openTimeout, "openTimeout");
        if (slotCapacity < 1 || slotCapacity > 1 << 20) {
            throw new IllegalArgumentException("slotCapacity must be between 1 and 1048576, was " + slotCapacity);
        }
        long minimum = RegionLayout.dataOffset(slotCapacity) + RegionLayout.LINE;
        if (size < minimum || size > MAX_SIZE) {
            throw new IllegalArgumentException("size must be between " + minimum + " bytes (header and "
                    + slotCapacity + " slots) and " + MAX_SIZE + ", was " + size);
        }
        if (openTimeout.isNegative()) {
            throw new IllegalArgumentException("openTimeout must not be negative, was " + openTimeout);
        }
        size = (size + 4095) & ~4095L;
    }

    /** The defaults described above. */
    public static RegionOptions defaults() {
        return new RegionOptions(defaultDirectory(), DEFAULT_SIZE, DEFAULT_SLOT_CAPACITY, DEFAULT_OPEN_TIMEOUT);
    }

    public RegionOptions withDirectory(Path directory) {
        return new RegionOptions(directory, size, slotCapacity, openTimeout);
    }

    public RegionOptions withSize(long size) {
        return new RegionOptions(directory, size, slotCapacity, openTimeout);
    }

    public RegionOptions withSlotCapacity(int slotCapacity) {
        long needed = Math.max(size, RegionLayout.dataOffset(slotCapacity) + RegionLayout.LINE);
        return new RegionOptions(directory, needed, slotCapacity, openTimeout);
    }

    public RegionOptions withOpenTimeout(Duration openTimeout) {
        return new RegionOptions(directory, size, slotCapacity, openTimeout);
    }

    /** The per-user directory regions live in unless told otherwise. */
    public static Path defaultDirectory() {
        String configured = System.getProperty("ringfork.dir");
        if (configured == null || configured.isBlank()) {
            configured = System.getenv("RINGFORK_DIR");
        }
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath();
        }
        String user = System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9._-]", "_");
        Path shm = Path.of("/dev/shm");
        Path parent = Files.isDirectory(shm) && Files.isWritable(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
        return parent.resolve("ringfork-" + user).toAbsolutePath();
    }
}

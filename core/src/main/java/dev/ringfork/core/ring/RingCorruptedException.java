package dev.ringfork.core.ring;

/**
 * A ring's shared words are in a state no writer or reader of it can produce: a stray write, a damaged
 * file, or a tool that wrote where it should not. Raised to every reader and writer of the ring from
 * the moment one of them finds it (the finding is recorded in the ring), instead of a hang, a silent
 * stall or a read out of bounds. The ring cannot be read past {@link #position()}: remove the region
 * and create it again.
 */
public final class RingCorruptedException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final String region;
    private final String ring;
    private final long position;
    private final long word;

    public RingCorruptedException(String region, String ring, long position, long word, String what) {
        super("ring '" + ring + "' of region '" + region + "' is corrupt at position " + position + ": " + what
                + " (word 0x" + Long.toHexString(word) + "). No reader can go past it and what follows is lost:"
                + " remove the region (SharedRegion.unlink, or ringfork clean once no process maps it) and create it again");
        this.region = region;
        this.ring = ring;
        this.position = position;
        this.word = word;
    }

    /** The region holding the ring. */
    public String region() {
        return region;
    }

    /** The ring's name. */
    public String ring() {
        return ring;
    }

    /** The ring position (a byte count, see {@link RingLayout}) where the damage was found. */
    public long position() {
        return position;
    }

    /** The damaged word as found: a record header, or the tail or head. */
    public long word() {
        return word;
    }
}

package dev.ringfork.core.ring;

/** A message longer than the ring's maximum (an eighth of its capacity, less the 8-byte record header). */
public final class MessageTooLargeException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public MessageTooLargeException(String ring, long length, int maxLength) {
        super("message of " + length + " bytes is larger than ring '" + ring + "' takes (" + maxLength
                + " bytes max, an eighth of its capacity less the header): create the ring with a larger capacity"
                + " (at least " + Long.highestOneBit(Math.max(1, (length + RecordLayout.HEADER_LENGTH) * 8 - 1)) * 2 + " bytes)");
    }
}

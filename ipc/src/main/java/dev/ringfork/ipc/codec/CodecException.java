package dev.ringfork.ipc.codec;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A value that could not be encoded, or a message that could not be decoded. A decode failure names
 * the codec, the value type, and the message: its length and first bytes in hex, e.g.
 * {@code codec int32 (java.lang.Integer) cannot decode a 3-byte message [01 02 03]: expected 4 bytes}.
 */
public class CodecException extends RuntimeException {

    private static final long serialVersionUID = 1L;
    /** How many leading bytes a decode failure shows. */
    public static final int SHOWN_BYTES = 32;

    public CodecException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The failure of {@code codec} to decode {@code message}, because of {@code problem} (and {@code cause}). */
    public static CodecException decoding(Codec<?> codec, MemorySegment message, String problem, Throwable cause) {
        return new CodecException("codec " + codec.name() + " (" + codec.valueType().getName() + ") cannot decode a "
                + message.byteSize() + "-byte message " + hex(message) + ": " + problem, cause);
    }

    /** The failure of {@code codec} to encode a value of class {@code valueClass}. */
    public static CodecException encoding(Codec<?> codec, Class<?> valueClass, Throwable cause) {
        return new CodecException("codec " + codec.name() + " (" + codec.valueType().getName() + ") cannot encode a "
                + valueClass.getName() + ": " + cause, cause);
    }

    /** {@code [0a 1b ...]}: the first {@link #SHOWN_BYTES} bytes in hex, then "..." if there are more. */
    static String hex(MemorySegment message) {
        long size = message.byteSize();
        int shown = (int) Math.min(size, SHOWN_BYTES);
        StringBuilder out = new StringBuilder(shown * 3 + 5).append('[');
        for (int i = 0; i < shown; i++) {
            if (i > 0) {
                out.append(' ');
            }
            int b = message.get(ValueLayout.JAVA_BYTE, i) & 0xFF;
            out.append(Character.forDigit(b >>> 4, 16)).append(Character.forDigit(b & 0xF, 16));
        }
        if (size > shown) {
            out.append(" ...");
        }
        return out.append(']').toString();
    }
}

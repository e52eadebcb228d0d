package dev.ringfork.ipc.codec;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * UTF-8 straight into a segment, so a string's size is known before a ring claim and its bytes need no
 * intermediate array. Same output as {@code String.getBytes(UTF_8)}: an unpaired surrogate becomes '?'.
 */
final class Utf8 {

    private Utf8() {
    }

    /** Bytes {@link #write} writes for {@code s}. */
    static int length(String s) {
        int n = s.length();
        long bytes = n;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                continue;
            }
            if (c < 0x800) {
                bytes += 1;
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 2; // two chars, four bytes
                i++;
            } else if (!Character.isSurrogate(c)) {
                bytes += 2;
            } // an unpaired surrogate: '?', one byte
        }
        if (bytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("string too long to encode: " + bytes + " UTF-8 bytes");
        }
        return (int) bytes;
    }

    /** Writes {@code s} at {@code offset}; returns the offset after it. */
    static long write(String s, MemorySegment target, long offset) {
        int n = s.length();
        long at = offset;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                target.set(ValueLayout.JAVA_BYTE, at++, (byte) c);
            } else if (c < 0x800) {
                target.set(ValueLayout.JAVA_BYTE, at++, (byte) (0xC0 | (c >> 6)));
                target.set(ValueLayout.JAVA_BYTE, at++, (byte) (0x80 | (c & 0x3F)));
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                target.set(ValueLayout.JAVA_BYTE, at++, (byte) (0xF0 | (cp >> 18)));
                target.set(ValueLayout.JAVA_BYTE, at++, (byte) (0x80 | ((cp >> 12) & 0x3F)));
                target.set(ValueLayout.JAVA_BYTE, at++, (byte) (0x80 | ((cp >> 6) & 0x3F)));
                target.set(ValueLayout.JAVA_BYTE, at++, (byte) (0x80 | (cp & 0x3F)));
            } else if (Character.isSurrogate(c)) {
                target.set(ValueLayout.JAVA_BYTE, at++, (byte) '?');
            } else {
                target.set(ValueLayout.JAVA_BYTE, at++, (byte) (0xE0 | (c >> 12)));
                target.set(ValueLayout.JAVA_BYTE, at++, (byte) (0x80 | ((c >> 6) & 0x3F)));
                target.set(ValueLayout.JAVA_BYTE, at++, (byte) (0x80 | (c & 0x3F)));
            }
        }
        return at;
    }

    /** The string in {@code source[offset, offset + length)} (malformed input becomes U+FFFD, as in {@code new String}). */
    static String read(MemorySegment source, long offset, int length) {
        byte[] bytes = new byte[length];
        MemorySegment.copy(source, ValueLayout.JAVA_BYTE, offset, bytes, 0, length);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}

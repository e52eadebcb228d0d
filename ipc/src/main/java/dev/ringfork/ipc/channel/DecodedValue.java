package dev.ringfork.ipc.channel;

import dev.ringfork.ipc.codec.Codec;
import dev.ringfork.ipc.codec.CodecException;

import java.lang.foreign.MemorySegment;

/**
 * Where a message handler leaves what it decoded, or why it could not, for the reading thread to take
 * once the read returns (a handler must not throw out of the ring's read: the ring would count the
 * rest of its batch as lost).
 */
final class DecodedValue<T> {

    private T value;
    private RuntimeException error;

    /** Decodes one message; any failure, or a null from the codec, becomes a {@link CodecException}. */
    static <T> T decode(Codec<T> codec, MemorySegment message) {
        T decoded;
        try {
            decoded = codec.decode(message);
        } catch (CodecException e) {
            throw e;
        } catch (RuntimeException e) {
            throw CodecException.decoding(codec, message, e.toString(), e);
        }
        if (decoded == null) {
            throw CodecException.decoding(codec, message, "the codec returned null", null);
        }
        return decoded;
    }

    void set(T decoded) {
        value = decoded;
    }

    /** Keeps the first failure of a read. */
    void fail(RuntimeException problem) {
        if (error == null) {
            error = problem;
        }
    }

    /** The failure kept so far, if any; the slot forgets it. */
    RuntimeException takeError() {
        RuntimeException e = error;
        error = null;
        return e;
    }

    /** The decoded value (null if none), or throws the decode error; either way the slot is emptied. */
    T take() {
        T v = value;
        RuntimeException e = error;
        value = null;
        error = null;
        if (e != null) {
            throw e;
        }
        return v;
    }
}

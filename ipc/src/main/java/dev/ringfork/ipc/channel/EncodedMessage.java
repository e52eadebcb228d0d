package dev.ringfork.ipc.channel;

import dev.ringfork.core.ring.RingClaim;
import dev.ringfork.ipc.codec.Codec;
import dev.ringfork.ipc.codec.CodecException;
import dev.ringfork.ipc.internal.WholeCodec;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A value on its way into a ring: its encoded size is known before the claim, then it is encoded in
 * place (when the codec knows the size up front) or copied from the bytes the codec produced. Shared by
 * {@link SharedQueue} and {@link Connection}. Encoding errors become {@link CodecException}s, and a claim
 * whose encoding failed is aborted, so consumers never see half a message.
 */
final class EncodedMessage<T> {

    private final Codec<T> codec;
    private final T value;
    private final byte[] bytes;
    private final int size;

    private EncodedMessage(Codec<T> codec, T value, byte[] bytes, int size) {
        this.codec = codec;
        this.value = value;
        this.bytes = bytes;
        this.size = size;
    }

    static <T> EncodedMessage<T> of(Codec<T> codec, T value) {
        try {
            int size = codec.encodedSize(value);
            if (size >= 0) {
                return new EncodedMessage<>(codec, value, null, size);
            }
            byte[] bytes = codec.toBytes(value);
            return new EncodedMessage<>(codec, value, bytes, bytes.length);
        } catch (CodecException e) {
            throw e;
        } catch (RuntimeException e) {
            throw CodecException.encoding(codec, value.getClass(), e);
        }
    }

    /** Bytes the message takes in the ring. */
    int size() {
        return size;
    }

    /** Writes the message into {@code claim} and commits it; aborts the claim if encoding fails. */
    void writeAndCommit(RingClaim claim) {
        try {
            if (bytes != null) {
                MemorySegment.copy(bytes, 0, claim.buffer(), ValueLayout.JAVA_BYTE, 0, size);
            } else {
                MemorySegment target = claim.buffer();
                if (!(codec instanceof WholeCodec)) {
                    target.fill((byte) 0); // the zeroed target Codec.encode promises (see WholeCodec)
                }
                codec.encode(value, target);
            }
        } catch (CodecException | Error e) {
            claim.abort();
            throw e;
        } catch (RuntimeException e) {
            claim.abort();
            throw CodecException.encoding(codec, value.getClass(), e);
        }
        claim.commit();
    }
}

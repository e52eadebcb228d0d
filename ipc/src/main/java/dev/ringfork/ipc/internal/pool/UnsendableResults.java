package dev.ringfork.ipc.internal.pool;

import dev.ringfork.ipc.codec.CodecException;

import java.io.NotSerializableException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * In a worker: when a chunk's results cannot be encoded, finds the ones that cannot travel (a result
 * that is not {@link java.io.Serializable}, or whose serialization throws) and puts the failure that
 * says so in their place. Only those items fail in the parent; the worker lives on.
 */
final class UnsendableResults {

    private UnsendableResults() {
    }

    /**
     * {@code values} with each result that cannot be encoded alone replaced by a {@link RemoteFailure};
     * if the chunk still cannot be encoded (it is too large as a whole), every item fails with
     * {@code failure}. The list returned always encodes.
     */
    static List<Object> replace(List<Object> values, CodecException failure, ChunkCodec codec) {
        List<Object> sendable = new ArrayList<>(values.size());
        for (Object value : values) {
            try {
                codec.encodedSize(Collections.singletonList(value));
                sendable.add(value);
            } catch (CodecException e) {
                sendable.add(RemoteFailure.of(explained(value, e)));
            }
        }
        try {
            codec.encodedSize(sendable);
            return sendable;
        } catch (CodecException e) {
            return new ArrayList<>(Collections.nCopies(values.size(), RemoteFailure.of(failure)));
        }
    }

    /** A {@link NotSerializableException} naming the class at fault and the fix, or what serialization threw. */
    private static Throwable explained(Object value, CodecException failure) {
        Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
        if (!(cause instanceof NotSerializableException)) {
            return cause;
        }
        String culprit = cause.getMessage();
        String type = value.getClass().getName();
        NotSerializableException explained = new NotSerializableException(culprit + " (" + (type.equals(culprit) ? "the"
                + " task's result" : "in the task's result, a " + type) + "): results travel back to the parent by Java"
                + " serialization; make " + culprit + " implement java.io.Serializable, or return a value that is");
        explained.setStackTrace(cause.getStackTrace());
        return explained;
    }
}

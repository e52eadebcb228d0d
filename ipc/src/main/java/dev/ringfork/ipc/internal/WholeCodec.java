package dev.ringfork.ipc.internal;

import dev.ringfork.ipc.codec.Codec;

/**
 * A built-in codec whose {@link #encode} writes every byte of its target, so the target need not be
 * zeroed first. {@link Codec#encode} promises other codecs a zeroed target; the space a producer claims in
 * an SPSC ring keeps the last lap's bytes (docs/rings.md, "Memory"), so it is zeroed for them.
 */
public interface WholeCodec<T> extends Codec<T> {
}

/**
 * Codecs: how a value becomes the bytes of one message and back. {@link dev.ringfork.ipc.codec.Codec} has
 * the built-in ones (strings, numbers, byte arrays, records, {@code Serializable} objects) and is the
 * interface to implement for your own.
 */
package dev.ringfork.ipc.codec;

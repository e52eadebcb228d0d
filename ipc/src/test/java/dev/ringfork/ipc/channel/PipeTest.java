package dev.ringfork.ipc.channel;

import dev.ringfork.core.memory.RegionOptions;
import dev.ringfork.core.memory.SharedRegion;
import dev.ringfork.ipc.codec.Codec;
import dev.ringfork.ipc.codec.CodecException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Pipe and Connection in one process: both directions, poll, raw bytes, close, simplex. */
class PipeTest {

    @TempDir
    Path temp;
    SharedRegion region;

    @BeforeEach
    void createRegion() {
        region = SharedRegion.create("pipes", RegionOptions.defaults().withDirectory(temp).withSize(4 << 20));
    }

    @AfterEach
    void closeRegion() {
        region.close();
    }

    @Test
    void duplexEndsTalkBothWaysInOrder() throws Exception {
        Pipe<String> pipe = Pipe.open(region, "chat", Codec.string());
        Connection<String> a = pipe.first();
        Connection<String> b = Pipe.open(region, "chat", Codec.string()).second(); // as another process would
        assertSame(a, pipe.first(), "one end per pipe object");
        a.send("hello");
        a.send("world");
        b.send("hi back");
        assertEquals("hello", b.recv());
        assertEquals("world", b.recv(1, TimeUnit.SECONDS));
        assertEquals("hi back", a.recv());
        assertTrue(a.canSend() && a.canReceive() && pipe.isDuplex());
    }

    /**
     * {@link Codec#encode} is promised a zeroed target. A pipe's ring gives space back unzeroed (SPSC), so
     * over several laps every claim lands on the last lap's bytes: the target must still read zero.
     */
    @Test
    void aUserCodecIsHandedAZeroedTargetLapAfterLap() throws Exception {
        int[] dirty = {0};
        Codec<Long> sparse = new Codec<>() {
            @Override
            public int encodedSize(Long value) {
                return 64;
            }

            @Override
            public void encode(Long value, java.lang.foreign.MemorySegment target) {
                for (long i = 0; i < target.byteSize(); i++) {
                    if (target.get(java.lang.foreign.ValueLayout.JAVA_BYTE, i) != 0) {
                        dirty[0]++;
                        break;
                    }
                }
                target.set(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED, 0, value); // the rest stays as it was
            }

            @Override
            public Long decode(java.lang.foreign.MemorySegment message) {
                return message.get(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED, 0);
            }

            @Override
            public byte[] toBytes(Long value) {
                throw new UnsupportedOperationException();
            }
        };
        Pipe<Long> pipe = Pipe.open(region, "sparse", sparse,
                dev.ringfork.core.ring.RingOptions.defaults().withCapacity(1024));
        Connection<Long> a = pipe.first();
        Connection<Long> b = pipe.second();
        for (long i = 0; i < 200; i++) { // 72-byte records: about fourteen laps of 1 KiB
            byte[] junk = new byte[64 - (int) (i % 8)];
            java.util.Arrays.fill(junk, (byte) 0x5A);
            a.sendBytes(junk); // bytes left behind for the next lap
            assertArrayEquals(junk, b.recvBytes());
            a.send(i);
            assertEquals(i, b.recv());
        }
        assertEquals(0, dirty[0], "targets that were not zeroed");
    }

    @Test
    void pollWaitsForAMessageAndKeepsItForRecv() throws Exception {
        Pipe<String> pipe = Pipe.open(region, "poll", Codec.string());
        Connection<String> a = pipe.first();
        Connection<String> b = pipe.second();
        assertFalse(b.poll());
        assertFalse(b.poll(20, TimeUnit.MILLISECONDS));
        assertNull(b.recv(20, TimeUnit.MILLISECONDS));
        a.send("kept");
        assertTrue(b.poll(30, TimeUnit.SECONDS));
        assertTrue(b.poll(), "still there");
        assertEquals("kept", b.recv());
        a.send("raw too");
        assertTrue(b.poll(30, TimeUnit.SECONDS));
        assertArrayEquals("raw too".getBytes(java.nio.charset.StandardCharsets.UTF_8), b.recvBytes());
    }

    @Test
    void rawBytesPassUnencoded() throws Exception {
        Pipe<Long> pipe = Pipe.open(region, "raw", Codec.int64());
        pipe.first().sendBytes(new byte[] {1, 2, 3});
        pipe.first().sendBytes(new byte[] {9, 8, 7, 6, 5}, 1, 2);
        pipe.first().sendBytes(new byte[0]);
        assertArrayEquals(new byte[] {1, 2, 3}, pipe.second().recvBytes());
        assertArrayEquals(new byte[] {8, 7}, pipe.second().recvBytes(1, TimeUnit.SECONDS));
        assertArrayEquals(new byte[0], pipe.second().recvBytes());
        pipe.first().sendBytes(Codec.int64().toBytes(77L));
        assertEquals(77L, pipe.second().recv(), "bytes the codec reads decode as values");
        pipe.first().sendBytes(new byte[] {1});
        CodecException e = assertThrows(CodecException.class, () -> pipe.second().recv());
        assertTrue(e.getMessage().contains("int64") && e.getMessage().contains("1-byte message [01]"), e.getMessage());
    }

    @Test
    void recvBytesIntoAHandlerRefusesAMaximumBelowOne() throws Exception {
        Pipe<String> pipe = Pipe.open(region, "max", Codec.string());
        pipe.first().send("waiting");
        for (int max : new int[] {0, -1}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> pipe.second().recvBytes(bytes -> { }, max, 1, TimeUnit.SECONDS));
            assertTrue(e.getMessage().contains("max must be at least 1, was " + max), e.getMessage());
        }
        assertEquals("waiting", pipe.second().recv(1, TimeUnit.SECONDS), "nothing was received");
    }

    @Test
    void closingAnEndLetsThePeerDrainThenEndsItsStreamAndBreaksItsSends() throws Exception {
        Pipe<String> pipe = Pipe.open(region, "closing", Codec.string());
        Connection<String> a = pipe.first();
        Connection<String> b = pipe.second();
        a.send("last words");
        a.close();
        assertTrue(a.isClosed());
        assertThrows(IllegalStateException.class, () -> a.send("more"));
        assertThrows(IllegalStateException.class, a::recv);
        assertEquals("last words", b.recv());
        assertTrue(b.poll(30, TimeUnit.SECONDS), "poll is true at the end of the stream: recv would not wait");
        EndOfStreamException end = assertThrows(EndOfStreamException.class, b::recv);
        assertTrue(end.getMessage().contains("'closing'"), end.getMessage());
        assertThrows(EndOfStreamException.class, () -> b.recv(30, TimeUnit.SECONDS));
        IllegalStateException broken = assertThrows(IllegalStateException.class, () -> b.send("anyone?"));
        assertTrue(broken.getMessage().contains("other end closed"), broken.getMessage());
        b.close();
        b.close();
    }

    @Test
    void simplexHasAReaderAndAWriter() throws Exception {
        Pipe<Integer> pipe = Pipe.simplex(region, "oneway", Codec.int32());
        Connection<Integer> reader = pipe.reader();
        Connection<Integer> writer = Pipe.simplex(region, "oneway", Codec.int32()).writer();
        assertFalse(pipe.isDuplex());
        assertSame(reader, pipe.first());
        writer.send(1);
        writer.send(2);
        writer.close();
        assertEquals(1, reader.recv());
        assertEquals(2, reader.recv());
        assertThrows(EndOfStreamException.class, reader::recv);
        IllegalStateException readOnly = assertThrows(IllegalStateException.class, () -> reader.send(3));
        assertTrue(readOnly.getMessage().contains("only receives"), readOnly.getMessage());
        Connection<Integer> otherWriter = Pipe.simplex(region, "oneway2", Codec.int32()).writer();
        IllegalStateException writeOnly = assertThrows(IllegalStateException.class, otherWriter::recv);
        assertTrue(writeOnly.getMessage().contains("only sends"), writeOnly.getMessage());
        assertFalse(reader.canSend());
        assertEquals(0, reader.maxMessageBytes());
    }

    @Test
    void duplexAndSimplexDoNotMix() {
        Pipe.simplex(region, "s", Codec.string());
        Pipe.open(region, "d", Codec.string());
        assertThrows(IllegalStateException.class, () -> Pipe.open(region, "s", Codec.string()));
        assertThrows(IllegalStateException.class, () -> Pipe.simplex(region, "d", Codec.string()));
        assertThrows(IllegalStateException.class, () -> Pipe.open(region, "d", Codec.string()).reader());
    }

    @Test
    void aMessageLargerThanTheRingTakesIsRefused() {
        Pipe<byte[]> pipe = Pipe.open(region, "big", Codec.bytes());
        int max = pipe.first().maxMessageBytes();
        assertEquals(Pipe.DEFAULT_CAPACITY / 8 - 8, max);
        assertThrows(IllegalArgumentException.class, () -> pipe.first().send(new byte[max + 1]));
        assertThrows(IllegalArgumentException.class, () -> pipe.first().sendBytes(new byte[max + 1]));
    }
}

package dev.ringfork.ipc.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Records in and out: the framings, edge cases, and a put and take through {@link RingforkCli#run} in this JVM. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CliFramingTest {

    @TempDir
    Path temp;

    private static List<String> read(String input, Framing framing) throws IOException {
        return read(input.getBytes(StandardCharsets.UTF_8), framing, 1 << 20, Integer.MAX_VALUE);
    }

    private static List<String> read(byte[] input, Framing framing, int maxLength, int chunk) throws IOException {
        RecordReader reader = new RecordReader(new Trickle(input, chunk), framing, maxLength, "test input");
        List<String> records = new ArrayList<>();
        while (reader.next()) {
            records.add(new String(reader.buffer(), reader.offset(), reader.length(), StandardCharsets.ISO_8859_1));
        }
        assertEquals(records.size(), reader.records());
        return records;
    }

    private static byte[] write(Framing framing, String... records) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RecordWriter writer = new RecordWriter(out, framing);
        for (String record : records) {
            writer.write(record.getBytes(StandardCharsets.ISO_8859_1));
        }
        writer.flush();
        return out.toByteArray();
    }

    @Test
    void linesAreCutAtNewlinesKeepingEmptyOnesAndALastLineWithoutNewline() throws IOException {
        assertEquals(List.of(), read("", Framing.LINES));
        assertEquals(List.of(""), read("\n", Framing.LINES));
        assertEquals(List.of("a", "", "b"), read("a\n\nb\n", Framing.LINES));
        assertEquals(List.of("a", "last"), read("a\nlast", Framing.LINES));
        assertEquals(List.of("cr\r", "\0nul"), read("cr\r\n\0nul\n", Framing.LINES));
        assertEquals(List.of("a\nb", "", "c"), read("a\nb\0\0c", Framing.NUL));
        assertArrayEquals("a\n\nlast\n".getBytes(StandardCharsets.UTF_8), write(Framing.LINES, "a", "", "last"));
        assertArrayEquals("a\n\0\0".getBytes(StandardCharsets.UTF_8), write(Framing.NUL, "a\n", ""));
    }

    @Test
    void rawRecordsAreLengthPrefixedAndMayBeEmptyOrHoldAnyByte() throws IOException {
        byte[] framed = write(Framing.RAW, "", "x\n\0y", "");
        assertArrayEquals(new byte[] {0, 0, 0, 0, 0, 0, 0, 4, 'x', '\n', 0, 'y', 0, 0, 0, 0}, framed);
        assertEquals(List.of("", "x\n\0y", ""), read(framed, Framing.RAW, 100, 1));
        CliFailure cut = assertThrows(CliFailure.class, () -> read(Arrays.copyOf(framed, 10), Framing.RAW, 100, 3));
        assertTrue(cut.getMessage().contains("ends inside record 2: its length says 4 bytes, but only 2 follow"), cut.getMessage());
        CliFailure header = assertThrows(CliFailure.class, () -> read(new byte[] {0, 0}, Framing.RAW, 100, 3));
        assertTrue(header.getMessage().contains("inside the 4-byte length of record 1"), header.getMessage());
    }

    @Test
    void recordsStraddlingEveryRefillBoundaryComeOutWhole() throws IOException {
        Random random = new Random(7);
        List<String> records = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 3000; i++) {
            String record = "r" + i + "-" + "z".repeat(random.nextInt(i % 100 == 0 ? 400_000 : 200));
            records.add(record);
            text.append(record).append('\n');
        }
        byte[] input = text.toString().getBytes(StandardCharsets.ISO_8859_1);
        for (int chunk : new int[] {1, 7, 4096, 1 << 20}) {
            if (chunk > 1 || input.length < 5_000_000) {
                assertEquals(records, read(input, Framing.LINES, 1 << 20, chunk), "chunk " + chunk);
            }
        }
        byte[] raw = write(Framing.RAW, records.toArray(String[]::new));
        assertEquals(records, read(raw, Framing.RAW, 1 << 20, 4093));
    }

    @Test
    void aRecordLongerThanTheLimitIsReportedWithItsFullLength() {
        byte[] input = ("ok\n" + "y".repeat(1_000_000) + "\nnext\n").getBytes(StandardCharsets.UTF_8);
        RecordReader.TooLong line = assertThrows(RecordReader.TooLong.class, () -> read(input, Framing.LINES, 1000, 65536));
        assertEquals(2, line.record);
        assertEquals(1_000_000, line.length);
        RecordReader.TooLong exact = assertThrows(RecordReader.TooLong.class, () -> read("abc\n".getBytes(StandardCharsets.UTF_8),
                Framing.LINES, 2, 100));
        assertEquals(3, exact.length);
        RecordReader.TooLong raw = assertThrows(RecordReader.TooLong.class,
                () -> read(new byte[] {(byte) 0xff, 0, 0, 0}, Framing.RAW, 1000, 100));
        assertEquals(0xff000000L, raw.length);
    }

    @Test
    void putThenTakeInThisJvmIsByteExactForEveryFraming() throws IOException {
        byte[] lines = "first\n\nthird has\ttabs and ünïcödé\nlast without newline".getBytes(StandardCharsets.UTF_8);
        roundTrip("lines", new String[0], lines, (new String(lines, StandardCharsets.UTF_8) + "\n").getBytes(StandardCharsets.UTF_8));
        byte[] nul = "a\nb\0\0c\0".getBytes(StandardCharsets.UTF_8);
        roundTrip("nul", new String[] {"--null"}, nul, nul);
        byte[] raw = write(Framing.RAW, "", "\n\0\n", "\u00ff\u0000");
        roundTrip("raw", new String[] {"--raw"}, raw, raw);
    }

    /** {@code queue put} from a file, then {@code queue take -o file} (the queue is closed, so take stops). */
    private void roundTrip(String name, String[] framing, byte[] input, byte[] expected) throws IOException {
        Path in = Files.write(temp.resolve(name + ".in"), input);
        Path out = temp.resolve(name + ".out");
        String dir = temp.resolve("regions").toString();
        assertEquals(0, cli(concat(new String[] {"queue", "put", "--dir", dir, name, in.toString()}, framing)));
        assertEquals(0, cli(concat(new String[] {"queue", "take", "--dir", dir, "-o", out.toString(), name}, framing)));
        assertArrayEquals(expected, Files.readAllBytes(out), name);
    }

    @Test
    void putReadsItsFilesInTurnAndTakeCountsWhatItTook() throws IOException {
        Path a = Files.writeString(temp.resolve("a"), "1\n2");
        Path b = Files.writeString(temp.resolve("b"), "3\n");
        Path out = temp.resolve("out");
        String dir = temp.resolve("regions").toString();
        assertEquals(0, cli("pipe", "put", "--dir", dir, "files", a.toString(), b.toString()));
        StringWriter err = new StringWriter();
        assertEquals(0, RingforkCli.run(new String[] {"pipe", "cat", "-v", "--dir", dir, "-o", out.toString(), "files"},
                new PrintWriter(new StringWriter()), new PrintWriter(err)));
        assertEquals("1\n2\n3\n", Files.readString(out));
        assertEquals("ringfork pipe cat: took 3 records (end of stream)", err.toString().strip());
        StringWriter missing = new StringWriter();
        assertEquals(1, RingforkCli.run(new String[] {"pipe", "put", "--dir", dir, "other", temp.resolve("nope").toString()},
                new PrintWriter(new StringWriter()), new PrintWriter(missing)));
        assertEquals("ringfork pipe put: cannot read " + temp.resolve("nope") + ": no such file", missing.toString().strip());
    }

    private static int cli(String... args) {
        StringWriter err = new StringWriter();
        int code = RingforkCli.run(args, new PrintWriter(new StringWriter()), new PrintWriter(err));
        if (code != 0) {
            System.err.println("ringfork " + String.join(" ", args) + " -> " + code + ": " + err);
        }
        return code;
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    /** Hands out at most {@code chunk} bytes per read, like a pipe. */
    private static final class Trickle extends InputStream {
        private final ByteArrayInputStream in;
        private final int chunk;

        Trickle(byte[] bytes, int chunk) {
            this.in = new ByteArrayInputStream(bytes);
            this.chunk = chunk;
        }

        @Override
        public int read() {
            return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) {
            return in.read(b, off, Math.min(len, chunk));
        }
    }
}

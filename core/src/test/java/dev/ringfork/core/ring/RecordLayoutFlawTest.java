package dev.ringfork.core.ring;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The branch-free header checks readers run on every record ({@link RecordLayout#committedFlaw},
 * {@link RecordLayout#uncommittedFlaw}) reject exactly the headers {@link RecordLayout#problem} names a
 * problem for: on the edges of every rule and on a million random words.
 */
class RecordLayoutFlawTest {

    static final int CAPACITY = 1 << 16;
    static final int MAX_MESSAGE = RingLayout.maxMessageLength(CAPACITY);

    private static void assertAgrees(long header, int index) {
        int toEnd = CAPACITY - index;
        int length = RecordLayout.length(header);
        boolean problem = RecordLayout.problem(header, index, CAPACITY, MAX_MESSAGE) != null;
        boolean flawed = length > 0
                ? RecordLayout.committedFlaw(header, length, toEnd, MAX_MESSAGE + RecordLayout.HEADER_LENGTH) < 0
                : RecordLayout.uncommittedFlaw(header, toEnd) < 0;
        assertEquals(problem, flawed, () -> "header 0x" + Long.toHexString(header) + " (length " + length + ", type "
                + RecordLayout.type(header) + ") at index " + index + ": " + RecordLayout.problem(header, index, CAPACITY, MAX_MESSAGE));
    }

    @Test
    void edgesOfEveryRule() {
        int[] indexes = {0, 8, CAPACITY / 2, CAPACITY - 1024, CAPACITY - 16, CAPACITY - 8};
        int[] types = {Integer.MIN_VALUE, -2, RecordLayout.PADDING, 0, 1, 2, 4_194_304, Integer.MAX_VALUE};
        for (int index : indexes) {
            int toEnd = CAPACITY - index;
            int maxRecord = MAX_MESSAGE + RecordLayout.HEADER_LENGTH;
            List<Integer> lengths = new ArrayList<>(List.of(Integer.MIN_VALUE, Integer.MIN_VALUE + 1, Integer.MAX_VALUE,
                    -1, 0, 1, 7, 8, 9, 16));
            for (int edge : new int[] {toEnd, maxRecord, CAPACITY}) {
                for (int d = -8; d <= 8; d++) {
                    lengths.add(edge + d);
                    lengths.add(-(edge + d));
                }
            }
            for (int length : lengths) {
                for (int type : types) {
                    assertAgrees(RecordLayout.header(length, type), index);
                }
            }
        }
        assertAgrees(0L, 0);
    }

    @Test
    void randomWords() {
        SplittableRandom random = new SplittableRandom(20261129);
        for (int i = 0; i < 1_000_000; i++) {
            int index = random.nextInt(CAPACITY / 8) * 8;
            long header = switch (i % 3) {
                case 0 -> random.nextLong();
                case 1 -> RecordLayout.header(random.nextInt(-CAPACITY - 16, CAPACITY + 16), random.nextInt(-3, 5));
                default -> RecordLayout.header(random.nextInt(-CAPACITY - 16, CAPACITY + 16), random.nextInt());
            };
            assertAgrees(header, index);
        }
    }
}

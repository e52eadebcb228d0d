package dev.ringfork.core.memory;

import dev.ringfork.core.sync.SharedInt;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Damaged region files must give a specific exception naming the file and the problem, and must never
 * take the JVM down (a SIGBUS here would kill the test JVM and fail the build).
 */
class RegionCorruptionTest {

    @TempDir
    Path temp;
    RegionOptions options;
    Path file;

    @BeforeEach
    void setUp() {
        options = RegionOptions.defaults().withDirectory(temp.resolve("regions")).withSize(64 * 1024)
                .withSlotCapacity(16).withOpenTimeout(Duration.ofMillis(200));
        try (SharedRegion region = SharedRegion.create("victim", options)) {
            region.sharedInt("counter", 5);
            file = region.file();
        }
    }

    @Test
    void intactFileOpens() {
        try (SharedRegion region = SharedRegion.open("victim", options)) {
            assertEquals(5, region.sharedInt("counter").get());
        }
    }

    @Test
    void emptyFileIsTruncated() throws Exception {
        truncate(0);
        assertProblem(RegionFormatException.Problem.TRUNCATED, "shorter than");
    }

    @Test
    void fileShorterThanItsHeaderIsTruncated() throws Exception {
        truncate(100);
        assertProblem(RegionFormatException.Problem.TRUNCATED, "100 bytes");
    }

    @Test
    void fileShorterThanItsDeclaredLengthIsTruncatedNotASigbus() throws Exception {
        truncate(8192);
        assertProblem(RegionFormatException.Problem.TRUNCATED, "header says 65536");
    }

    @Test
    void wrongMagicIsRejected() throws Exception {
        writeLong(RegionLayout.MAGIC_OFFSET, 0x1122334455667788L);
        assertProblem(RegionFormatException.Problem.BAD_MAGIC, "magic");
    }

    @Test
    void foreignFileIsRejected() throws Exception {
        Files.writeString(file, "just some text that happens to be long enough ".repeat(20));
        assertProblem(RegionFormatException.Problem.BAD_MAGIC, "magic");
    }

    @Test
    void futureMajorVersionIsRejected() throws Exception {
        writeInt(RegionLayout.MAJOR_OFFSET, RegionLayout.MAJOR_VERSION + 1);
        assertProblem(RegionFormatException.Problem.UNSUPPORTED_VERSION, "version " + (RegionLayout.MAJOR_VERSION + 1) + ".0");
    }

    /** 1.x lock words carried the pid in bits 0-29; a 2.x process must not read them as owner words. */
    @Test
    void layout1IsRejected() throws Exception {
        writeInt(RegionLayout.MAJOR_OFFSET, 1);
        assertProblem(RegionFormatException.Problem.UNSUPPORTED_VERSION, "version 1.0, this Ringfork reads only "
                + RegionLayout.MAJOR_VERSION + ".x");
    }

    @Test
    void newerMinorVersionIsAccepted() throws Exception {
        writeInt(RegionLayout.MINOR_OFFSET, RegionLayout.MINOR_VERSION + 3);
        try (SharedRegion region = SharedRegion.open("victim", options)) {
            assertEquals(5, region.sharedInt("counter").get());
        }
    }

    @Test
    void neverReadyFileTimesOut() throws Exception {
        writeInt(RegionLayout.READY_OFFSET, 0);
        assertProblem(RegionFormatException.Problem.NOT_READY, "not marked ready");
    }

    @Test
    void damagedDirectoryIsReported() throws Exception {
        writeInt(RegionLayout.SLOTS_USED_OFFSET, 1_000);
        try (SharedRegion region = SharedRegion.open("victim", options)) {
            RegionFormatException e = assertThrows(RegionFormatException.class, () -> region.sharedInt("counter"));
            assertEquals(RegionFormatException.Problem.CORRUPT, e.problem());
        }
        writeInt(RegionLayout.SLOTS_USED_OFFSET, 1);
        writeLong(RegionLayout.DIRECTORY_OFFSET + SlotLayout.DATA_OFFSET_OFFSET, 1L << 40);
        try (SharedRegion region = SharedRegion.open("victim", options)) {
            RegionFormatException e = assertThrows(RegionFormatException.class, () -> region.sharedInt("counter"));
            assertTrue(e.getMessage().contains("damaged directory entry"), e.getMessage());
        }
    }

    @Test
    void groupReadableFileIsRefused() throws Exception {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        RegionPermissionException e = assertThrows(RegionPermissionException.class, () -> SharedRegion.open("victim", options));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("644")
                && e.getMessage().contains("chmod 600"), e.getMessage());
    }

    @Test
    void fileOfAnotherUserIsRefused() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "only root can give a file away");
        Files.setAttribute(file, "unix:uid", 65534);
        RegionPermissionException e = assertThrows(RegionPermissionException.class, () -> SharedRegion.open("victim", options));
        assertTrue(e.getMessage().contains("uid 65534"), e.getMessage());
    }

    @Test
    void worldWritableDirectoryIsRefused() throws Exception {
        Files.setPosixFilePermissions(options.directory(), PosixFilePermissions.fromString("rwxrwxrwx"));
        RegionPermissionException e = assertThrows(RegionPermissionException.class, () -> SharedRegion.open("victim", options));
        assertTrue(e.getMessage().contains("chmod 700"), e.getMessage());
    }

    @Test
    void symbolicLinkIsRefused() throws Exception {
        Files.createSymbolicLink(options.directory().resolve("link"), file);
        assertThrows(RegionPermissionException.class, () -> SharedRegion.open("link", options));
    }

    @Test
    void theJvmSurvivesAndStillWorksAfterAllOfThat() throws Exception {
        truncate(10);
        assertThrows(RegionFormatException.class, () -> SharedRegion.open("victim", options));
        try (SharedRegion fresh = SharedRegion.create("fresh", options)) {
            SharedInt value = fresh.sharedInt("v");
            assertEquals(1, value.incrementAndGet());
        }
    }

    private void assertProblem(RegionFormatException.Problem problem, String detail) {
        RegionFormatException e = assertThrows(RegionFormatException.class, () -> SharedRegion.open("victim", options));
        assertEquals(problem, e.problem(), e.getMessage());
        assertEquals(file, e.file());
        assertTrue(e.getMessage().contains(file.toString()), "names the file: " + e.getMessage());
        assertTrue(e.getMessage().contains(detail), "says '" + detail + "': " + e.getMessage());
    }

    private void truncate(long length) throws Exception {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(length);
        }
    }

    private void writeInt(long offset, int value) throws Exception {
        write(offset, ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, value));
    }

    private void writeLong(long offset, long value) throws Exception {
        write(offset, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, value));
    }

    private void write(long offset, ByteBuffer bytes) throws Exception {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.write(bytes, offset);
        }
    }
}

package dev.ringfork.core.memory;

import dev.ringfork.core.sync.SharedInt;
import dev.ringfork.core.sync.SharedLock;
import dev.ringfork.core.sync.SharedLong;
import dev.ringfork.core.testing.ChildJvm;
import dev.ringfork.core.testing.ChildSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RegionTest {

    @TempDir
    Path temp;
    RegionOptions options;

    @BeforeEach
    void setUp() {
        options = RegionOptions.defaults().withDirectory(temp.resolve("regions")).withSize(64 * 1024).withSlotCapacity(16);
    }

    @Test
    void valuesAreSharedBetweenMappingsByName() {
        try (SharedRegion a = SharedRegion.create("shared", options);
             SharedRegion b = SharedRegion.open("shared", options)) {
            SharedInt counter = a.sharedInt("counter", 41);
            assertEquals(42, b.sharedInt("counter", 7).incrementAndGet(), "initial value applies only on creation");
            assertEquals(42, counter.get());
            SharedLong big = b.sharedLong("big");
            big.set(1L << 40);
            assertEquals(1L << 40, a.sharedLong("big").get());
            assertEquals(List.of("counter", "big"), a.slots().stream().map(SlotInfo::name).toList());
            assertEquals(SlotKind.LONG, a.slots().get(1).kind());
        }
    }

    @Test
    void everySlotOwnsItsLine() {
        try (SharedRegion region = SharedRegion.create("lines", options)) {
            region.sharedInt("a");
            region.sharedLong("b");
            region.lock("c");
            for (SlotInfo slot : region.slots()) {
                assertEquals(0, slot.offset() % RegionLayout.LINE, slot + " starts on a line");
            }
            List<SlotInfo> slots = region.slots();
            for (int i = 1; i < slots.size(); i++) {
                assertTrue(slots.get(i).offset() - slots.get(i - 1).offset() >= RegionLayout.LINE, "slots do not share lines");
            }
        }
    }

    @Test
    void fileIsOwnerOnlyInAPrivateDirectory() throws Exception {
        try (SharedRegion region = SharedRegion.create("private", options)) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(region.file())));
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(region.file().getParent())));
            assertEquals(64 * 1024, Files.size(region.file()));
            assertEquals(ProcessHandle.current().pid(), region.creatorPid());
            assertTrue(region.isCreatorAlive());
        }
    }

    @Test
    void createRefusesAnExistingNameAndOpenAMissingOne() {
        try (SharedRegion region = SharedRegion.create("taken", options)) {
            RegionExistsException exists = assertThrows(RegionExistsException.class, () -> SharedRegion.create("taken", options));
            assertTrue(exists.getMessage().contains("taken"));
            try (SharedRegion again = SharedRegion.openOrCreate("taken", options)) {
                assertEquals(region.file(), again.file());
            }
        }
        RegionNotFoundException missing = assertThrows(RegionNotFoundException.class, () -> SharedRegion.open("absent", options));
        assertTrue(missing.getMessage().contains("absent"), missing.getMessage());
    }

    @Test
    void namesAreValidated() {
        for (String bad : List.of("", "a/b", "..", "../etc", ".hidden", "tab\tname", "nul\0", "x".repeat(129), "space name")) {
            assertThrows(IllegalArgumentException.class, () -> SharedRegion.create(bad, options), "name '" + bad + "'");
        }
        try (SharedRegion region = SharedRegion.create("ok.name_1-2", options)) {
            assertThrows(IllegalArgumentException.class, () -> region.sharedInt("bell\u0007"));
            assertThrows(IllegalArgumentException.class, () -> region.sharedInt("é".repeat(60)), "too many UTF-8 bytes");
            assertEquals(5, region.sharedInt("ünïcødé ok", 5).get());
        }
    }

    @Test
    void slotKindAndSizeMismatchesAreRefused() {
        try (SharedRegion region = SharedRegion.create("kinds", options)) {
            region.sharedInt("x");
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> region.lock("x"));
            assertTrue(e.getMessage().contains("INT") && e.getMessage().contains("LOCK"), e.getMessage());
            region.bytes("raw", 256, 128);
            assertThrows(IllegalStateException.class, () -> region.bytes("raw", 512, 128));
        }
    }

    @Test
    void fullRegionSaysWhatToEnlarge() {
        try (SharedRegion region = SharedRegion.create("full", options)) {
            RegionFullException tooBig = assertThrows(RegionFullException.class, () -> region.bytes("huge", 1 << 20, 128));
            assertTrue(tooBig.getMessage().contains("withSize"), tooBig.getMessage());
            for (int i = 0; i < 16; i++) {
                region.sharedInt("v" + i);
            }
            RegionFullException noSlot = assertThrows(RegionFullException.class, () -> region.sharedInt("one-more"));
            assertTrue(noSlot.getMessage().contains("withSlotCapacity"), noSlot.getMessage());
            assertEquals(16, region.slots().size(), "what was accepted is still there");
        }
    }

    @Test
    void closedRegionFailsCleanly() {
        SharedRegion region = SharedRegion.create("closed", options);
        SharedInt value = region.sharedInt("v");
        SharedLock lock = region.lock("l");
        region.close();
        region.close();
        assertThrows(IllegalStateException.class, value::get);
        assertThrows(IllegalStateException.class, lock::tryLock);
    }

    @Test
    void unlinkRemovesTheFileButNotLiveMappings() {
        try (SharedRegion region = SharedRegion.create("gone", options)) {
            SharedInt value = region.sharedInt("v", 3);
            assertTrue(SharedRegion.unlink("gone", options));
            assertFalse(Files.exists(region.file()));
            assertEquals(4, value.incrementAndGet());
            assertFalse(SharedRegion.unlink("gone", options));
        }
    }

    @Test
    void sweepRemovesOnlyRegionsOfDeadCreatorsThatNobodyMaps() {
        try (SharedRegion mine = SharedRegion.create("mine", options);
             ChildJvm orphanMaker = ChildJvm.start(CreateAndExit.class, options.directory().toString(), "orphan")) {
            orphanMaker.awaitSuccess(Duration.ofSeconds(60));
            try (ChildJvm holderMaker = ChildJvm.start(CreateAndExit.class, options.directory().toString(), "held")) {
                holderMaker.awaitSuccess(Duration.ofSeconds(60));
            }
            // "held" has a dead creator but we map it: it is in use and must stay.
            try (SharedRegion held = SharedRegion.open("held", options)) {
                assertFalse(held.isCreatorAlive());
                assertEquals(List.of(options.directory().resolve("orphan")), SharedRegion.sweepCandidates(options));
                assertEquals(List.of(options.directory().resolve("orphan")), SharedRegion.sweep(options));
            }
            assertTrue(Files.exists(mine.file()));
            assertTrue(Files.exists(options.directory().resolve("held")));
            assertFalse(Files.exists(options.directory().resolve("orphan")));
            assertEquals(List.of(options.directory().resolve("held")), SharedRegion.sweep(options), "unmapped now");
        }
    }

    @Test
    void mappedRegionNamesSeeTheCreatorsMappingAndOpenersThroughASymlinkedParent() throws Exception {
        // /proc shows real paths: a directory reached through a symlinked parent must still match.
        Files.createDirectories(options.directory());
        Path link = Files.createSymbolicLink(temp.resolve("link"), temp);
        RegionOptions viaLink = options.withDirectory(link.resolve(options.directory().getFileName()));
        try (ChildJvm maker = ChildJvm.start(CreateAndExit.class, options.directory().toString(), "held")) {
            maker.awaitSuccess(Duration.ofSeconds(60));
        }
        try (SharedRegion created = SharedRegion.create("created", options)) {
            // The creator maps the staged file, unlinked at publication: found by its inode.
            assertEquals(Set.of("created"), SharedRegion.mappedRegionNames(options).orElseThrow());
            try (SharedRegion held = SharedRegion.open("held", viaLink)) {
                assertFalse(held.isCreatorAlive());
                assertEquals(Set.of("created", "held"), SharedRegion.mappedRegionNames(viaLink).orElseThrow());
                assertEquals(List.of(), SharedRegion.sweepCandidates(viaLink), "the dead creator's region is in use");
            }
            assertEquals(List.of(viaLink.directory().resolve("held")), SharedRegion.sweep(viaLink), "unmapped now");
            assertTrue(Files.exists(created.file()));
        }
    }

    /** Child: creates a region with a value in it, then exits. */
    public static final class CreateAndExit {
        public static void main(String[] args) {
            ChildSupport.dieWithParent(Duration.ofSeconds(60));
            RegionOptions options = ChildSupport.options(args[0]).withSize(64 * 1024).withSlotCapacity(16);
            try (SharedRegion region = SharedRegion.create(args[1], options)) {
                region.sharedInt("left-behind", 1);
            }
        }
    }
}

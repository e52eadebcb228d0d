package dev.ringfork.ipc.internal;

import dev.ringfork.ipc.pool.SharedSegment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Which scope a mapping counts for: the scope of the thread that maps, as in a pool worker. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SegmentMappingsTest {

    private static final Duration BOUND = Duration.ofSeconds(30);
    /** Scope ids far from any job or chunk id a pool in this JVM uses. */
    private static final long SCOPE = Long.MAX_VALUE - 41;

    @TempDir
    Path temp;

    @Test
    void aRegionMappedByAThreadOfItsOwnWhileATaskRunsStaysMappedWhenTheTasksScopeEnds() throws Exception {
        try (SharedSegment segment = SharedSegment.allocate(64, temp)) {
            segment.segment().set(ValueLayout.JAVA_LONG, 0, 42L);
            SharedSegment.Ref ref = segment.ref();
            SegmentMappings.enter(SCOPE); // this thread plays the worker's task thread
            MemorySegment background;
            try {
                background = CompletableFuture.supplyAsync(ref::readOnly, command -> Thread.ofPlatform().start(command))
                        .get(BOUND.toSeconds(), TimeUnit.SECONDS);
            } finally {
                SegmentMappings.leave();
            }
            SegmentMappings.end(SCOPE);
            assertEquals(42L, background.get(ValueLayout.JAVA_LONG, 0), "the background thread's view is still mapped");
        }
    }

    @Test
    void aRegionTheTaskThreadMapsIsUnmappedWhenItsScopeEnds() {
        try (SharedSegment segment = SharedSegment.allocate(64, temp)) {
            SegmentMappings.enter(SCOPE + 1);
            MemorySegment view;
            try {
                view = segment.ref().readOnly();
                assertEquals(0L, view.get(ValueLayout.JAVA_LONG, 0));
            } finally {
                SegmentMappings.leave();
            }
            SegmentMappings.end(SCOPE + 1);
            assertThrows(IllegalStateException.class, () -> view.get(ValueLayout.JAVA_LONG, 0), "unmapped with its scope");
        }
    }
}

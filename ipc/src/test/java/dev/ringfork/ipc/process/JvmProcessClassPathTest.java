package dev.ringfork.ipc.process;

import dev.ringfork.ipc.internal.JvmCommand;
import dev.ringfork.ipc.process.JvmProcess.OutputMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link JvmProcessBuilder#classPath}: the child runs on the given path and Ringfork's jars, nothing inherited. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JvmProcessClassPathTest {

    @Test
    void theChildRunsOnTheGivenClassPathFollowedByRingforksOwn() throws Exception {
        String testClasses = Path.of(ClassPathReporter.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        JvmProcess child = JvmProcess.builder().heap("64m").classPath(testClasses)
                .mainClass(ClassPathReporter.class.getName(), "x").output(OutputMode.CAPTURE).start();
        assertTrue(child.join(30, TimeUnit.SECONDS), "the child did not end in time");
        assertEquals(0, child.exitCode().orElseThrow(), child.output());
        List<String> expected = new ArrayList<>(List.of(testClasses));
        expected.addAll(JvmCommand.ringforkClassPath());
        assertEquals("CP " + String.join(File.pathSeparator, expected) + "\n", child.output());
        assertEquals(2, JvmCommand.ringforkClassPath().size(), "core and ipc: " + JvmCommand.ringforkClassPath());
    }

    @Test
    void aTaskCannotRunOnAnotherClassPath() {
        assertThrows(IllegalStateException.class, () -> JvmProcess.builder().classPath(".").task(() -> { }));
        assertThrows(IllegalStateException.class, () -> JvmProcess.builder().task(() -> { }).classPath("."));
        assertThrows(IllegalArgumentException.class, () -> JvmProcess.builder().classPath("a\nb"));
    }

    /** Child: prints its class path. */
    public static final class ClassPathReporter {
        public static void main(String[] args) {
            System.out.println("CP " + System.getProperty("java.class.path"));
        }
    }
}

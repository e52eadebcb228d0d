package dev.ringfork.ipc.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * What every test of the real script shares: a private region directory and a {@link RingforkScript}
 * pointed at it, closed (and every process it started killed) after each test. Subclasses also carry
 * {@code @EnabledIfSystemProperty(named = RingforkScript.ROOT_PROPERTY, ...)}: they run in the verify phase only.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
abstract class ScriptTestBase {

    @TempDir
    Path regions;

    RingforkScript ringfork;

    @BeforeEach
    void startScript() {
        ringfork = new RingforkScript(regions);
    }

    @AfterEach
    void closeScript() {
        ringfork.close();
    }
}

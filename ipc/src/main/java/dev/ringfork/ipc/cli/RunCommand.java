package dev.ringfork.ipc.cli;

import dev.ringfork.core.memory.RegionOptions;
import dev.ringfork.core.memory.SharedRegion;
import dev.ringfork.ipc.internal.FreshRegions;
import dev.ringfork.ipc.process.JvmProcess.OutputMode;
import dev.ringfork.ipc.process.JvmProcess;
import dev.ringfork.ipc.process.JvmProcessBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code ringfork run --workers N --main CLASS}: starts N worker JVMs on the user's class path, each told
 * its index, the worker count and a shared region, and waits for them all.
 */
@Command(name = "run", mixinStandardHelpOptions = true, versionProvider = RingforkCli.Version.class,
        description = {"Starts worker JVMs that run your main class, with your class path and Ringfork's jars, and waits"
                + " for them all. Their output comes line by line as [worker-i pid] ...",
                "Each worker is told its index, the worker count and a shared region, created before they start:"
                        + " system properties ringfork.worker.index, ringfork.worker.count, ringfork.region, and"
                        + " environment variables RINGFORK_WORKER_INDEX, RINGFORK_WORKER_COUNT, RINGFORK_REGION.",
                "Exits 0 if every worker exited 0, else 1 and names the ones that did not. Ctrl-C stops them all."},
        footer = {"", "Example:", "  ringfork run -w 4 -m com.example.Crunch -cp target/classes -- input.csv"})
final class RunCommand implements Callable<Integer> {

    /** System property in each worker: its index, from 0. */
    static final String INDEX_PROPERTY = "ringfork.worker.index";
    /** System property in each worker: how many workers there are. */
    static final String COUNT_PROPERTY = "ringfork.worker.count";
    /** System property in each worker: the shared region's name. */
    static final String REGION_PROPERTY = "ringfork.region";
    /** The largest --workers. */
    static final int MAX_WORKERS = 1024;
    /** The shared region's size, if this creates it. */
    static final long REGION_BYTES = 16L << 20;
    private static final long KILL_AFTER_SECONDS = 5;

    @Spec
    CommandSpec spec;

    @Option(names = {"-w", "--workers"}, paramLabel = "N|auto", defaultValue = "auto",
            description = "how many worker JVMs: a number, or auto for one per CPU (default: auto)")
    String workers;

    @Option(names = {"-m", "--main"}, required = true, paramLabel = "CLASS",
            description = "the main class every worker runs, e.g. com.example.Worker")
    String mainClass;

    @Option(names = {"-cp", "--class-path"}, paramLabel = "PATH",
            description = "where your classes are (default: $CLASSPATH, else the current directory)")
    String classPath;

    @Option(names = "--jvm-opt", paramLabel = "OPT",
            description = "a JVM option for every worker, e.g. --jvm-opt=-Xmx1g; repeat for more")
    List<String> jvmOptions = new ArrayList<>();

    @Option(names = "--region", paramLabel = "NAME",
            description = "the shared region's name; it is kept at the end (default: run-<pid>-<start>-1, removed at the end)")
    String region;

    @Option(names = "--dir", paramLabel = "PATH",
            description = "the region directory (default: $RINGFORK_DIR, else /dev/shm/ringfork-$USER)")
    Path dir;

    @Parameters(paramLabel = "ARG", description = "arguments for the main class; put them after --")
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() throws InterruptedException {
        int count = workerCount();
        boolean generated = region == null;
        String named = generated ? null : ChannelOptions.requireRegionName(spec, region);
        RegionOptions options = ChannelOptions.regionOptions(dir).withSize(REGION_BYTES);
        // run-<pid>-<start>-<n>: a region a killed run with this pid left behind is in nobody's way
        SharedRegion held = generated ? FreshRegions.createUnique("run", options) : SharedRegion.openOrCreate(named, options);
        String regionName = held.name();
        try (SharedRegion _ = held) { // held while the workers run
            List<JvmProcessBuilder> builders = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                try {
                    builders.add(worker(i, count, regionName));
                } catch (IllegalArgumentException e) {
                    throw new ParameterException(spec.commandLine(), e.getMessage());
                }
            }
            return runAll(builders, generated ? regionName : null, options);
        } finally {
            if (generated) {
                SharedRegion.unlink(regionName, options);
            }
        }
    }

    private int workerCount() {
        if (workers.equals("auto")) {
            return Runtime.getRuntime().availableProcessors();
        }
        int n;
        try {
            n = Integer.parseInt(workers);
        } catch (NumberFormatException e) {
            throw new ParameterException(spec.commandLine(), "--workers takes a number or auto, not '" + workers + "'");
        }
        if (n < 1 || n > MAX_WORKERS) {
            throw new ParameterException(spec.commandLine(), "--workers must be from 1 to " + MAX_WORKERS + " (or auto),"
                    + " was " + n);
        }
        return n;
    }

    private JvmProcessBuilder worker(int index, int count, String regionName) {
        JvmProcessBuilder builder = JvmProcess.builder()
                .name("worker-" + index)
                .output(OutputMode.PREFIXED)
                .classPath(userClassPath())
                .jvmOptions(jvmOptions)
                .systemProperty(INDEX_PROPERTY, Integer.toString(index))
                .systemProperty(COUNT_PROPERTY, Integer.toString(count))
                .systemProperty(REGION_PROPERTY, regionName)
                .environment("RINGFORK_WORKER_INDEX", Integer.toString(index))
                .environment("RINGFORK_WORKER_COUNT", Integer.toString(count))
                .environment("RINGFORK_REGION", regionName);
        if (dir != null) { // the workers open the region where this created it
            String directory = dir.toAbsolutePath().toString();
            builder.systemProperty("ringfork.dir", directory).environment("RINGFORK_DIR", directory);
        }
        return builder.mainClass(mainClass, args.toArray(String[]::new));
    }

    private String userClassPath() {
        if (classPath != null) {
            return classPath;
        }
        String inherited = System.getenv("CLASSPATH");
        return inherited != null && !inherited.isBlank() ? inherited : ".";
    }

    /** Starts the workers, waits for them, reports failures; a shutdown hook stops them on Ctrl-C or SIGTERM. */
    private int runAll(List<JvmProcessBuilder> builders, String generatedRegion, RegionOptions options)
            throws InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        String me = spec.qualifiedName();
        List<JvmProcess> started = new CopyOnWriteArrayList<>();
        AtomicBoolean interrupted = new AtomicBoolean();
        Thread hook = new Thread(() -> {
            interrupted.set(true);
            stopAll(started, err, me);
            if (generatedRegion != null) {
                SharedRegion.unlink(generatedRegion, options);
            }
        }, "ringfork-run-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        boolean stopping = false;
        try {
            for (JvmProcessBuilder builder : builders) {
                started.add(builder.start());
            }
            int failed = 0;
            for (JvmProcess worker : started) {
                int code = worker.join();
                if (code != 0 && !interrupted.get()) {
                    failed++;
                    err.println(me + ": " + worker.name() + " (pid " + worker.pid() + ") exited with " + code);
                }
            }
            err.flush();
            return failed == 0 ? 0 : RingforkCli.FAILED;
        } catch (UncheckedIOException e) {
            stopAll(started, err, me);
            throw new CliFailure("cannot start worker-" + started.size() + ": " + e.getMessage());
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                stopping = true; // the hook stops the workers
            }
            if (!stopping) {
                stopAll(started, err, me); // after an interrupt: no worker outlives this command
            }
        }
    }

    /** Asks every live worker to stop (SIGTERM; what their shutdown hooks print still arrives), and kills those still running after 5 s. */
    private static void stopAll(List<JvmProcess> workers, PrintWriter err, String me) {
        for (JvmProcess worker : workers) {
            if (worker.isAlive()) {
                worker.terminate();
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(KILL_AFTER_SECONDS);
        for (JvmProcess worker : workers) {
            try {
                if (!worker.join(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    worker.kill();
                    err.println(me + ": " + worker.name() + " (pid " + worker.pid() + ") did not stop within "
                            + KILL_AFTER_SECONDS + " s of SIGTERM: killed it");
                    err.flush();
                }
            } catch (InterruptedException e) {
                worker.kill();
                Thread.currentThread().interrupt();
            }
        }
    }
}

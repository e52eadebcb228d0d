package dev.ringfork.ipc.cli;

import dev.ringfork.core.memory.RegionException;
import dev.ringfork.core.memory.RegionNotFoundException;
import dev.ringfork.core.memory.RegionOptions;
import dev.ringfork.core.memory.SharedRegion;
import dev.ringfork.ipc.cluster.Cluster;
import dev.ringfork.ipc.cluster.ClusterOptions;
import dev.ringfork.ipc.cluster.ClusterStatus;
import dev.ringfork.ipc.cluster.ClusterUnavailableException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code ringfork stat [NAME]}: the regions of a directory, or everything in one region (values, locks
 * and their owners, semaphores, events, rings with their backlog), like Aeron's AeronStat. Reads only:
 * attaching to a slot by name changes nothing, and rings are read through their layout, never through a
 * producer or consumer. {@code --watch} refreshes and adds each ring's rates (see {@link StatRates}).
 */
@Command(name = "stat", mixinStandardHelpOptions = true,
        description = {
            "Shows regions, rings, locks and values in shared memory, changing nothing (like AeronStat).",
            "Without NAME: the regions in the directory (size, creator and whether it runs, slots, whether a live process maps it).",
            "With NAME: the region's header and every slot: int/long values, locks (owner, waiters, deaths), "
                    + "semaphores and events, rings (head, tail, backlog, sleepers, closed, unblocked, lost).",
            "Reads only; changes nothing. Exit 0 ok, 1 no such region or an unreadable one, 2 bad usage."},
        footer = {"", "Examples:", "  ringfork stat", "  ringfork stat jobs --watch --interval 500ms", "  ringfork stat jobs --json",
                "  ringfork stat --cluster jobs --members 10.0.0.5:5701"})
final class StatCommand implements Callable<Integer> {

    private static final String CLEAR_SCREEN = "\033[H\033[2J";

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "The region to show; omit to list them all.")
    String name;

    @Option(names = "--dir", paramLabel = "PATH",
            description = "The region directory (default: $RINGFORK_DIR, else /dev/shm/ringfork-$USER).")
    Path directory;

    @Option(names = "--watch", description = "Refresh every --interval until Ctrl-C, with each ring's bytes/s and messages/s.")
    boolean watch;

    @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "1s", converter = Converters.Time.class,
            description = "Time between refreshes with --watch: 500ms, 2s, 1m, PT0.5S (default: ${DEFAULT-VALUE}).")
    Duration interval;

    @Option(names = "--count", paramLabel = "N", description = "Stop after N refreshes (implies --watch).")
    Integer count;

    @Option(names = "--json", description = "Print JSON (one object per line, one line per refresh) instead of text.")
    boolean json;

    @Option(names = "--cluster", paramLabel = "CLUSTER",
            description = "Show a cluster of hosts instead: its host agents (pools, chunks in flight and done) and queues.")
    String cluster;

    @Option(names = "--members", split = ",", paramLabel = "HOST:PORT",
            description = "With --cluster: members to connect through, comma-separated.")
    List<String> members;

    @Override
    public Integer call() {
        if (interval.isNegative() || interval.isZero()) {
            throw new ParameterException(spec.commandLine(), "--interval must be positive, was " + interval);
        }
        if (count != null && count < 1) {
            throw new ParameterException(spec.commandLine(), "--count must be at least 1, was " + count);
        }
        boolean watching = watch || count != null;
        Cluster connected = cluster != null || members != null ? connect() : null;
        try {
            return show(watching, connected);
        } finally {
            if (connected != null) {
                connected.close();
            }
        }
    }

    private Cluster connect() {
        if (cluster == null || members == null || members.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "--cluster NAME and --members HOST:PORT,... go together");
        }
        if (name != null || directory != null || json) {
            throw new ParameterException(spec.commandLine(), "with --cluster, NAME, --dir and --json do not apply");
        }
        ClusterOptions options;
        try {
            options = ClusterOptions.of(cluster, members);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        try {
            return Cluster.connect(options);
        } catch (ClusterUnavailableException e) {
            throw new StatFailure(e.getMessage());
        }
    }

    private int show(boolean watching, Cluster connected) {
        Path dir = directory != null ? directory.toAbsolutePath().normalize() : RegionOptions.defaultDirectory();
        PrintWriter out = spec.commandLine().getOut();
        boolean clear = watching && !json && System.console() != null && System.console().isTerminal();
        StatRates rates = new StatRates();
        long next = System.nanoTime();
        for (int refresh = 1; ; refresh++) {
            String block;
            try {
                block = connected != null ? clusterBlock(connected, watching ? refresh : 0)
                        : render(dir, rates, watching ? refresh : 0);
            } catch (StatFailure failure) {
                PrintWriter err = spec.commandLine().getErr();
                err.println(failure.getMessage());
                err.flush();
                return 1;
            }
            out.print(clear ? CLEAR_SCREEN + block : block);
            out.flush();
            if (!watching || (count != null && refresh >= count)) {
                return 0;
            }
            next += interval.toNanos();
            long wait = next - System.nanoTime();
            if (wait < 0) {
                next = System.nanoTime(); // a slow refresh: keep the interval from now on, do not catch up
            } else if (!pause(wait)) {
                return 0;
            }
        }
    }

    /** One refresh of {@code --cluster}. */
    private static String clusterBlock(Cluster connected, int refresh) {
        String heading = refresh > 0 ? "refresh " + refresh + "  " + Instant.now().truncatedTo(ChronoUnit.MILLIS) + "\n" : "";
        try {
            return heading + StatCluster.text(ClusterStatus.read(connected)) + (refresh > 0 ? "\n" : "");
        } catch (RuntimeException e) {
            throw new StatFailure("cluster '" + connected.name() + "' could not be read: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StatFailure("interrupted while reading cluster '" + connected.name() + "'");
        }
    }

    /** One refresh: the listing, or the region NAME; {@code refresh} is 0 when not watching. */
    private String render(Path dir, StatRates rates, int refresh) {
        String time = Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
        StatJson.Watch stamp = refresh > 0 ? new StatJson.Watch(refresh, time) : null;
        String heading = refresh > 0 && !json ? "refresh " + refresh + "  " + time + "\n" : "";
        String separator = refresh > 0 && !json ? "\n" : "";
        if (name == null) {
            StatListing listing;
            try {
                listing = StatListing.read(dir);
            } catch (UncheckedIOException | RegionException e) {
                throw new StatFailure(e.getMessage());
            }
            return json ? StatJson.listing(listing, stamp) + "\n" : heading + StatText.listing(listing) + separator;
        }
        StatRegion region = readRegion(dir);
        List<StatRates.Rate> rateList = rates.update(region);
        return json ? StatJson.region(region, rateList, stamp) + "\n" : heading + StatText.region(region, rateList) + separator;
    }

    private StatRegion readRegion(Path dir) {
        String missing = "no region " + name + " in " + dir + ": list the regions there with 'ringfork stat --dir " + dir + "'";
        if (!Files.isDirectory(dir)) {
            throw new StatFailure(missing + " (the directory does not exist)");
        }
        RegionOptions options = RegionOptions.defaults().withDirectory(dir).withOpenTimeout(Duration.ZERO);
        try (SharedRegion region = SharedRegion.open(name, options)) {
            return StatRegion.read(region);
        } catch (RegionNotFoundException e) {
            throw new StatFailure(missing);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        } catch (RegionException | UncheckedIOException | IllegalStateException e) {
            throw new StatFailure(e.getMessage());
        }
    }

    /** Sleeps {@code nanos}; false if interrupted (Ctrl-C in an embedding program): stop watching. */
    private static boolean pause(long nanos) {
        try {
            Thread.sleep(Duration.ofNanos(nanos));
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** A problem to report in one line, with exit code 1. */
    private static final class StatFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StatFailure(String message) {
            super(message, null, false, false);
        }
    }
}

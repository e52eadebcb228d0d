package dev.ringfork.bench.peer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * Runs Ringfork and its peers side by side, under the same conditions, in one run, and prints
 * markdown tables with ratios. Every producer, consumer, pinger and ponger is its own child JVM
 * (started from this JVM's class path); they meet in a fresh directory under /dev/shm through a
 * {@link Control} page and the structure under test. The harness only sets phases (warm-up, measure,
 * stop), watches the children (deadlines; a failed child fails the measurement, and the others are
 * killed) and collects their {@code RESULT} lines. Ringfork's children get only
 * {@code --enable-native-access}; the peers' get the flags they need on JDK 25.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.ringfork.bench.peer.PeerHarness [--quick] [--only=spsc,pingpong,mpsc,mpmc,inproc,cost]
 * </pre>
 */
public final class PeerHarness {

    static final List<String> COMMON = List.of("--enable-native-access=ALL-UNNAMED", "-Xms256m", "-Xmx256m");
    static final List<String> RINGFORK = List.of();
    static final List<String> AGRONA = List.of("--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED");
    static final List<String> CHRONICLE = List.of(
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
            "--sun-misc-unsafe-memory-access=allow",
            "-Dchronicle.analytics.disable=true", "-Dchronicle.announcer.disable=true");
    static final List<String> HEAP = List.of();

    static final int[] SIZES = {32, 256, 4096};
    /** Chronicle Queue keeps every message: at most this many bytes per measurement. */
    static final long CHRONICLE_BUDGET = 2L << 30;

    record Party(String name, List<String> flags, List<String> args) {
    }

    static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;

        Failure(String message) {
            super(message);
        }
    }

    private final boolean quick;
    private final Duration warmup;
    private final Duration measure;
    private final Path root;
    /** Where to keep every child's log (--logs), or null. */
    private final Path logs;
    private final List<Process> live = new CopyOnWriteArrayList<>();
    /** Figures by key, e.g. "spsc/32/ringfork-claim" -> messages/s. */
    private final Map<String, List<Double>> rates = new LinkedHashMap<>();
    private final Map<String, List<Map<String, String>>> trips = new LinkedHashMap<>();
    private int rounds;
    private final Map<String, String> failures = new LinkedHashMap<>();

    private PeerHarness(boolean quick, Path root, Path logs) {
        this.quick = quick;
        this.logs = logs;
        this.warmup = quick ? Duration.ofMillis(1000) : Duration.ofSeconds(2);
        this.measure = quick ? Duration.ofMillis(1000) : Duration.ofSeconds(3);
        this.root = root;
    }

    public static void main(String[] args) throws Exception {
        boolean quick = false;
        int rounds = 0;
        Path report = null;
        Path logs = null;
        Set<String> only = Set.of("spsc", "pingpong", "mpsc", "mpmc", "inproc", "cost");
        for (String arg : args) {
            if (arg.equals("--quick")) {
                quick = true;
            } else if (arg.startsWith("--rounds=")) {
                rounds = Integer.parseInt(arg.substring("--rounds=".length()));
            } else if (arg.startsWith("--report=")) {
                report = Path.of(arg.substring("--report=".length()));
            } else if (arg.startsWith("--logs=")) {
                logs = Files.createDirectories(Path.of(arg.substring("--logs=".length())));
            } else if (arg.startsWith("--only=")) {
                only = Set.of(arg.substring("--only=".length()).split(","));
            } else {
                System.err.println("usage: PeerHarness [--quick] [--only=spsc,pingpong,mpsc,mpmc,inproc,cost] [--rounds=N] [--report=FILE] [--logs=DIR]");
                System.exit(2);
            }
        }
        Path shm = Path.of("/dev/shm");
        Path parent = Files.isDirectory(shm) && Files.isWritable(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
        sweepStale(parent);
        Path root = Files.createTempDirectory(parent, "ringfork-peers-");
        Files.writeString(root.resolve("harness.pid"), Long.toString(ProcessHandle.current().pid()));
        PeerHarness harness = new PeerHarness(quick, root, logs);
        harness.rounds = rounds > 0 ? rounds : quick ? 1 : 3;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            harness.killAll();
            delete(root);
        }));
        long started = System.nanoTime();
        System.out.printf("Ringfork side-by-side harness%s: %s, %d CPUs, JDK %s, warm-up %s, measure %s, %d round(s), in %s%n",
                quick ? " (quick)" : "", LocalDate.now(), Runtime.getRuntime().availableProcessors(),
                Runtime.version(), harness.warmup, harness.measure, harness.rounds, root);
        for (int round = 1; round <= harness.rounds; round++) {
            if (harness.rounds > 1) {
                System.out.printf("-- round %d of %d%n", round, harness.rounds);
            }
            if (only.contains("spsc")) {
                harness.spsc();
            }
            if (only.contains("pingpong")) {
                harness.pingPong();
            }
            if (only.contains("mpsc")) {
                harness.mpsc();
            }
            if (only.contains("mpmc")) {
                harness.mpmc();
            }
            if (only.contains("inproc")) {
                harness.inProcess();
            }
            if (only.contains("cost")) {
                harness.cost();
            }
        }
        String text = harness.report(only) + String.format("Took %.0f s.%n", (System.nanoTime() - started) / 1e9);
        System.out.println();
        System.out.print(text);
        if (report != null) {
            Files.writeString(report, "Ringfork side-by-side harness" + (quick ? " (quick)" : "") + ", " + LocalDate.now()
                    + ", " + Runtime.getRuntime().availableProcessors() + " CPUs, JDK " + Runtime.version() + "\n\n" + text);
        }
        System.exit(harness.failures.isEmpty() ? 0 : 1);
    }

    /** Deletes the directories of earlier harnesses that were killed (their pid is gone), e.g. by SIGKILL. */
    private static void sweepStale(Path parent) throws IOException {
        try (Stream<Path> dirs = Files.list(parent)) {
            for (Path dir : dirs.filter(d -> d.getFileName().toString().startsWith("ringfork-peers-")).toList()) {
                Path pidFile = dir.resolve("harness.pid");
                try {
                    long pid = Long.parseLong(Files.readString(pidFile).trim());
                    if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                        continue;
                    }
                } catch (IOException | NumberFormatException e) {
                    continue; // not ours, or still starting: leave it
                }
                System.out.println("removing " + dir + " left by a killed harness");
                delete(dir);
            }
        }
    }

    // ---- the measurements ------------------------------------------------------------------------

    private void spsc() {
        for (int size : SIZES) {
            String s = "size=" + size;
            throughput("spsc/" + size + "/ringfork-claim", List.of(
                    party("consumer", RINGFORK, "peer=ringfork", "role=consumer", "kind=spsc", s),
                    party("producer", RINGFORK, "peer=ringfork", "role=producer", "kind=spsc", "mode=claim", s)));
            throughput("spsc/" + size + "/ringfork-batch", List.of(
                    party("consumer", RINGFORK, "peer=ringfork", "role=consumer", "kind=spsc", s),
                    party("producer", RINGFORK, "peer=ringfork", "role=producer", "kind=spsc", "mode=batch", s)));
            throughput("spsc/" + size + "/agrona", List.of(
                    party("consumer", AGRONA, "peer=agrona", "role=consumer", "kind=spsc", s),
                    party("producer", AGRONA, "peer=agrona", "role=producer", "kind=spsc", s)));
            String cap = "cap=" + CHRONICLE_BUDGET / (size + 16);
            throughput("spsc/" + size + "/chronicle", List.of(
                    party("consumer", CHRONICLE, "peer=chronicle", "role=consumer", s, cap),
                    party("producer", CHRONICLE, "peer=chronicle", "role=producer", s, cap)));
        }
    }

    private void pingPong() {
        // Warm-up long enough for the JIT to finish with both sides (Ringfork's read path takes C2
        // 100-300 ms to compile here), so the measured trips run compiled code on schedule.
        String t = "trips=100000";
        String w = quick ? "warmup=100000" : "warmup=300000";
        pingPong("ringfork-spin", RINGFORK, List.of("peer=ringfork", "wait=spin", t, w, "interval=10000"));
        pingPong("ringfork-adaptive", RINGFORK, List.of("peer=ringfork", "wait=adaptive", t, w, "interval=10000"));
        pingPong("agrona-spin", AGRONA, List.of("peer=agrona", t, w, "interval=10000"));
        // One trip a millisecond: the adaptive ponger is asleep on the futex when each ping arrives.
        pingPong("ringfork-adaptive-1khz", RINGFORK, List.of("peer=ringfork", "wait=adaptive",
                quick ? "trips=1000" : "trips=5000", "warmup=500", "interval=1000000"));
    }

    private void mpsc() {
        throughput("mpsc/32/ringfork", List.of(
                party("consumer", RINGFORK, "peer=ringfork", "role=consumer", "kind=mpsc", "producers=2"),
                party("producer0", RINGFORK, "peer=ringfork", "role=producer", "kind=mpsc", "id=0"),
                party("producer1", RINGFORK, "peer=ringfork", "role=producer", "kind=mpsc", "id=1")));
        throughput("mpsc/32/agrona", List.of(
                party("consumer", AGRONA, "peer=agrona", "role=consumer", "kind=mpsc", "producers=2"),
                party("producer0", AGRONA, "peer=agrona", "role=producer", "kind=mpsc", "id=0"),
                party("producer1", AGRONA, "peer=agrona", "role=producer", "kind=mpsc", "id=1")));
    }

    private void mpmc() {
        throughput("mpmc/32/ringfork", List.of(
                party("consumer0", RINGFORK, "peer=ringfork", "role=consumer", "kind=mpmc", "producers=2", "id=0"),
                party("consumer1", RINGFORK, "peer=ringfork", "role=consumer", "kind=mpmc", "producers=2", "id=1"),
                party("producer0", RINGFORK, "peer=ringfork", "role=producer", "kind=mpmc", "id=0"),
                party("producer1", RINGFORK, "peer=ringfork", "role=producer", "kind=mpmc", "id=1")));
    }

    private void inProcess() {
        throughput("inproc/32/abq", List.of(party("consumer", HEAP, "peer=inproc", "role=run", "queue=abq")));
        throughput("inproc/32/mmcaq", List.of(party("consumer", AGRONA, "peer=inproc", "role=run", "queue=mmcaq")));
        throughput("inproc/32/ringfork-spsc", List.of(party("consumer", RINGFORK, "peer=inproc", "role=run", "queue=spsc")));
        throughput("inproc/32/ringfork-mpmc", List.of(party("consumer", RINGFORK, "peer=inproc", "role=run", "queue=mpmc")));
    }

    /** One thread writes a burst of 256 messages, then reads them: the code path's cost, no core-to-core traffic. */
    private void cost() {
        for (int size : new int[] {32, 4096}) {
            for (String impl : List.of("ringfork-claim", "ringfork-batch", "agrona")) {
                throughput("cost/" + size + "/" + impl, List.of(party("consumer", impl.equals("agrona") ? AGRONA : RINGFORK,
                        "peer=single", "role=run", "impl=" + impl, "size=" + size)));
            }
        }
    }

    private static Party party(String name, List<String> flags, String... args) {
        return new Party(name, flags, List.of(args));
    }

    /** Runs one throughput measurement; the rate is the sum over consumers of messages/s in their windows. */
    private void throughput(String key, List<Party> parties) {
        System.out.printf("%-32s ", key);
        System.out.flush();
        try {
            Map<String, Map<String, String>> results = run(key, parties, null);
            double rate = 0;
            long received = 0;
            long sent = 0;
            StringBuilder detail = new StringBuilder();
            for (Map.Entry<String, Map<String, String>> e : results.entrySet()) {
                Map<String, String> r = e.getValue();
                if (r.containsKey("rate")) {
                    rate += Double.parseDouble(r.get("rate"));
                    received += Long.parseLong(r.get("received"));
                    detail.append(String.format(" %s %.2f s", e.getKey(), Double.parseDouble(r.get("seconds"))));
                }
                if (r.containsKey("sent")) {
                    sent += Long.parseLong(r.get("sent"));
                }
            }
            if (sent > 0 && received != sent) {
                throw new Failure("consumers received " + received + " messages, producers sent " + sent);
            }
            rates.computeIfAbsent(key, k -> new ArrayList<>()).add(rate);
            System.out.printf("%,15.0f msg/s  (%,d messages checked;%s)%n", rate, received, detail);
        } catch (Failure e) {
            failures.put(key, e.getMessage());
            System.out.println("FAILED: " + e.getMessage());
        }
    }

    private void pingPong(String key, List<String> flags, List<String> args) {
        System.out.printf("%-32s ", "pingpong/" + key);
        System.out.flush();
        List<String> ponger = new ArrayList<>(args);
        ponger.add("role=ponger");
        List<String> pinger = new ArrayList<>(args);
        pinger.add("role=pinger");
        try {
            Map<String, Map<String, String>> results = run("pingpong-" + key, List.of(
                    new Party("ponger", flags, ponger), new Party("pinger", flags, pinger)), "ponger");
            Map<String, String> r = new HashMap<>(results.get("pinger"));
            r.put("idle_cpu", results.get("ponger").get("idle_cpu"));
            trips.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
            System.out.printf("median %s  p99 %s  p99.9 %s  max %s  (%s trips, ponger idle CPU %s%%)%n",
                    micros(r.get("p50_ns")), micros(r.get("p99_ns")), micros(r.get("p999_ns")),
                    micros(r.get("max_ns")), r.get("trips"), r.get("idle_cpu"));
        } catch (Failure e) {
            failures.put("pingpong/" + key, e.getMessage());
            System.out.println("FAILED: " + e.getMessage());
        }
    }

    // ---- running children -----------------------------------------------------------------------

    /**
     * Starts the parties in order, each once the previous one is attached; runs the phases; waits for
     * all to exit 0 and returns their RESULT fields by party name. With {@code idleParty} (ping-pong) the
     * phases differ: WARMUP starts the pinger, which runs its trips and exits; then the idle party's CPU
     * time is measured over an idle second or two; then STOP.
     */
    private Map<String, Map<String, String>> run(String key, List<Party> parties, String idleParty) throws Failure {
        Path dir;
        try {
            dir = Files.createTempDirectory(root, key.replace('/', '-') + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        currentDir = dir;
        Map<String, Process> processes = new LinkedHashMap<>();
        try (Control control = Control.create(dir.resolve("control"))) {
            for (Party party : parties) {
                processes.put(party.name(), start(party, dir));
                awaitOrFail(processes, () -> control.ready() == processes.size(), Duration.ofSeconds(60),
                        party.name() + " did not attach");
            }
            control.phase(Control.WARMUP);
            if (idleParty == null) {
                watch(processes, warmup);
                control.phase(Control.MEASURE);
                watch(processes, measure);
                control.phase(Control.STOP);
            } else {
                Process pinger = processes.get("pinger");
                awaitOrFail(processes, () -> !pinger.isAlive(), Duration.ofSeconds(300), "pinger did not finish");
                checkExit(processes, "pinger");
                Process idle = processes.get(idleParty);
                watch(processes, Duration.ofMillis(500));
                Duration idleFor = quick ? Duration.ofSeconds(1) : Duration.ofSeconds(2);
                Duration before = cpu(idle);
                long t0 = System.nanoTime();
                watch(processes, idleFor);
                Duration after = cpu(idle);
                double percent = 100.0 * (after.minus(before).toNanos()) / (System.nanoTime() - t0);
                control.phase(Control.STOP);
                idleCpu = String.format(Locale.ROOT, "%.1f", percent);
            }
            awaitOrFail(processes, () -> processes.values().stream().noneMatch(Process::isAlive), Duration.ofSeconds(60),
                    "children did not exit after STOP");
            Map<String, Map<String, String>> results = new LinkedHashMap<>();
            for (String name : processes.keySet()) {
                checkExit(processes, name);
                results.put(name, parseResult(dir.resolve(name + ".log")));
            }
            if (idleParty != null) {
                results.get(idleParty).put("idle_cpu", idleCpu);
            }
            return results;
        } finally {
            for (Process p : processes.values()) {
                p.destroyForcibly();
                live.remove(p);
            }
            for (Process p : processes.values()) {
                try {
                    p.waitFor();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (logs != null) {
                for (String name : processes.keySet()) {
                    try {
                        Files.copy(dir.resolve(name + ".log"), logs.resolve(key.replace('/', '-') + "-" + name + ".log"),
                                StandardCopyOption.REPLACE_EXISTING);
                    } catch (IOException e) {
                        System.err.println("cannot keep log of " + name + ": " + e);
                    }
                }
            }
            delete(dir);
        }
    }

    private String idleCpu;
    private Path currentDir;

    private Process start(Party party, Path dir) {
        String java = ProcessHandle.current().info().command()
                .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(COMMON);
        command.addAll(party.flags());
        String jfr = System.getProperty("peers.jfr");
        if (jfr != null) {
            // -Dpeers.jfr=DIR: a JFR recording (profile settings) of every child, for finding hot spots.
            command.add("-Dpeers.exit=true");
            command.add("-XX:StartFlightRecording=settings=profile,filename="
                    + Path.of(jfr, dir.getFileName() + "-" + party.name() + ".jfr").toAbsolutePath());
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), PeerChild.class.getName(), "dir=" + dir));
        command.addAll(party.args());
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(dir.resolve(party.name() + ".log").toFile()).start();
            live.add(process);
            return process;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    private interface Condition {
        boolean met();
    }

    /** Polls until the condition holds; fails if a child exits with an error first, or at the deadline. */
    private void awaitOrFail(Map<String, Process> processes, Condition condition, Duration timeout, String what)
            throws Failure {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.met()) {
            checkNoneFailed(processes);
            if (System.nanoTime() > deadline) {
                throw new Failure(what + " within " + timeout.toSeconds() + " s" + logTails(processes));
            }
            sleep(5);
        }
    }

    /** Sleeps for {@code duration}, failing as soon as a child exits with an error. */
    private void watch(Map<String, Process> processes, Duration duration) throws Failure {
        long end = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() < end) {
            checkNoneFailed(processes);
            sleep(Math.max(1, Math.min(20, (end - System.nanoTime()) / 1_000_000)));
        }
    }

    private void checkNoneFailed(Map<String, Process> processes) throws Failure {
        for (Map.Entry<String, Process> e : processes.entrySet()) {
            if (!e.getValue().isAlive() && e.getValue().exitValue() != 0) {
                throw new Failure(e.getKey() + " exited with " + e.getValue().exitValue() + logTails(processes));
            }
        }
    }

    private void checkExit(Map<String, Process> processes, String name) throws Failure {
        int exit = processes.get(name).exitValue();
        if (exit != 0) {
            throw new Failure(name + " exited with " + exit + logTails(processes));
        }
    }

    private static Duration cpu(Process process) throws Failure {
        return process.info().totalCpuDuration()
                .orElseThrow(() -> new Failure("no CPU time for pid " + process.pid()));
    }

    private String logTails(Map<String, Process> processes) {
        StringBuilder out = new StringBuilder();
        for (String name : processes.keySet()) {
            Path log = currentDir.resolve(name + ".log");
            try {
                List<String> lines = Files.readAllLines(log);
                out.append("\n  --- ").append(name).append(" log (last lines) ---\n  ");
                out.append(String.join("\n  ", lines.subList(Math.max(0, lines.size() - 25), lines.size())));
            } catch (IOException | UncheckedIOException e) {
                out.append("\n  (cannot read ").append(log).append(": ").append(e).append(')');
            }
        }
        return out.toString();
    }

    private static Map<String, String> parseResult(Path log) throws Failure {
        try {
            Map<String, String> fields = new HashMap<>();
            for (String line : Files.readAllLines(log)) {
                if (line.startsWith("RESULT ")) {
                    for (String field : line.substring("RESULT ".length()).trim().split(" +")) {
                        int eq = field.indexOf('=');
                        fields.put(field.substring(0, eq), field.substring(eq + 1));
                    }
                }
            }
            if (fields.isEmpty()) {
                throw new Failure("no RESULT line in " + log);
            }
            return fields;
        } catch (IOException e) {
            throw new Failure("cannot read " + log + ": " + e);
        }
    }

    private void killAll() {
        for (Process p : live) {
            p.destroyForcibly();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | UncheckedIOException e) {
            System.err.println("cannot delete " + dir + ": " + e);
        }
    }

    // ---- the report -----------------------------------------------------------------------------

    private String report(Set<String> only) {
        StringBuilder out = new StringBuilder();
        List<String> targets = new ArrayList<>();
        out.append(String.format("Each figure is the median of %d round(s); the rounds run one after another over the whole suite.%n%n",
                rounds));
        if (only.contains("spsc")) {
            out.append("Cross-process SPSC throughput, 1 producer JVM -> 1 consumer JVM (messages/s; ratio = Ringfork best / peer)\n\n");
            out.append("| size | Ringfork claim/commit | Ringfork offerBatch | Agrona OneToOneRingBuffer | Chronicle Queue | Ringfork / Agrona | Ringfork / Chronicle |\n");
            out.append("|---:|---:|---:|---:|---:|---:|---:|\n");
            for (int size : SIZES) {
                String k = "spsc/" + size + "/";
                double best = Math.max(rate(k + "ringfork-claim"), rate(k + "ringfork-batch"));
                out.append(String.format("| %d B | %s | %s | %s | %s | %s | %s |\n", size,
                        cell(k + "ringfork-claim"), cell(k + "ringfork-batch"), cell(k + "agrona"), cell(k + "chronicle"),
                        ratio(best, rate(k + "agrona")), ratio(best, rate(k + "chronicle"))));
                if (size == 32) {
                    targets.add(target("SPSC 32 B throughput >= 1.5x Agrona", best / rate(k + "agrona"), 1.5, true));
                    targets.add(target("SPSC 32 B throughput >= 10x Chronicle Queue", best / rate(k + "chronicle"), 10, true));
                }
            }
            out.append('\n');
        }
        if (only.contains("pingpong")) {
            out.append("Cross-process ping-pong round trip, 32 B each way, two JVMs, sent on a fixed schedule and timed\n"
                    + "from the intended send time (coordinated omission corrected), microseconds\n\n");
            out.append("| pair | trips | interval | median | p99 | p99.9 | max | ponger CPU when idle | median / Agrona |\n");
            out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            double agrona = tripValue("agrona-spin", "p50_ns");
            for (String key : List.of("ringfork-spin", "ringfork-adaptive", "agrona-spin", "ringfork-adaptive-1khz")) {
                Map<String, String> r = tripsMedian(key);
                if (r == null) {
                    out.append("| ").append(key).append(" | FAILED | | | | | | | |\n");
                    continue;
                }
                out.append(String.format("| %s | %s | %s µs | %s | %s | %s | %s | %s %% | %s |\n", key, r.get("trips"),
                        Long.parseLong(r.get("interval_ns")) / 1000, micros(r.get("p50_ns")), micros(r.get("p99_ns")),
                        micros(r.get("p999_ns")), micros(r.get("max_ns")), r.get("idle_cpu"),
                        ratio(Double.parseDouble(r.get("p50_ns")), agrona)));
            }
            out.append('\n');
            double spin = tripValue("ringfork-spin", "p50_ns");
            double adaptive = tripValue("ringfork-adaptive", "p50_ns");
            targets.add(target("ping-pong median, busy-spin <= 1.0x Agrona", spin / agrona, 1.0, false));
            targets.add(target("ping-pong median, adaptive <= 2x busy-spin", adaptive / spin, 2.0, false));
            Map<String, String> a = tripsMedian("ringfork-adaptive");
            double idle = a == null ? Double.NaN : Double.parseDouble(a.get("idle_cpu"));
            targets.add(String.format("- adaptive consumer idle CPU ~0%% (under 5 %%, ticks of 10 ms): %.1f %% of one core -> %s", idle,
                    Double.isNaN(idle) ? "NOT MEASURED" : idle < 5 ? "MET" : "MISSED"));
        }
        if (only.contains("mpsc") || only.contains("mpmc")) {
            out.append("Cross-process multi-producer throughput, 32 B messages, one JVM per producer and consumer (messages/s)\n\n");
            out.append("| ring | JVMs | messages/s | ratio |\n|---|---|---:|---:|\n");
            if (only.contains("mpsc")) {
                out.append(String.format("| Ringfork MpscRing | 2 producers -> 1 consumer | %s | %s vs Agrona |\n",
                        cell("mpsc/32/ringfork"), ratio(rate("mpsc/32/ringfork"), rate("mpsc/32/agrona"))));
                out.append(String.format("| Agrona ManyToOneRingBuffer | 2 producers -> 1 consumer | %s | 1.00 |\n",
                        cell("mpsc/32/agrona")));
            }
            if (only.contains("mpmc")) {
                out.append(String.format("| Ringfork MpmcRing | 2 producers -> 2 consumers | %s | (no off-heap peer) |\n",
                        cell("mpmc/32/ringfork")));
            }
            out.append('\n');
        }
        if (only.contains("inproc")) {
            out.append("In-process reference, one JVM, producer thread -> consumer thread, 32 B / one boxed Long per message (messages/s)\n\n");
            out.append("| queue | messages/s | / ArrayBlockingQueue |\n|---|---:|---:|\n");
            double abq = rate("inproc/32/abq");
            for (String[] q : new String[][] {{"abq", "ArrayBlockingQueue (boxed Long)"},
                    {"mmcaq", "Agrona ManyToManyConcurrentArrayQueue (boxed Long)"},
                    {"ringfork-spsc", "Ringfork SpscRing (32 B in place)"},
                    {"ringfork-mpmc", "Ringfork MpmcRing (32 B in place)"}}) {
                String k = "inproc/32/" + q[0];
                out.append(String.format("| %s | %s | %s |\n", q[1], cell(k), ratio(rate(k), abq)));
            }
            out.append('\n');
        }
        if (only.contains("cost")) {
            out.append("Single-thread cost per message (one thread writes 256, then reads them; no core-to-core traffic), ns/message\n\n");
            out.append("| size | Ringfork claim/commit | Ringfork offerBatch | Agrona tryClaim/commit | claim/commit / Agrona |\n|---:|---:|---:|---:|---:|\n");
            for (int size : new int[] {32, 4096}) {
                String k = "cost/" + size + "/";
                out.append(String.format(Locale.ROOT, "| %d B | %s | %s | %s | %s |\n", size, nanos(k + "ringfork-claim"),
                        nanos(k + "ringfork-batch"), nanos(k + "agrona"),
                        ratio(1 / rate(k + "ringfork-claim"), 1 / rate(k + "agrona"))));
            }
            out.append('\n');
        }
        if (!targets.isEmpty()) {
            out.append("Targets:\n\n");
            for (String t : targets) {
                out.append(t).append('\n');
            }
            out.append('\n');
        }
        if (rounds > 1) {
            out.append("Every round (messages/s; ping-pong: median / p99 µs):\n\n```\n");
            rates.forEach((k, v) -> out.append(String.format(Locale.ROOT, "%-28s %s%n", k,
                    String.join("  ", v.stream().map(x -> String.format(Locale.ROOT, "%,.0f", x)).toList()))));
            trips.forEach((k, v) -> out.append(String.format(Locale.ROOT, "%-28s %s%n", "pingpong/" + k,
                    String.join("  ", v.stream().map(r -> micros(r.get("p50_ns")) + " / " + micros(r.get("p99_ns"))).toList()))));
            out.append("```\n\n");
        }
        if (!failures.isEmpty()) {
            out.append("Failed measurements:\n\n");
            failures.forEach((k, v) -> out.append("- ").append(k).append(": ")
                    .append(v.lines().findFirst().orElse("")).append('\n'));
        }
        return out.toString();
    }

    private double rate(String key) {
        List<Double> all = rates.get(key);
        return all == null ? Double.NaN : median(all);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** Each field the median over the rounds (as a whole number, or one decimal for idle CPU). */
    private Map<String, String> tripsMedian(String key) {
        List<Map<String, String>> all = trips.get(key);
        if (all == null || all.isEmpty()) {
            return null;
        }
        Map<String, String> out = new HashMap<>();
        for (String field : all.getFirst().keySet()) {
            if (field.equals("role")) {
                continue;
            }
            double m = median(all.stream().map(r -> Double.parseDouble(r.get(field))).toList());
            out.put(field, field.equals("idle_cpu") || field.equals("mean_ns")
                    ? String.format(Locale.ROOT, "%.1f", m) : Long.toString(Math.round(m)));
        }
        return out;
    }

    private double tripValue(String key, String field) {
        Map<String, String> r = tripsMedian(key);
        return r == null ? Double.NaN : Double.parseDouble(r.get(field));
    }

    private String cell(String key) {
        double r = rate(key);
        if (Double.isNaN(r)) {
            return failures.containsKey(key) ? "FAILED" : "-";
        }
        return String.format(Locale.ROOT, "%,.0f", r) + (failures.containsKey(key) ? " (a round failed)" : "");
    }

    private String nanos(String key) {
        double r = rate(key);
        return Double.isNaN(r) ? (failures.containsKey(key) ? "FAILED" : "-") : String.format(Locale.ROOT, "%.1f", 1e9 / r);
    }

    private static String ratio(double a, double b) {
        return Double.isNaN(a) || Double.isNaN(b) || b == 0 ? "-" : String.format(Locale.ROOT, "%.2f", a / b);
    }

    private static String micros(String nanos) {
        return String.format(Locale.ROOT, "%.2f", Long.parseLong(nanos) / 1000.0);
    }

    private static String target(String what, double value, double bar, boolean atLeast) {
        String verdict = Double.isNaN(value) ? "NOT MEASURED" : (atLeast ? value >= bar : value <= bar) ? "MET" : "MISSED";
        return String.format(Locale.ROOT, "- %s: %.2fx -> %s", what, value, verdict);
    }
}

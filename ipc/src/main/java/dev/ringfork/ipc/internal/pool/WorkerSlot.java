package dev.ringfork.ipc.internal.pool;

import dev.ringfork.core.memory.RegionOptions;
import dev.ringfork.core.memory.SharedRegion;
import dev.ringfork.core.ring.RingClaim;
import dev.ringfork.core.ring.RingOptions;
import dev.ringfork.core.ring.RingProducer;
import dev.ringfork.core.ring.SpscRing;
import dev.ringfork.ipc.internal.FreshRegions;
import dev.ringfork.ipc.process.JvmProcess;
import dev.ringfork.ipc.process.JvmProcessBuilder;

import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntConsumer;

/**
 * The parent's side of one worker position: the current worker JVM (a new generation replaces a dead or
 * retired one), its own region with its task ring (the dispatcher is the ring's only producer), the
 * chunks it holds, and the jobs whose function it has. Used by the dispatcher thread only.
 */
final class WorkerSlot {

    enum State { STARTING, READY, RETIRING, STOPPING, DEAD }

    final int index;
    private final PoolConfig config;
    private final String poolName;
    private final IntConsumer onExit;
    /** Chunk ids sent to this worker and not answered yet, in send order. */
    final LinkedHashSet<Long> inFlight = new LinkedHashSet<>();
    private final Set<Long> knownJobs = new HashSet<>();
    /** Ended jobs whose FORGET found the task ring full: sent before anything else. */
    private final ArrayDeque<Long> unsentForgets = new ArrayDeque<>();

    int generation;
    State state = State.DEAD;
    long pid = -1;
    long previousPid = -1;
    private SharedRegion region;
    private RingProducer tasks;
    private JvmProcess process;
    /** When the current generation was started ({@link System#nanoTime()}). */
    long startedAt;
    /** Dispatch round in which this worker's ring was found full. */
    long fullInRound = -1;
    /** The current generation's exit was seen; it is handled once its last results are read. */
    boolean exitSeen;

    WorkerSlot(int index, PoolConfig config, String poolName, IntConsumer onExit) {
        this.index = index;
        this.config = config;
        this.poolName = poolName;
        this.onExit = onExit;
    }

    /** Starts a new generation: a fresh region and task ring, then the worker JVM. */
    void spawn(List<String> workerArgs) {
        generation++;
        exitSeen = false;
        previousPid = pid;
        pid = -1;
        knownJobs.clear();
        unsentForgets.clear();
        RegionOptions options = RegionOptions.defaults().withDirectory(config.directory())
                .withSize(config.taskRingCapacity() + (256L << 10));
        region = FreshRegions.create(regionName(), options); // replaces one a crashed predecessor left
        tasks = SpscRing.open(region, "tasks", RingOptions.defaults().withCapacity(config.taskRingCapacity())).producer();
        if (config.initializer() != null && !sendBytes(PoolMessages.INIT, 0, config.initializer())) {
            throw new IllegalArgumentException("the initializer is " + config.initializer().length
                    + " bytes serialized; the task ring takes at most " + config.maxTaskMessage()
                    + ": capture less, or raise the pool's taskRingCapacity");
        }
        List<String> args = new ArrayList<>(workerArgs);
        args.add(regionName());
        args.add(Integer.toString(index));
        args.add(Integer.toString(generation));
        JvmProcessBuilder builder = JvmProcess.builder().mainClass(PoolWorker.class, args.toArray(String[]::new))
                .name(poolName + "-worker-" + index).jvmOptions(workerOptions());
        if (config.classPath() != null) {
            builder.classPath(config.classPath());
        }
        if (config.pinWorkers()) {
            builder.cpu(index % Runtime.getRuntime().availableProcessors());
        }
        startedAt = System.nanoTime();
        process = builder.start();
        pid = process.pid(); // taskset, when pinning, execs the JVM: the same process
        int spawned = generation;
        process.onExit().thenRun(() -> onExit.accept(spawned));
        state = State.STARTING;
    }

    private List<String> workerOptions() {
        List<String> options = new ArrayList<>(List.of("-XX:+ExitOnOutOfMemoryError", "-XX:+UseSerialGC", "-Xshare:auto"));
        options.addAll(config.jvmOptions());
        return options;
    }

    String regionName() {
        return poolName + "-w" + index + "g" + generation;
    }

    boolean knows(Job job) {
        return knownJobs.contains(job.id);
    }

    /** Sends the job's function; false if the ring has no room now. */
    boolean sendFunction(Job job) {
        if (!sendBytes(PoolMessages.FUNCTION, job.id, job.function)) {
            return false;
        }
        knownJobs.add(job.id);
        return true;
    }

    /** Tells the worker that a job ended: it drops the job's function and unmaps the segments only its tasks used. */
    void forget(Job job) {
        if (knownJobs.remove(job.id)) {
            unsentForgets.addLast(job.id);
            sendForgets();
        }
    }

    /** Sends the FORGETs still owed, in order, as far as the task ring has room; true when none is left. */
    boolean sendForgets() {
        while (!unsentForgets.isEmpty() && tasks != null && sendBytes(PoolMessages.FORGET, unsentForgets.peekFirst(), new byte[0])) {
            unsentForgets.pollFirst();
        }
        return unsentForgets.isEmpty();
    }

    /** Sends a chunk (items or a call); false if the ring has no room now. */
    boolean send(Chunk chunk, ChunkCodec codec) {
        if (chunk.call != null) {
            return sendBytes(PoolMessages.CALL, chunk.id, chunk.call);
        }
        int size = PoolMessages.CHUNK_HEADER + codec.encodedSize(chunk.items);
        RingClaim claim = tasks.tryClaim(PoolMessages.CHUNK, size);
        if (claim == null) {
            return false;
        }
        MemorySegment target = claim.buffer();
        target.set(PoolMessages.LONG, 0, chunk.job.id);
        target.set(PoolMessages.LONG, 8, chunk.id);
        codec.encode(chunk.items, target, PoolMessages.CHUNK_HEADER);
        claim.commit();
        return true;
    }

    private boolean sendBytes(int type, long id, byte[] bytes) {
        RingClaim claim = tasks.tryClaim(type, 8 + bytes.length);
        if (claim == null) {
            return false;
        }
        MemorySegment target = claim.buffer();
        target.set(PoolMessages.LONG, 0, id);
        MemorySegment.copy(MemorySegment.ofArray(bytes), 0, target, 8, bytes.length);
        claim.commit();
        return true;
    }

    /** Asks the worker to finish what it holds and exit; it closes its ring's end. */
    void stop() {
        if (tasks != null && (state == State.READY || state == State.STARTING)) {
            state = State.STOPPING;
            tasks.close();
        }
    }

    void kill() {
        if (process != null) {
            process.kill();
        }
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    int exitCode() {
        return process == null ? -1 : process.exitCode().orElse(-1);
    }

    /** Whether the worker JVM ended because it ran out of memory (it printed HotSpot's line for that). */
    boolean outOfMemory() {
        return process != null && process.exitedOnOutOfMemoryError();
    }

    String exitDescription() {
        return process == null ? "never started" : process.exitCode().stream()
                .mapToObj(code -> code > 128 ? "killed by signal " + (code - 128)
                        : "exit code " + code + (outOfMemory() ? ": OutOfMemoryError" : ""))
                .findFirst().orElse("still running");
    }

    /** After the worker JVM exited: unmaps and removes its region. */
    void release() {
        state = State.DEAD;
        tasks = null;
        if (region != null) {
            region.close();
            region.unlink();
            region = null;
        }
    }
}

package dev.ringfork.ipc.process;

import dev.ringfork.core.internal.ProcessIdentity;
import dev.ringfork.ipc.function.SerializableRunnable;
import dev.ringfork.ipc.internal.ChildLauncher;
import dev.ringfork.ipc.internal.CpuPinning;
import dev.ringfork.ipc.internal.JvmCommand;
import dev.ringfork.ipc.internal.OutputPump;
import dev.ringfork.ipc.internal.TaskTransfer;
import dev.ringfork.ipc.process.JvmProcess.OutputMode;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Describes a {@link JvmProcess} and starts it. Set exactly one entry point, a {@linkplain #mainClass main
 * class} or a {@linkplain #task task}; everything else is optional. The child gets this JVM's {@code java}
 * executable and class path or module path (unless given a {@linkplain #classPath class path}), with
 * native access enabled; the options here come on top. A builder is not thread-safe and may start several
 * processes.
 */
public final class JvmProcessBuilder {

    private static final AtomicInteger WORKERS = new AtomicInteger();
    private static final Pattern HEAP = Pattern.compile("[0-9]+[kKmMgGtT]?");
    /** Options that would replace what the child inherits, or the entry point. */
    private static final Set<String> RESERVED = Set.of("-cp", "-classpath", "--class-path", "-p", "--module-path",
            "-m", "--module", "-jar", "--source");

    private String mainClassName;
    private Class<?> mainClass;
    private List<String> args = List.of();
    private SerializableRunnable task;
    private final List<String> jvmOptions = new ArrayList<>();
    private final Map<String, String> systemProperties = new LinkedHashMap<>();
    private final Map<String, String> environment = new LinkedHashMap<>();
    private Path directory;
    private String classPath;
    private String name;
    private OutputMode output = OutputMode.PREFIXED;
    private int cpu = -1;
    private PrintStream prefixedOut;
    private PrintStream prefixedErr;

    JvmProcessBuilder() {
    }

    /**
     * Entry point: {@code mainClass}'s {@code public static void main(String[])}, called with {@code args}.
     *
     * @throws IllegalArgumentException if it has no such method
     * @throws IllegalStateException    if a task was set
     */
    public JvmProcessBuilder mainClass(Class<?> mainClass, String... args) {
        Objects.requireNonNull(mainClass, "mainClass");
        requireMainMethod(mainClass);
        setMain(mainClass.getName(), mainClass, args);
        return this;
    }

    /**
     * Entry point: the main class named {@code className} (binary name, e.g. {@code a.b.Outer$Inner}),
     * checked here if this JVM can load it and by the child otherwise.
     *
     * @throws IllegalStateException if a task was set
     */
    public JvmProcessBuilder mainClass(String className, String... args) {
        Objects.requireNonNull(className, "className");
        if (className.isBlank()) {
            throw new IllegalArgumentException("the main class name is blank");
        }
        Class<?> loaded = null;
        try {
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            loaded = Class.forName(className, false, loader != null ? loader : JvmProcessBuilder.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            // only the child may see it: it reports a missing class itself
        }
        if (loaded != null) {
            requireMainMethod(loaded);
        }
        setMain(className, loaded, args);
        return this;
    }

    /**
     * Entry point: {@code task}, serialised when the process starts and run in the child.
     *
     * @throws IllegalStateException if a main class was set
     */
    public JvmProcessBuilder task(SerializableRunnable task) {
        Objects.requireNonNull(task, "task");
        if (mainClassName != null) {
            throw new IllegalStateException("this builder already runs main class " + mainClassName
                    + "; a process has one entry point, a main class or a task: use a new builder");
        }
        if (classPath != null) {
            throw new IllegalStateException("a task runs on this JVM's class path, where its classes are: classPath(...)"
                    + " is for main classes");
        }
        this.task = task;
        return this;
    }

    /** Adds one JVM option, such as {@code -XX:+UseSerialGC} or {@code -Xss512k}. */
    public JvmProcessBuilder jvmOption(String option) {
        Objects.requireNonNull(option, "option");
        if (!option.startsWith("-")) {
            throw new IllegalArgumentException("JVM option '" + option + "' does not start with '-'; program"
                    + " arguments go to mainClass(..., args)");
        }
        if (RESERVED.contains(option) || option.startsWith("--class-path=") || option.startsWith("--module-path=")
                || option.startsWith("--module=")) {
            throw new IllegalArgumentException("JVM option '" + option + "' is set by JvmProcess: the child inherits"
                    + " this JVM's class path or module path (or the one given to classPath(...)) and runs the entry point"
                    + " given to the builder");
        }
        jvmOptions.add(option);
        return this;
    }

    /** Adds JVM options, as {@link #jvmOption} each. */
    public JvmProcessBuilder jvmOptions(List<String> options) {
        options.forEach(this::jvmOption);
        return this;
    }

    /** The maximum heap, as for {@code -Xmx}: {@code "512m"}, {@code "2g"}. */
    public JvmProcessBuilder heap(String size) {
        Objects.requireNonNull(size, "size");
        if (!HEAP.matcher(size).matches()) {
            throw new IllegalArgumentException("heap size '" + size + "' is not like -Xmx wants it: digits and"
                    + " an optional unit k, m, g or t, e.g. \"512m\"");
        }
        return jvmOption("-Xmx" + size);
    }

    /** A system property for the child ({@code -Dkey=value}); a later value for the same key wins. */
    public JvmProcessBuilder systemProperty(String key, String value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        if (key.isBlank() || key.contains("=")) {
            throw new IllegalArgumentException("system property key '" + key + "' is blank or contains '='");
        }
        if (key.startsWith("ringfork.process.") || key.startsWith("ringfork.parent.")) {
            throw new IllegalArgumentException("system property '" + key + "' is set by JvmProcess; use name(...)"
                    + " for the process name");
        }
        systemProperties.put(key, value);
        return this;
    }

    /** An environment variable for the child, on top of this JVM's environment. */
    public JvmProcessBuilder environment(String key, String value) {
        environment.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
        return this;
    }

    /**
     * Runs the child on this class path (entries separated by {@link java.io.File#pathSeparator}), followed
     * by Ringfork's own jars, instead of this JVM's class path or module path: for a main class that this
     * JVM does not have, such as a user's program started by a tool. Relative entries are resolved in the
     * child's {@linkplain #directory working directory}. An empty string means Ringfork's jars only.
     */
    public JvmProcessBuilder classPath(String classPath) {
        Objects.requireNonNull(classPath, "classPath");
        if (classPath.indexOf('\0') >= 0 || classPath.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("class path '" + classPath + "' contains a NUL or newline character");
        }
        if (task != null) {
            throw new IllegalStateException("a task runs on this JVM's class path, where its classes are: classPath(...)"
                    + " is for main classes");
        }
        this.classPath = classPath;
        return this;
    }

    /** The child's working directory (default: this JVM's). */
    public JvmProcessBuilder directory(Path directory) {
        this.directory = Objects.requireNonNull(directory, "directory");
        return this;
    }

    /** The process name, for output prefixes and {@value JvmProcess#NAME_PROPERTY} (default: the main class's simple name, or {@code worker-N}). */
    public JvmProcessBuilder name(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("the process name is blank");
        }
        this.name = name;
        return this;
    }

    /** Where the child's output goes (default {@link OutputMode#PREFIXED}). */
    public JvmProcessBuilder output(OutputMode output) {
        this.output = Objects.requireNonNull(output, "output");
        return this;
    }

    /**
     * Pins the child to one CPU with {@code taskset -c cpu}. Where {@code taskset} is missing (or not on
     * Linux) the child starts unpinned and a warning is logged once. Off by default.
     */
    public JvmProcessBuilder cpu(int cpu) {
        if (cpu < 0) {
            throw new IllegalArgumentException("cpu " + cpu + " is negative; CPUs are numbered from 0");
        }
        this.cpu = cpu;
        return this;
    }

    /** For tests: where {@link OutputMode#PREFIXED} copies lines to instead of {@code System.out}/{@code err}. */
    JvmProcessBuilder prefixedTo(PrintStream out, PrintStream err) {
        this.prefixedOut = Objects.requireNonNull(out, "out");
        this.prefixedErr = Objects.requireNonNull(err, "err");
        return this;
    }

    /**
     * Starts the child.
     *
     * @throws IllegalStateException    if no entry point was set
     * @throws IllegalArgumentException if the task cannot be serialised (the message names the class that
     *                                  is not {@code Serializable}) or the directory does not exist
     * @throws UncheckedIOException     if the process cannot be started
     */
    public JvmProcess start() {
        if (mainClassName == null && task == null) {
            throw new IllegalStateException("no entry point: call mainClass(...) or task(...) before start()");
        }
        if (directory != null && !Files.isDirectory(directory)) {
            throw new IllegalArgumentException("working directory " + directory + " does not exist or is no directory");
        }
        byte[] taskBytes = task == null ? null : TaskTransfer.toBytes(task);
        String processName = name != null ? name
                : mainClassName != null ? simpleName(mainClassName) : "worker-" + WORKERS.incrementAndGet();
        List<String> command = new ArrayList<>(cpu >= 0 ? CpuPinning.prefix(cpu, processName) : List.of());
        command.addAll(classPath != null
                ? JvmCommand.forLauncherOnClassPath(ChildLauncher.class, classPath, childOptions(processName), launcherArgs())
                : JvmCommand.forLauncher(ChildLauncher.class, task != null ? task.getClass() : mainClass,
                        childOptions(processName), launcherArgs()));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        if (directory != null) {
            builder.directory(directory.toFile());
        }
        switch (output) {
            case INHERIT -> builder.redirectOutput(ProcessBuilder.Redirect.INHERIT).redirectError(ProcessBuilder.Redirect.INHERIT);
            case CAPTURE -> builder.redirectErrorStream(true);
            case PREFIXED -> { }
        }
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start process '" + processName + "': " + e.getMessage()
                    + "; command: " + command, e);
        }
        if (taskBytes != null) {
            TaskTransfer.send(taskBytes, process.getOutputStream(), "ringfork-task-" + processName);
        } else {
            closeQuietly(process);
        }
        return attach(processName, process);
    }

    private JvmProcess attach(String processName, Process process) {
        String thread = "ringfork-" + processName + "-" + process.pid();
        return switch (output) {
            case INHERIT -> new JvmProcess(processName, process, output, null, CompletableFuture.completedFuture(null),
                    () -> false);
            case CAPTURE -> {
                StringBuffer captured = new StringBuffer();
                yield new JvmProcess(processName, process, output, captured,
                        OutputPump.capture(process.getInputStream(), captured, thread + "-output"),
                        () -> OutputPump.showsOutOfMemoryExit(captured));
            }
            case PREFIXED -> {
                String prefix = OutputPump.prefix(processName, process.pid());
                AtomicBoolean outOfMemory = new AtomicBoolean();
                Consumer<String> watch = line -> {
                    if (line.startsWith(OutputPump.OUT_OF_MEMORY_EXIT)) {
                        outOfMemory.set(true);
                    }
                };
                CompletableFuture<Void> out = OutputPump.prefixed(process.getInputStream(),
                        prefixedOut != null ? prefixedOut : System.out, prefix, thread + "-stdout", watch);
                CompletableFuture<Void> err = OutputPump.prefixed(process.getErrorStream(),
                        prefixedErr != null ? prefixedErr : System.err, prefix, thread + "-stderr", watch);
                yield new JvmProcess(processName, process, output, null, CompletableFuture.allOf(out, err), outOfMemory::get);
            }
        };
    }

    private List<String> childOptions(String processName) {
        List<String> options = new ArrayList<>(jvmOptions);
        systemProperties.forEach((key, value) -> options.add("-D" + key + "=" + value));
        if (output != OutputMode.INHERIT) {
            options.add("-Dstdout.encoding=UTF-8"); // the pumps read UTF-8
            options.add("-Dstderr.encoding=UTF-8");
        }
        ProcessIdentity self = ProcessIdentity.current();
        options.add("-D" + JvmProcess.NAME_PROPERTY + "=" + processName);
        options.add("-D" + JvmProcess.PARENT_PID_PROPERTY + "=" + self.pid());
        options.add("-D" + ChildLauncher.PARENT_START_PROPERTY + "=" + self.startTime());
        return options;
    }

    private List<String> launcherArgs() {
        if (task != null) {
            return List.of(ChildLauncher.TASK);
        }
        List<String> launcherArgs = new ArrayList<>(List.of(ChildLauncher.MAIN, mainClassName));
        launcherArgs.addAll(args);
        return launcherArgs;
    }

    private void setMain(String className, Class<?> loaded, String[] mainArgs) {
        if (task != null) {
            throw new IllegalStateException("this builder already runs a task; a process has one entry point,"
                    + " a main class or a task: use a new builder");
        }
        for (String arg : mainArgs) {
            Objects.requireNonNull(arg, "a main argument is null");
        }
        this.mainClassName = className;
        this.mainClass = loaded;
        this.args = List.of(mainArgs);
    }

    private static void requireMainMethod(Class<?> type) {
        try {
            Method main = type.getMethod("main", String[].class);
            if (Modifier.isStatic(main.getModifiers()) && main.getReturnType() == void.class) {
                return;
            }
        } catch (NoSuchMethodException e) {
            // reported below
        }
        throw new IllegalArgumentException(type.getName() + " has no public static void main(String[]) to start;"
                + " add one, or pass a SerializableRunnable to task(...)");
    }

    private static String simpleName(String className) {
        return className.substring(Math.max(className.lastIndexOf('.'), className.lastIndexOf('$')) + 1);
    }

    private static void closeQuietly(Process process) {
        try {
            process.getOutputStream().close(); // an empty standard input
        } catch (IOException e) {
            // nothing to close
        }
    }
}

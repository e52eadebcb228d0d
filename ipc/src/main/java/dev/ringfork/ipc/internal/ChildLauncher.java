package dev.ringfork.ipc.internal;

import dev.ringfork.core.internal.ProcessIdentity;
import dev.ringfork.ipc.process.JvmProcess;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;

/**
 * The real main class of every {@link JvmProcess} child. It starts the {@link ParentWatchdog} first, then
 * runs the entry point: {@code main <class> <args...>} calls that class's {@code public static void
 * main(String[])}, {@code task} deserialises a task from standard input and runs it. When the entry point
 * returns, the JVM ends as after {@code java Main}: with 0 once no non-daemon thread is left. When it
 * throws, the current thread's uncaught-exception handler reports it (on stderr by default) and the JVM
 * exits with 1. {@code System.exit} in the entry point works as usual.
 */
public final class ChildLauncher {

    /** System property: the start time of the parent, as {@link ProcessIdentity#startTime()} gives it. */
    public static final String PARENT_START_PROPERTY = "ringfork.parent.start";
    /** First argument: run a main class. */
    public static final String MAIN = "main";
    /** First argument: run the task on standard input. */
    public static final String TASK = "task";

    private ChildLauncher() {
    }

    /** {@code main <class> <args...>} or {@code task}; started by {@link JvmProcess} only. */
    public static void main(String[] args) {
        String name = System.getProperty(JvmProcess.NAME_PROPERTY, "?");
        ParentWatchdog.start(parent(), name);
        if (args.length >= 2 && args[0].equals(MAIN)) {
            runMain(args[1], Arrays.copyOfRange(args, 2, args.length));
        } else if (args.length == 1 && args[0].equals(TASK)) {
            runTask();
        } else {
            fail("usage: ChildLauncher main <class> <args...> | task (got " + Arrays.toString(args) + ")");
        }
    }

    private static ProcessIdentity parent() {
        String pid = System.getProperty(JvmProcess.PARENT_PID_PROPERTY);
        String start = System.getProperty(PARENT_START_PROPERTY);
        if (pid == null || start == null) {
            throw fail("ChildLauncher runs children of JvmProcess, which sets -D" + JvmProcess.PARENT_PID_PROPERTY + " and -D"
                    + PARENT_START_PROPERTY + ": start the process with JvmProcess.builder(), or run your class with java directly.");
        }
        try {
            return new ProcessIdentity(Long.parseLong(pid), Long.parseLong(start));
        } catch (NumberFormatException e) {
            throw fail("bad parent identity: pid '" + pid + "', start '" + start + "'");
        }
    }

    private static void runMain(String className, String[] args) {
        Method main;
        try {
            Class<?> type = Class.forName(className, false, ChildLauncher.class.getClassLoader());
            main = type.getMethod("main", String[].class);
        } catch (ClassNotFoundException | LinkageError e) {
            throw fail("could not find or load main class " + className + ": " + e);
        } catch (NoSuchMethodException e) {
            throw fail("main class " + className + " has no public static void main(String[])");
        }
        if (!Modifier.isStatic(main.getModifiers()) || main.getReturnType() != void.class) {
            throw fail("main class " + className + " has no public static void main(String[])");
        }
        main.trySetAccessible(); // a public main in a class that is not public itself
        try {
            main.invoke(null, (Object) args);
        } catch (InvocationTargetException e) {
            uncaught(e.getCause());
        } catch (IllegalAccessException e) {
            fail("cannot call " + className + ".main: " + e.getMessage()
                    + " (make the class public, or its package exported to dev.ringfork.ipc)");
        } catch (ExceptionInInitializerError e) {
            uncaught(e);
        }
    }

    private static void runTask() {
        Runnable task;
        try {
            task = TaskTransfer.read(System.in);
        } catch (Exception | LinkageError e) {
            throw fail("cannot read the task sent by the parent: " + e);
        }
        try {
            task.run();
        } catch (Throwable t) {
            uncaught(t);
        }
    }

    private static void uncaught(Throwable t) {
        Thread current = Thread.currentThread();
        current.getUncaughtExceptionHandler().uncaughtException(current, t);
        System.exit(1);
    }

    private static IllegalStateException fail(String message) {
        System.err.println("[ringfork] process '" + System.getProperty(JvmProcess.NAME_PROPERTY, "?") + "': " + message);
        System.exit(1);
        return new IllegalStateException(message); // not reached
    }
}

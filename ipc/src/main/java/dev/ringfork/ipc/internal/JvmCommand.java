package dev.ringfork.ipc.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line that starts another JVM like this one: the same {@code java} executable and the same
 * module path or class path, with native access enabled for the futex. On the module path the child is
 * started as {@code -m module/class}, else as {@code -cp path class}.
 */
public final class JvmCommand {

    private JvmCommand() {
    }

    /** {@code java <options> <launch of mainClass> <args>} for a child running {@code mainClass}. */
    public static List<String> forMain(Class<?> mainClass, List<String> jvmOptions, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        String modulePath = System.getProperty("jdk.module.path");
        Module module = mainClass.getModule();
        boolean modular = module.isNamed() && modulePath != null && !modulePath.isBlank();
        command.add("--enable-native-access=" + (modular ? "dev.ringfork.core" : "ALL-UNNAMED"));
        command.addAll(jvmOptions);
        if (modular) {
            command.add("-p");
            command.add(modulePath);
            command.add("-m");
            command.add(module.getName() + "/" + mainClass.getName());
        } else {
            command.add("-cp");
            command.add(System.getProperty("java.class.path"));
            command.add(mainClass.getName());
        }
        command.addAll(args);
        return command;
    }

    private static String javaExecutable() {
        return ProcessHandle.current().info().command()
                .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }
}

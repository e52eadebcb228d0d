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
        return build(mainClass, null, jvmOptions, args);
    }

    /**
     * Like {@link #forMain}, for a launcher that loads and calls {@code target} reflectively: on the module
     * path the child also resolves {@code target}'s module and, if needed, exports its package to the
     * launcher's module. On the class path this adds nothing. {@code target} may be null.
     */
    public static List<String> forLauncher(Class<?> launcher, Class<?> target, List<String> jvmOptions, List<String> args) {
        return build(launcher, target, jvmOptions, args);
    }

    private static List<String> build(Class<?> mainClass, Class<?> target, List<String> jvmOptions, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        String modulePath = System.getProperty("jdk.module.path");
        Module module = mainClass.getModule();
        boolean modular = module.isNamed() && modulePath != null && !modulePath.isBlank();
        command.add("--enable-native-access=" + (modular ? "dev.ringfork.core" : "ALL-UNNAMED"));
        command.addAll(jvmOptions);
        if (modular) {
            if (target != null) {
                command.addAll(targetAccess(module, target));
            }
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

    /** {@code --add-modules} and {@code --add-exports} so {@code launcher} can load and call {@code target}. */
    private static List<String> targetAccess(Module launcher, Class<?> target) {
        Module module = target.getModule();
        if (!module.isNamed() || module == launcher) {
            return List.of();
        }
        List<String> options = new ArrayList<>(List.of("--add-modules", module.getName()));
        String pkg = target.getPackageName();
        if (!module.isExported(pkg, launcher)) {
            options.add("--add-exports");
            options.add(module.getName() + "/" + pkg + "=" + launcher.getName());
        }
        return options;
    }

    private static String javaExecutable() {
        return ProcessHandle.current().info().command()
                .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }
}

package dev.ringfork.ipc.internal;

import dev.ringfork.core.internal.ProcessIdentity;

import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The command line that starts another JVM like this one: the same {@code java} executable and the same
 * module path or class path, with native access enabled for the futex. On the module path the child is
 * started as {@code -m module/class}, else as {@code -cp path class}. Given a class path of its own, the
 * child runs on it, followed by Ringfork's jars, instead of this JVM's path.
 */
public final class JvmCommand {

    private JvmCommand() {
    }

    /** {@code java <options> <launch of mainClass> <args>} for a child running {@code mainClass}. */
    public static List<String> forMain(Class<?> mainClass, List<String> jvmOptions, List<String> args) {
        return build(mainClass, null, null, jvmOptions, args);
    }

    /**
     * Like {@link #forMain}, for a launcher that loads and calls {@code target} reflectively: on the module
     * path the child also resolves {@code target}'s module and, if needed, exports its package to the
     * launcher's module. On the class path this adds nothing. {@code target} may be null.
     */
    public static List<String> forLauncher(Class<?> launcher, Class<?> target, List<String> jvmOptions, List<String> args) {
        return build(launcher, target, null, jvmOptions, args);
    }

    /**
     * Like {@link #forLauncher}, but the child runs on the class path {@code classPath} followed by
     * Ringfork's own jars (core and ipc), whatever this JVM runs on. {@code classPath} may be empty.
     */
    public static List<String> forLauncherOnClassPath(Class<?> launcher, String classPath, List<String> jvmOptions,
                                                      List<String> args) {
        return build(launcher, null, classPath, jvmOptions, args);
    }

    /** Where Ringfork's own classes come from (core, ipc): jars, or class directories in a build. */
    public static List<String> ringforkClassPath() {
        Set<String> entries = new LinkedHashSet<>();
        for (Class<?> type : List.of(ProcessIdentity.class, JvmCommand.class)) {
            entries.add(location(type));
        }
        return List.copyOf(entries);
    }

    private static String location(Class<?> type) {
        CodeSource source = type.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            throw new IllegalStateException("cannot tell where " + type.getName() + " was loaded from, so a child JVM"
                    + " cannot be given Ringfork's jars on its class path; run Ringfork from jars or class directories");
        }
        try {
            return Path.of(source.getLocation().toURI()).toString();
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new IllegalStateException("Ringfork's class " + type.getName() + " was loaded from "
                    + source.getLocation() + ", which is no file: a child JVM cannot run on it", e);
        }
    }

    private static List<String> build(Class<?> mainClass, Class<?> target, String classPath, List<String> jvmOptions,
                                      List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        String modulePath = System.getProperty("jdk.module.path");
        Module module = mainClass.getModule();
        boolean modular = classPath == null && module.isNamed() && modulePath != null && !modulePath.isBlank();
        command.add("--enable-native-access=" + (modular ? "dev.ringfork.core" : "ALL-UNNAMED"));
        command.addAll(jvmOptions);
        if (classPath != null) {
            List<String> path = new ArrayList<>();
            if (!classPath.isEmpty()) {
                path.add(classPath);
            }
            path.addAll(ringforkClassPath());
            command.add("-cp");
            command.add(String.join(File.pathSeparator, path));
            command.add(mainClass.getName());
        } else if (modular) {
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

package dev.ringfork.ipc.internal;

import dev.ringfork.core.internal.ProcessIdentity;

import java.io.File;
import java.lang.module.ModuleFinder;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The command line that starts another JVM like this one: the same {@code java} executable and the same
 * module path or class path, with native access enabled for the futex. On the module path the child is
 * started as {@code -m module/class} and resolves the same application modules as this JVM (so a pool
 * worker can load the user's classes), with native access for the modules that have it here; else it is
 * started as {@code -cp path class}. JVM options given to this JVM ({@code --add-opens}, {@code -Xmx},
 * ...) are not copied: callers pass what the child needs. Given a class path of its own, the
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
        command.add("--enable-native-access=" + (modular ? String.join(",", nativeAccessModules()) : "ALL-UNNAMED"));
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
            List<String> roots = applicationModules();
            roots.remove(module.getName());
            if (!roots.isEmpty()) {
                command.add("--add-modules");
                command.add(String.join(",", roots));
            }
            if (target != null) {
                command.addAll(targetAccess(module, target));
            }
            command.add("-p");
            command.add(modulePath);
            String classPathHere = System.getProperty("java.class.path", "");
            if (!classPathHere.isBlank()) { // a mixed application: its class path goes along
                command.add("-cp");
                command.add(classPathHere);
            }
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

    /**
     * The modules of this JVM's boot layer that are not the JDK's own, in a stable order: the application's
     * modules from the module path, resolved in this JVM (its main module, those added with
     * {@code --add-modules}, and what they require). A child resolves them all, so that its code (a pool
     * worker, a task) can load the application's classes, as this JVM can.
     */
    static List<String> applicationModules() {
        ModuleFinder system = ModuleFinder.ofSystem();
        return ModuleLayer.boot().modules().stream()
                .map(Module::getName)
                .filter(name -> system.find(name).isEmpty())
                .sorted()
                .collect(Collectors.toCollection(ArrayList::new));
    }

    /**
     * The modules to enable native access for in a child on the module path: Ringfork's core (the futex),
     * every application module that has it here, and {@code ALL-UNNAMED} if the class path has it here.
     */
    static List<String> nativeAccessModules() {
        Set<String> modules = new LinkedHashSet<>(List.of("dev.ringfork.core"));
        for (String name : applicationModules()) {
            ModuleLayer.boot().findModule(name).filter(Module::isNativeAccessEnabled).ifPresent(m -> modules.add(name));
        }
        if (ClassLoader.getSystemClassLoader().getUnnamedModule().isNativeAccessEnabled()) {
            modules.add("ALL-UNNAMED");
        }
        return List.copyOf(modules);
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

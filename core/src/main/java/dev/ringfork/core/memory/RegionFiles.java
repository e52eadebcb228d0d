package dev.ringfork.core.memory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The file-system rules for regions: valid names, the private per-user directory, owner-only files.
 * Region files are {@code 0600} and their directory is {@code 0700}, both owned by the current user.
 */
final class RegionFiles {

    static final int MAX_NAME_LENGTH = 128;
    static final FileAttribute<Set<PosixFilePermission>> FILE_MODE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    private static final FileAttribute<Set<PosixFilePermission>> DIRECTORY_MODE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
    private static final int GROUP_OTHER_BITS = 0077;
    private static final int GROUP_OTHER_WRITE = 0022;

    private RegionFiles() {
    }

    /**
     * A region name is a file name: 1 to 128 of {@code A-Z a-z 0-9 . _ -}, not starting with a dot
     * (names starting with a dot are the creator's temporary files). So no '/', no "..", no control
     * characters, nothing the shell must quote.
     */
    static String validateName(String name) {
        if (name == null || name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("region name must be 1 to " + MAX_NAME_LENGTH
                    + " characters, was " + (name == null ? "null" : name.length() + " characters"));
        }
        if (name.charAt(0) == '.') {
            throw new IllegalArgumentException("region name must not start with '.': \"" + printable(name) + "\"");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-';
            if (!ok) {
                throw new IllegalArgumentException("region name \"" + printable(name) + "\" has character "
                        + printable(String.valueOf(c)) + " at index " + i
                        + "; use only letters, digits, '.', '_' and '-'");
            }
        }
        return name;
    }

    /** Creates the directory (0700) if missing; refuses one owned by another user or writable by others. */
    static Path ensureDirectory(Path directory) {
        try {
            if (!Files.isDirectory(directory)) {
                Files.createDirectories(directory, DIRECTORY_MODE);
            }
            if (!isPosix(directory)) {
                return directory;
            }
            checkOwner(directory, "directory");
            int mode = mode(directory);
            if ((mode & GROUP_OTHER_WRITE) != 0) {
                throw new RegionPermissionException("Region directory " + directory + " is writable by other users (mode "
                        + Integer.toOctalString(mode & 0777) + "): run chmod 700 " + directory + " or choose another directory");
            }
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the region directory " + directory + ": " + e.getMessage(), e);
        }
    }

    /** Refuses a region file another user owns or could read or write. */
    static void checkFile(Path file) {
        if (!isPosix(file)) {
            return;
        }
        try {
            checkOwner(file, "file");
            int mode = mode(file);
            if ((mode & GROUP_OTHER_BITS) != 0) {
                throw new RegionPermissionException("Region file " + file + " has mode "
                        + Integer.toOctalString(mode & 0777) + " but must be 600 (owner only): other users could read or change it;"
                        + " run chmod 600 " + file + " if you trust its contents, else delete it");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the attributes of " + file + ": " + e.getMessage(), e);
        }
    }

    /** Atomically makes {@code staged} visible as {@code target}; fails if {@code target} exists. */
    static boolean publish(Path staged, Path target) throws IOException {
        try {
            Files.createLink(target, staged);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } finally {
            Files.deleteIfExists(staged);
        }
    }

    private static boolean isPosix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("unix");
    }

    private static int mode(Path path) throws IOException {
        return (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
    }

    private static void checkOwner(Path path, String what) throws IOException {
        Integer self = currentUid();
        if (self == null) {
            return;
        }
        int owner = (Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        if (owner != self) {
            throw new RegionPermissionException("Region " + what + " " + path + " belongs to uid " + owner
                    + ", not to this user (uid " + self + "): use your own directory (RINGFORK_DIR or RegionOptions.withDirectory)");
        }
    }

    private static Integer currentUid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return null;
        }
    }

    private static String printable(String s) {
        StringBuilder out = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}

package dev.ringfork.core.memory;

import java.nio.file.Path;

/** A region file that is not a usable Ringfork region: truncated, foreign, from another major version, or corrupt. */
public final class RegionFormatException extends RegionException {
    private static final long serialVersionUID = 1L;

    /** What is wrong with the file. */
    public enum Problem { TRUNCATED, BAD_MAGIC, UNSUPPORTED_VERSION, NOT_READY, CORRUPT }

    private final transient Path file;
    private final Problem problem;

    public RegionFormatException(Path file, Problem problem, String detail) {
        super("Region file " + file + " " + detail + fix(problem, file));
        this.file = file;
        this.problem = problem;
    }

    public Path file() {
        return file;
    }

    public Problem problem() {
        return problem;
    }

    private static String fix(Problem problem, Path file) {
        return switch (problem) {
            case UNSUPPORTED_VERSION -> ": open it with the Ringfork version that created it, or delete it";
            case NOT_READY -> ": its creator died or is stuck before finishing it; delete " + file.getFileName()
                    + " (SharedRegion.unlink) and create it again";
            default -> ": it is damaged or not a Ringfork region; delete it (SharedRegion.unlink) and create it again";
        };
    }
}

package dev.ringfork.core.memory;

/** A region file or directory that other users could read or change, or that belongs to another user. */
public final class RegionPermissionException extends RegionException {
    private static final long serialVersionUID = 1L;

    public RegionPermissionException(String message) {
        super(message);
    }
}

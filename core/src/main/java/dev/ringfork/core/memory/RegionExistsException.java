package dev.ringfork.core.memory;

/** {@code create} of a region whose name is already taken. */
public final class RegionExistsException extends RegionException {
    private static final long serialVersionUID = 1L;

    public RegionExistsException(String message) {
        super(message);
    }
}

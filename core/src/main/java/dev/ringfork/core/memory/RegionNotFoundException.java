package dev.ringfork.core.memory;

/** {@code open} of a region that does not exist. */
public final class RegionNotFoundException extends RegionException {
    private static final long serialVersionUID = 1L;

    public RegionNotFoundException(String message) {
        super(message);
    }
}

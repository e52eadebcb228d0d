package dev.ringfork.core.memory;

/** No room left in a region for a new slot: its directory or its data area is full. */
public final class RegionFullException extends RegionException {
    private static final long serialVersionUID = 1L;

    public RegionFullException(String message) {
        super(message);
    }
}

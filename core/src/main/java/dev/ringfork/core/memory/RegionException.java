package dev.ringfork.core.memory;

/** Base of every problem with a shared region: its message names the file or region and the fix. */
public class RegionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RegionException(String message) {
        super(message);
    }

    public RegionException(String message, Throwable cause) {
        super(message, cause);
    }
}

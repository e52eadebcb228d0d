package dev.ringfork.bench.peer;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** A child's {@code key=value} arguments. */
final class Args {

    private final Map<String, String> values = new HashMap<>();

    Args(String[] args) {
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("expected key=value, got " + arg);
            }
            values.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
    }

    String str(String key) {
        String value = values.get(key);
        if (value == null) {
            throw new IllegalArgumentException("missing argument " + key + "=");
        }
        return value;
    }

    String str(String key, String otherwise) {
        return values.getOrDefault(key, otherwise);
    }

    int integer(String key, int otherwise) {
        String value = values.get(key);
        return value == null ? otherwise : Integer.parseInt(value);
    }

    long number(String key, long otherwise) {
        String value = values.get(key);
        return value == null ? otherwise : Long.parseLong(value);
    }

    Path dir() {
        return Path.of(str("dir"));
    }

    int size() {
        return integer("size", 32);
    }

    int id() {
        return integer("id", 0);
    }

    int producers() {
        return integer("producers", 1);
    }

    /** How many messages each producer writes ({@code count=}). */
    long count() {
        return number("count", 1_000_000);
    }

    /** A consumer's read limit per poll ({@code limit=}); none (Integer.MAX_VALUE) unless given. */
    int limit() {
        return integer("limit", Integer.MAX_VALUE);
    }

    @Override
    public String toString() {
        return values.toString();
    }
}

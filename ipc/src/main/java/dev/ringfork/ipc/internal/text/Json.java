package dev.ringfork.ipc.internal.text;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The one JSON writer (the benchmark reports, {@code ringfork stat --json}): maps (objects, in their
 * iteration order), lists, strings, numbers, booleans and null; {@link #write} indents two spaces (lists of
 * plain values stay on one line), {@link #line} writes everything on one line. NaN and infinities, which
 * JSON cannot express, are written as null.
 */
public final class Json {

    private Json() {
    }

    /** {@code value} as indented JSON text, ending in a newline. */
    public static String write(Object value) {
        StringBuilder out = new StringBuilder();
        write(out, value, 0);
        return out.append('\n').toString();
    }

    /** {@code value} as JSON text on one line, without a newline. */
    public static String line(Object value) {
        StringBuilder out = new StringBuilder();
        write(out, value, ONE_LINE);
        return out.toString();
    }

    /** The depth that means "no line breaks, no indentation". */
    private static final int ONE_LINE = -1;

    private static void write(StringBuilder out, Object value, int depth) {
        switch (value) {
            case null -> out.append("null");
            case String s -> string(out, s);
            case Boolean b -> out.append(b);
            case Double d -> number(out, d);
            case Float f -> number(out, f.doubleValue());
            case Number n -> out.append(n.longValue());
            case Map<?, ?> map -> object(out, map, depth);
            case List<?> list -> array(out, list, depth);
            case Enum<?> e -> string(out, e.name());
            default -> throw new IllegalArgumentException("no JSON form for " + value.getClass().getName());
        }
    }

    private static void object(StringBuilder out, Map<?, ?> map, int depth) {
        if (map.isEmpty()) {
            out.append("{}");
            return;
        }
        boolean oneLine = depth == ONE_LINE;
        out.append(oneLine ? "{" : "{\n");
        Iterator<? extends Map.Entry<?, ?>> entries = map.entrySet().iterator();
        while (entries.hasNext()) {
            Map.Entry<?, ?> e = entries.next();
            indent(out, depth + 1);
            string(out, String.valueOf(e.getKey()));
            out.append(oneLine ? ":" : ": ");
            write(out, e.getValue(), oneLine ? ONE_LINE : depth + 1);
            out.append(entries.hasNext() ? (oneLine ? "," : ",\n") : (oneLine ? "" : "\n"));
        }
        indent(out, depth);
        out.append('}');
    }

    private static void array(StringBuilder out, List<?> list, int depth) {
        boolean oneLine = depth == ONE_LINE;
        boolean flat = oneLine || list.stream().noneMatch(v -> v instanceof Map || v instanceof List);
        out.append('[');
        for (int i = 0; i < list.size(); i++) {
            if (flat) {
                out.append(i == 0 ? "" : oneLine ? "," : ", ");
            } else {
                out.append(i == 0 ? "\n" : ",\n");
                indent(out, depth + 1);
            }
            write(out, list.get(i), oneLine ? ONE_LINE : depth + 1);
        }
        if (!flat && !list.isEmpty()) {
            out.append('\n');
            indent(out, depth);
        }
        out.append(']');
    }

    /** Whole numbers below 2^53 without a fraction; other finite values as Java's shortest repeatable form. */
    private static void number(StringBuilder out, double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            out.append("null");
        } else if (d == Math.rint(d) && Math.abs(d) < 0x1p53) {
            out.append((long) d);
        } else {
            out.append(d);
        }
    }

    private static void string(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static void indent(StringBuilder out, int depth) {
        out.append("  ".repeat(Math.max(0, depth)));
    }
}

package dev.ringfork.ipc.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Option value converters: byte sizes ({@code 64k}, {@code 1m}) and durations ({@code 500ms}, {@code 10s}). */
final class Converters {

    private static final Pattern SIZE = Pattern.compile("([0-9]+)([kmg]?)(i?b)?");
    private static final Pattern DURATION = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(ns|us|ms|s|m|h)?");

    private Converters() {
    }

    /** A ring capacity: a power of two from 1 KiB to 1 GiB, as bytes or with a unit k, m or g. */
    static final class Capacity implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            Matcher m = SIZE.matcher(value.strip().toLowerCase(Locale.ROOT));
            long bytes = -1;
            if (m.matches() && m.group(1).length() <= 10) {
                int shift = switch (m.group(2)) {
                    case "k" -> 10;
                    case "m" -> 20;
                    case "g" -> 30;
                    default -> 0;
                };
                bytes = Long.parseLong(m.group(1)) << shift;
            }
            if (bytes < 1024 || bytes > 1 << 30 || Long.bitCount(bytes) != 1) {
                throw new TypeConversionException("'" + value + "' is no ring capacity: give a power of two from 1k to 1g,"
                        + " e.g. 64k, 1m (the default) or 16m");
            }
            return (int) bytes;
        }
    }

    /** A duration: a number with a unit ns, us, ms, s (the default), m or h, or ISO-8601 such as PT1M. */
    static final class Time implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            String text = value.strip().toLowerCase(Locale.ROOT);
            Matcher m = DURATION.matcher(text);
            try {
                if (m.matches()) {
                    double amount = Double.parseDouble(m.group(1));
                    double seconds = amount * switch (m.group(2) == null ? "s" : m.group(2)) {
                        case "ns" -> 1e-9;
                        case "us" -> 1e-6;
                        case "ms" -> 1e-3;
                        case "m" -> 60;
                        case "h" -> 3600;
                        default -> 1;
                    };
                    if (seconds <= 1e9) {
                        return Duration.ofNanos(Math.round(seconds * 1e9));
                    }
                } else if (text.startsWith("pt") || text.startsWith("p")) {
                    Duration parsed = Duration.parse(value.strip());
                    if (!parsed.isNegative()) {
                        return parsed;
                    }
                }
            } catch (DateTimeParseException | ArithmeticException e) {
                // reported below
            }
            throw new TypeConversionException("'" + value + "' is no duration: give a number and a unit, e.g. 500ms, 10s, 2m"
                    + " or 1h (seconds without one)");
        }
    }
}

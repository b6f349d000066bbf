package dev.odinreactive.cli.internal;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parses {@code 500ms}, {@code 20s}, {@code 2m}, {@code 1h} or ISO-8601 ({@code PT20S}) into a positive {@link Duration}. */
public final class DurationConverter implements ITypeConverter<Duration> {

    private static final Pattern SIMPLE = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");

    @Override
    public Duration convert(String value) {
        String v = value.trim().toLowerCase(java.util.Locale.ROOT);
        Duration d;
        Matcher m = SIMPLE.matcher(v);
        if (m.matches()) {
            double n = Double.parseDouble(m.group(1));
            double millis = switch (m.group(2)) {
                case "ms" -> n;
                case "s" -> n * 1_000;
                case "m" -> n * 60_000;
                default -> n * 3_600_000;
            };
            d = Duration.ofMillis(Math.round(millis));
        } else {
            try {
                d = Duration.parse(value.trim().toUpperCase(java.util.Locale.ROOT));
            } catch (RuntimeException e) {
                throw new TypeConversionException("'" + value + "' is not a duration (examples: 500ms, 20s, 2m)");
            }
        }
        if (d.isNegative() || d.isZero()) {
            throw new TypeConversionException("'" + value + "' must be longer than zero");
        }
        return d;
    }
}

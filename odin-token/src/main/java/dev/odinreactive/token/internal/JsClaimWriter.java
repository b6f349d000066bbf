package dev.odinreactive.token.internal;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes JSON text exactly as JavaScript's {@code JSON.stringify} does (FORMAT.md §6), so that
 * tokens are byte-identical to the official {@code @4players/odin-tokens} package.
 *
 * <p>This is deliberately hand-written and used only for <em>writing</em> the token header and
 * claims: Jackson cannot produce these bytes (it escapes control characters with upper-case
 * hex, as in backslash-u-001F, and cannot emit lone surrogates as lower-case escapes). Parsing
 * always goes through Jackson.
 */
public final class JsClaimWriter {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final StringBuilder out = new StringBuilder(256);
    private boolean needsComma;

    /** Starts an object: {@code {}. */
    public JsClaimWriter beginObject() {
        out.append('{');
        needsComma = false;
        return this;
    }

    /** Ends the object: {@code }}. */
    public JsClaimWriter endObject() {
        out.append('}');
        needsComma = true;
        return this;
    }

    /** A string member. */
    public JsClaimWriter field(String name, String value) {
        name(name);
        string(value);
        return this;
    }

    /** A string-array member. */
    public JsClaimWriter field(String name, List<String> values) {
        name(name);
        out.append('[');
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            string(values.get(i));
        }
        out.append(']');
        return this;
    }

    /** An integer member. */
    public JsClaimWriter field(String name, long value) {
        name(name);
        out.append(value);
        return this;
    }

    /**
     * A number member that may have a fraction, written in plain decimal without trailing
     * zeros ({@code 1700000001.5}); integral values are written as integers.
     */
    public JsClaimWriter field(String name, BigDecimal value) {
        name(name);
        BigDecimal stripped = value.stripTrailingZeros();
        out.append(stripped.scale() <= 0 ? stripped.toBigIntegerExact().toString() : stripped.toPlainString());
        return this;
    }

    /** The JSON text written so far, as UTF-8. */
    public byte[] toUtf8() {
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return out.toString();
    }

    private void name(String name) {
        if (needsComma) {
            out.append(',');
        }
        string(name);
        out.append(':');
        needsComma = true;
    }

    private void string(String s) {
        out.append('"');
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': out.append("\\\""); break;
                case '\\': out.append("\\\\"); break;
                case '\b': out.append("\\b"); break;
                case '\f': out.append("\\f"); break;
                case '\n': out.append("\\n"); break;
                case '\r': out.append("\\r"); break;
                case '\t': out.append("\\t"); break;
                default:
                    if (c < 0x20) {
                        unicodeEscape(c);
                    } else if (Character.isHighSurrogate(c)) {
                        if (i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                            out.append(c).append(s.charAt(++i));
                        } else {
                            unicodeEscape(c); // lone high surrogate (well-formed JSON.stringify)
                        }
                    } else if (Character.isLowSurrogate(c)) {
                        unicodeEscape(c); // lone low surrogate
                    } else {
                        out.append(c);
                    }
            }
        }
        out.append('"');
    }

    private void unicodeEscape(char c) {
        out.append("\\u")
                .append(HEX[(c >> 12) & 0xF])
                .append(HEX[(c >> 8) & 0xF])
                .append(HEX[(c >> 4) & 0xF])
                .append(HEX[c & 0xF]);
    }
}

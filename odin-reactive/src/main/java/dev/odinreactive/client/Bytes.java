package dev.odinreactive.client;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * An immutable byte string: peer and room user data, message payloads.
 *
 * <p>The wire treats these as opaque MessagePack {@code bin}; {@link #utf8(String)} and
 * {@link #asUtf8()} are conveniences for the common JSON/text case. Instances are safe to share
 * between threads; {@link #toByteArray()} returns a fresh copy every time.
 */
public final class Bytes {

    /** The empty byte string. */
    public static final Bytes EMPTY = new Bytes(new byte[0]);

    private final byte[] data;

    private Bytes(byte[] data) {
        this.data = data;
    }

    /** Copies {@code data}; later changes to the array do not affect the result. */
    public static Bytes of(byte[] data) {
        Objects.requireNonNull(data, "data");
        return data.length == 0 ? EMPTY : new Bytes(data.clone());
    }

    /** Encodes {@code text} as UTF-8. */
    public static Bytes utf8(String text) {
        return of(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Number of bytes. */
    public int size() {
        return data.length;
    }

    /** Whether {@link #size()} is zero. */
    public boolean isEmpty() {
        return data.length == 0;
    }

    /** A fresh copy of the content. */
    public byte[] toByteArray() {
        return data.clone();
    }

    /** Decodes the content as UTF-8 (malformed input is replaced, never thrown). */
    public String asUtf8() {
        return new String(data, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Bytes other && Arrays.equals(data, other.data);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(data);
    }

    /** Size and at most the first 16 bytes in hex, e.g. {@code Bytes[3: 7b7d0a]}. */
    @Override
    public String toString() {
        String hex = HexFormat.of().formatHex(data, 0, Math.min(16, data.length));
        return "Bytes[" + data.length + ": " + hex + (data.length > 16 ? "…" : "") + "]";
    }
}

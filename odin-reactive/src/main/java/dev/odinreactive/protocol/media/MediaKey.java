package dev.odinreactive.protocol.media;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;

/**
 * One AES-128-GCM key of the media plane with its 32-bit id. The id travels in every datagram
 * (so the receiver finds the key) and is the first 4 bytes of every nonce made with the key.
 *
 * <p>A key is a secret: {@link #toString()} never shows it, and {@link #secret()} returns a copy.
 * Immutable and thread-safe.
 */
public final class MediaKey {

    /** Length of the secret in bytes (AES-128). */
    public static final int LENGTH = 16;

    private final int id;
    private final byte[] secret;

    /**
     * @param id     key id (any 32-bit value; the creator keeps ids unique where they are looked up)
     * @param secret {@value #LENGTH} bytes, copied
     * @throws IllegalArgumentException if the secret does not have {@value #LENGTH} bytes
     */
    public MediaKey(int id, byte[] secret) {
        Objects.requireNonNull(secret, "secret");
        if (secret.length != LENGTH) {
            throw new IllegalArgumentException(
                    "media key must have " + LENGTH + " bytes, got " + secret.length);
        }
        this.id = id;
        this.secret = secret.clone();
    }

    /** A fresh random key with the given id. */
    public static MediaKey random(int id, SecureRandom random) {
        byte[] secret = new byte[LENGTH];
        random.nextBytes(secret);
        MediaKey key = new MediaKey(id, secret);
        Arrays.fill(secret, (byte) 0);
        return key;
    }

    /** The key id carried in datagrams. */
    public int id() {
        return id;
    }

    /** A copy of the secret bytes. */
    public byte[] secret() {
        return secret.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MediaKey other && other.id == id
                && MessageDigest.isEqual(other.secret, secret);
    }

    @Override
    public int hashCode() {
        return Integer.hashCode(id);
    }

    @Override
    public String toString() {
        return "MediaKey[id=" + Integer.toUnsignedString(id) + ", secret=<redacted>]";
    }
}

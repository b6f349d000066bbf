package dev.odinreactive.token.internal;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/** Key ids (FORMAT.md §3): std-base64 of {@code 0x01 ‖ xor-fold-to-8(SHA-512(publicKey))}. */
public final class KeyIds {

    private KeyIds() {
    }

    /** The 12-character key id of a raw 32-byte Ed25519 public key. */
    public static String of(byte[] publicKey) {
        byte[] hash;
        try {
            hash = MessageDigest.getInstance("SHA-512").digest(publicKey);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-512 is required by every Java platform", e);
        }
        byte[] kid = new byte[9];
        kid[0] = 0x01;
        for (int i = 0; i < hash.length; i++) {
            kid[1 + (i & 7)] ^= hash[i];
        }
        return Base64.getEncoder().encodeToString(kid);
    }
}

package dev.odinreactive.protocol.media.internal;

import dev.odinreactive.protocol.media.MediaKey;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-128-GCM for one {@link MediaKey}, using the JDK provider (AES-NI/CLMUL intrinsics).
 * One instance holds one reusable {@link Cipher}; the key schedule is built once per instance,
 * so keep one instance per key (and per thread) instead of switching keys on one cipher.
 *
 * <p>A sealing instance also owns the key's packet-number counter: only one sealer may exist
 * per key, or nonces would repeat. <b>Not thread-safe</b>: confine to one thread or lock.
 */
public final class MediaAead {

    private static final int TAG_BITS = MediaWire.TAG * 8;

    private final int keyId;
    private final SecretKeySpec keySpec;
    private final Cipher cipher;
    private final boolean sealing;
    private final byte[] nonce = new byte[12];
    private long nextPacketNumber;

    private MediaAead(MediaKey key, boolean sealing) {
        this.keyId = key.id();
        byte[] secret = key.secret();
        this.keySpec = new SecretKeySpec(secret, "AES");
        java.util.Arrays.fill(secret, (byte) 0);
        this.sealing = sealing;
        try {
            this.cipher = Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM/NoPadding is not available in this JDK", e);
        }
    }

    /** A sealer: the only one for this key; packet numbers start at 0. */
    public static MediaAead sealer(MediaKey key) {
        return new MediaAead(key, true);
    }

    /** An opener for datagrams sealed with this key. */
    public static MediaAead opener(MediaKey key) {
        return new MediaAead(key, false);
    }

    public int keyId() {
        return keyId;
    }

    /** Returns and advances the packet number to write into the next sealed header. */
    public long nextPacketNumber() {
        return nextPacketNumber++;
    }

    /**
     * Seals a datagram. {@code src[0, headerLen)} holds a complete header (key id = this key,
     * packet number from {@link #nextPacketNumber()}); {@code src[headerLen, headerLen+bodyLen)}
     * the plaintext body. Writes header, ciphertext and tag to {@code dst} (a different array).
     *
     * @return the datagram length, {@code headerLen + bodyLen + 16}
     */
    public int seal(byte[] src, int headerLen, int bodyLen, byte[] dst) {
        if (!sealing) {
            throw new IllegalStateException("opener used to seal");
        }
        System.arraycopy(src, 0, dst, 0, headerLen);
        try {
            initNonce(src);
            cipher.init(Cipher.ENCRYPT_MODE, keySpec, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(src, 0, headerLen);
            int n = cipher.doFinal(src, headerLen, bodyLen, dst, headerLen);
            return headerLen + n;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM seal failed", e);
        }
    }

    /**
     * Opens a datagram {@code src[0, len)} whose header is {@code headerLen} bytes, writing the
     * plaintext body to {@code dst[dstOff, ...)} ({@code dst} a different array). Never throws
     * for bad input.
     *
     * @return the plaintext length, or -1 if the tag does not verify
     */
    public int open(byte[] src, int headerLen, int len, byte[] dst, int dstOff) {
        try {
            initNonce(src);
            cipher.init(Cipher.DECRYPT_MODE, keySpec, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(src, 0, headerLen);
            return cipher.doFinal(src, headerLen, len - headerLen, dst, dstOff);
        } catch (GeneralSecurityException | IllegalArgumentException | IllegalStateException e) {
            return -1;
        }
    }

    private void initNonce(byte[] header) {
        // nonce = key id (header bytes 4..8) || packet number (header bytes 8..16)
        System.arraycopy(header, MediaWire.OFF_KEY_ID, nonce, 0, 12);
    }

    @Override
    public String toString() {
        return "MediaAead[keyId=" + Integer.toUnsignedString(keyId) + (sealing ? ", sealer" : ", opener") + "]";
    }
}

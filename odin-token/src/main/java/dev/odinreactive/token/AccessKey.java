package dev.odinreactive.token;

import com.google.crypto.tink.subtle.Ed25519Sign;
import dev.odinreactive.token.internal.Crc8;
import dev.odinreactive.token.internal.KeyIds;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * An ODIN access key: the secret from which room tokens are signed (FORMAT.md §1–§4).
 *
 * <p>Text form: 44 characters of standard base64 encoding 33 bytes, {@code 0x01 ‖ 31 random
 * bytes ‖ CRC-8}. The Ed25519 seed is bytes 1..32; {@link #keyId()} identifies the public key.
 *
 * <p>{@link #parse(String)} accepts exactly what the official {@code @4players/odin-tokens}
 * 1.4.0 package accepts (FORMAT.md §10): besides the canonical form, the URL-safe alphabet
 * ({@code - _}) used throughout, up to two trailing {@code =}, and whitespace anywhere
 * (including U+00A0). These are accepted deliberately so that every key the official tools
 * accept works here too; they decode to the same key as the canonical form.
 *
 * <p>Instances are immutable and thread-safe. {@link #toString()} shows only the key id:
 * the access key and the secret key are revealed only by {@link #encoded()} and
 * {@link #secretKey()}.
 */
public final class AccessKey {

    private static final int VERSION = 0x01;
    private static final int LENGTH = 33;
    private static final int TEXT_LENGTH = 44;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] bytes;
    private final byte[] publicKey;
    private final String keyId;
    private final Ed25519Sign signer;

    private AccessKey(byte[] bytes) {
        this.bytes = bytes;
        byte[] seed = Arrays.copyOfRange(bytes, 1, LENGTH);
        try {
            this.publicKey = Ed25519Sign.KeyPair.newKeyPairFromSeed(seed).getPublicKey();
            this.signer = new Ed25519Sign(seed);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 is unavailable", e);
        }
        this.keyId = KeyIds.of(publicKey);
    }

    /** A new random access key (31 bytes from {@link SecureRandom}). */
    public static AccessKey generate() {
        byte[] bytes = new byte[LENGTH];
        byte[] random = new byte[31];
        RANDOM.nextBytes(random);
        bytes[0] = VERSION;
        System.arraycopy(random, 0, bytes, 1, 31);
        bytes[32] = (byte) Crc8.of(bytes, 1, 32);
        return new AccessKey(bytes);
    }

    /**
     * Parses the text form of an access key.
     *
     * @throws InvalidAccessKeyException naming the {@link InvalidAccessKeyException.Rule} that
     *     failed; the message never contains the key
     * @throws NullPointerException if {@code text} is null
     */
    public static AccessKey parse(String text) {
        Objects.requireNonNull(text, "access key");
        String b64 = normalize(text);
        byte[] bytes = Base64.getDecoder().decode(b64);
        if ((bytes[0] & 0xFF) != VERSION) {
            throw new InvalidAccessKeyException(InvalidAccessKeyException.Rule.VERSION);
        }
        if (Crc8.of(bytes, 1, LENGTH) != 0) { // CRC over bytes 1..32, checksum included, is 0
            throw new InvalidAccessKeyException(InvalidAccessKeyException.Rule.CHECKSUM);
        }
        return new AccessKey(bytes);
    }

    /**
     * Reduces the lenient forms js-base64 3.x accepts to 44 standard base64 characters:
     * whitespace (JavaScript {@code \s}) removed, up to two trailing '=' removed, URL-safe
     * alphabet mapped to the standard one; mixed alphabets rejected.
     */
    private static String normalize(String text) {
        StringBuilder s = new StringBuilder(TEXT_LENGTH);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!isJsWhitespace(c)) {
                s.append(c);
            }
        }
        if (s.length() == 0) {
            throw new InvalidAccessKeyException(InvalidAccessKeyException.Rule.EMPTY);
        }
        for (int pad = 0; pad < 2 && s.length() > 0 && s.charAt(s.length() - 1) == '='; pad++) {
            s.setLength(s.length() - 1);
        }
        boolean standard = false;
        boolean urlSafe = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '+' || c == '/') {
                standard = true;
            } else if (c == '-' || c == '_') {
                urlSafe = true;
                s.setCharAt(i, c == '-' ? '+' : '/');
            } else if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
                throw new InvalidAccessKeyException(InvalidAccessKeyException.Rule.ILLEGAL_CHARACTER);
            }
        }
        if (standard && urlSafe) {
            throw new InvalidAccessKeyException(InvalidAccessKeyException.Rule.MIXED_ALPHABETS);
        }
        if (s.length() != TEXT_LENGTH) {
            throw new InvalidAccessKeyException(InvalidAccessKeyException.Rule.LENGTH);
        }
        return s.toString();
    }

    /** JavaScript's {@code \s}: ECMAScript WhiteSpace and LineTerminator. */
    private static boolean isJsWhitespace(char c) {
        switch (c) {
            case '\t': case '\n': case 0x0B: case '\f': case '\r': case ' ':
            case 0x00A0: case 0x1680: case 0x2028: case 0x2029: case 0x202F: case 0x205F:
            case 0x3000: case 0xFEFF:
                return true;
            default:
                return c >= 0x2000 && c <= 0x200A;
        }
    }

    /** The canonical 44-character text form (standard base64). <b>A secret</b>: never log it. */
    public String encoded() {
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** The key id ({@code kid}): 12 characters of standard base64, e.g. {@code AQ7aVmK+pI1l}. */
    public String keyId() {
        return keyId;
    }

    /** The raw 32-byte Ed25519 public key (a copy). */
    public byte[] publicKey() {
        return publicKey.clone();
    }

    /** The public key as padded standard base64 (44 characters, ending in {@code =}). */
    public String publicKeyBase64() {
        return Base64.getEncoder().encodeToString(publicKey);
    }

    /** The public key as unpadded base64url (43 characters): the JWK {@code x} value. */
    public String publicKeyBase64Url() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(publicKey);
    }

    /** The 32-byte Ed25519 private key (RFC 8032 seed, bytes 1..32 of the key; a copy). <b>A secret.</b> */
    public byte[] secretKey() {
        return Arrays.copyOfRange(bytes, 1, LENGTH);
    }

    /** The public JWK: {@code {"kty":"OKP","crv":"Ed25519","kid":…,"x":…}}. */
    public String publicJwk() {
        return "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"kid\":\"" + keyId + "\",\"x\":\"" + publicKeyBase64Url() + "\"}";
    }

    /** The private JWK: the public JWK plus {@code "d"} (base64url seed). <b>A secret.</b> */
    public String privateJwk() {
        String d = Base64.getUrlEncoder().withoutPadding().encodeToString(secretKey());
        return "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"kid\":\"" + keyId + "\",\"x\":\"" + publicKeyBase64Url()
                + "\",\"d\":\"" + d + "\"}";
    }

    /**
     * The {@code [[authorization.keys]]} TOML block an ODIN server configuration uses to
     * accept tokens signed by this key (public part only), ending in a newline.
     */
    public String tomlBlock() {
        return "[[authorization.keys]]\n"
                + "kid = \"" + keyId + "\"\n"
                + "kty = \"OKP\"\n"
                + "crv = \"Ed25519\"\n"
                + "x = \"" + publicKeyBase64Url() + "\"\n";
    }

    /** Signs {@code data} with this key (pure Ed25519, deterministic). */
    byte[] sign(byte[] data) {
        try {
            return signer.sign(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
    }

    /** Equal when the keys are the same (compared in constant time). */
    @Override
    public boolean equals(Object o) {
        return o instanceof AccessKey && java.security.MessageDigest.isEqual(bytes, ((AccessKey) o).bytes);
    }

    @Override
    public int hashCode() {
        return keyId.hashCode();
    }

    /** {@code AccessKey[keyId=…]}: never the secret. */
    @Override
    public String toString() {
        return "AccessKey[keyId=" + keyId + "]";
    }
}

package dev.odinreactive.token;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.google.crypto.tink.subtle.Ed25519Verify;
import dev.odinreactive.token.TokenException.Reason;
import dev.odinreactive.token.internal.KeyIds;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import reactor.core.publisher.Mono;

/**
 * Verifies ODIN room tokens (FORMAT.md §8): three base64url segments, header {@code alg}
 * {@code "EdDSA"} (or {@code "none"} only if {@linkplain Builder#allowUnsigned(boolean)
 * allowed}), {@code kid} looked up in the key set, Ed25519 signature over the received
 * {@code header.payload} text, then the claims: {@code rid} (string or non-empty string array),
 * {@code uid}, optional {@code cid}/{@code sub}, {@code aud} among the accepted audiences,
 * integer {@code nbf}/{@code exp} with {@code nbf <= exp}, and the time window
 * {@code nbf - leeway <= now <= exp + leeway}.
 *
 * <p>{@link #verify(String)} returns a cold {@code Mono} that checks on subscription, on the
 * subscribing thread (CPU only, never blocks), and emits the {@link TokenClaims} or signals a
 * {@link TokenException} whose {@link TokenException#reason() reason} says what failed.
 * Instances are immutable and thread-safe.
 */
public final class TokenVerifier {

    /** The default leeway for {@code nbf}/{@code exp}: 5 s, as the ODIN server. */
    public static final Duration DEFAULT_LEEWAY = Duration.ofSeconds(5);
    /** The default maximum token length in characters. */
    public static final int DEFAULT_MAX_LENGTH = 16 * 1024;
    private static final long MAX_SAFE_INTEGER = (1L << 53) - 1;

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)       // {"rid":"a","rid":"b"} is malformed
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)     // so is {"rid":"a"} {}
            .build();
    private static final Base64.Decoder B64U = Base64.getUrlDecoder();

    private final Map<String, Ed25519Verify> keys;
    private final Clock clock;
    private final Duration leeway;
    private final Set<Audience> audiences;
    private final boolean allowUnsigned;
    private final int maxLength;

    private TokenVerifier(Builder b) {
        this.keys = Map.copyOf(b.keys);
        this.clock = b.clock;
        this.leeway = b.leeway;
        this.audiences = Set.copyOf(b.audiences);
        this.allowUnsigned = b.allowUnsigned;
        this.maxLength = b.maxLength;
    }

    /** A builder: no keys, system clock, 5 s leeway, audiences {@code NONE} and {@code SFU}, unsigned refused. */
    public static Builder builder() {
        return new Builder();
    }

    /** A verifier with the defaults of {@link #builder()} that trusts the given keys. */
    public static TokenVerifier of(AccessKey... keys) {
        Builder b = builder();
        for (AccessKey k : keys) {
            b.addKey(k);
        }
        return b.build();
    }

    /**
     * Verifies {@code token}; emits its claims, or signals a {@link TokenException}.
     *
     * @throws NullPointerException (at call time) if {@code token} is null
     */
    public Mono<TokenClaims> verify(String token) {
        Objects.requireNonNull(token, "token");
        return Mono.fromCallable(() -> verifyNow(token));
    }

    /**
     * Verifies {@code token} on the calling thread (CPU only, never blocks).
     *
     * @throws TokenException if the token is refused
     */
    public TokenClaims verifyNow(String token) {
        Objects.requireNonNull(token, "token");
        if (token.length() > maxLength) {
            throw new TokenException(Reason.MALFORMED, "token longer than " + maxLength + " characters");
        }
        int dot1 = token.indexOf('.');
        int dot2 = dot1 < 0 ? -1 : token.indexOf('.', dot1 + 1);
        if (dot2 < 0 || token.indexOf('.', dot2 + 1) >= 0) {
            throw new TokenException(Reason.MALFORMED, "a token has exactly three '.'-separated segments");
        }
        JsonNode header = jsonObject(token.substring(0, dot1), "header");
        String alg = textMember(header, "alg");
        JsonNode kidNode = header.get("kid");
        if (kidNode == null || !(kidNode.isTextual() || kidNode.isNumber())) {
            throw new TokenException(Reason.MALFORMED, "header kid missing or not a string");
        }
        String kid = kidNode.asText();
        boolean signed;
        if ("EdDSA".equals(alg)) {
            JsonNode crv = header.get("crv");
            if (crv != null && !"Ed25519".equals(crv.asText(null))) {
                throw new TokenException(Reason.MALFORMED, "header crv must be Ed25519");
            }
            Ed25519Verify key = keys.get(kid);
            if (key == null) {
                throw new TokenException(Reason.UNKNOWN_KEY, "no key with kid " + kid);
            }
            byte[] signature = decode(token.substring(dot2 + 1), "signature");
            try {
                key.verify(signature, token.substring(0, dot2).getBytes(StandardCharsets.US_ASCII));
            } catch (GeneralSecurityException e) {
                throw new TokenException(Reason.BAD_SIGNATURE, "signature does not match (kid " + kid + ")");
            }
            signed = true;
        } else if ("none".equals(alg)) {
            if (!allowUnsigned) {
                throw new TokenException(Reason.UNSIGNED, "unsigned tokens (alg none) are not allowed");
            }
            signed = false;
        } else {
            throw new TokenException(Reason.MALFORMED, "header alg must be EdDSA");
        }
        return claims(kid, signed, jsonObject(token.substring(dot1 + 1, dot2), "payload"));
    }

    private TokenClaims claims(String kid, boolean signed, JsonNode payload) {
        List<String> rooms = stringOrStrings(payload, "rid", true);
        if (rooms.isEmpty()) {
            throw new TokenException(Reason.MALFORMED, "claim rid names no room");
        }
        String uid = textMember(payload, "uid");
        if (uid == null) {
            throw new TokenException(Reason.MALFORMED, "claim uid missing or not a string");
        }
        Optional<String> cid = Optional.empty();
        if (payload.has("cid")) {
            cid = Optional.ofNullable(textMember(payload, "cid"));
            if (cid.isEmpty()) {
                throw new TokenException(Reason.MALFORMED, "claim cid is not a string");
            }
        }
        List<String> subjects = stringOrStrings(payload, "sub", false);
        long nbf = integer(payload, "nbf");
        long exp = integer(payload, "exp");
        if (exp < nbf) {
            throw new TokenException(Reason.MALFORMED, "claim exp is before nbf");
        }
        Audience audience = audience(payload);
        Instant now = clock.instant();
        Instant notBefore = Instant.ofEpochSecond(nbf);
        Instant expiresAt = Instant.ofEpochSecond(exp);
        if (now.isBefore(notBefore.minus(leeway))) {
            throw new TokenException(Reason.NOT_YET_VALID, "token valid from " + notBefore + ", now " + now);
        }
        if (now.isAfter(expiresAt.plus(leeway))) {
            throw new TokenException(Reason.EXPIRED, "token expired at " + expiresAt + ", now " + now);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> raw = JSON.convertValue(payload, Map.class);
        return new TokenClaims(kid, rooms, uid, cid, subjects, audience, notBefore, expiresAt, signed, raw);
    }

    private Audience audience(JsonNode payload) {
        JsonNode aud = payload.get("aud");
        if (aud == null) {
            if (audiences.contains(Audience.NONE)) {
                return Audience.NONE;
            }
            throw new TokenException(Reason.WRONG_AUDIENCE, "token has no aud claim; expected one of " + audiences);
        }
        for (String value : stringOrStrings(payload, "aud", true)) {
            Optional<Audience> a = Audience.fromClaim(value);
            if (a.isPresent() && a.get() != Audience.NONE && audiences.contains(a.get())) {
                return a.get();
            }
        }
        throw new TokenException(Reason.WRONG_AUDIENCE, "aud claim names none of " + audiences);
    }

    private static JsonNode jsonObject(String segment, String what) {
        byte[] json = decode(segment, what);
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new TokenException(Reason.MALFORMED, what + " is not valid JSON");
        }
        if (node == null || !node.isObject()) {
            throw new TokenException(Reason.MALFORMED, what + " is not a JSON object");
        }
        return node;
    }

    private static byte[] decode(String segment, String what) {
        try {
            return B64U.decode(segment);
        } catch (IllegalArgumentException e) {
            throw new TokenException(Reason.MALFORMED, what + " is not base64url");
        }
    }

    private static String textMember(JsonNode object, String name) {
        JsonNode n = object.get(name);
        return n != null && n.isTextual() ? n.textValue() : null;
    }

    private static List<String> stringOrStrings(JsonNode payload, String name, boolean required) {
        JsonNode n = payload.get(name);
        if (n == null) {
            if (required) {
                throw new TokenException(Reason.MALFORMED, "claim " + name + " missing");
            }
            return List.of();
        }
        if (n.isTextual()) {
            return List.of(n.textValue());
        }
        if (n.isArray()) {
            List<String> values = new ArrayList<>(n.size());
            for (JsonNode e : n) {
                if (!e.isTextual()) {
                    throw new TokenException(Reason.MALFORMED, "claim " + name + " must hold only strings");
                }
                values.add(e.textValue());
            }
            return values;
        }
        throw new TokenException(Reason.MALFORMED, "claim " + name + " must be a string or an array of strings");
    }

    private static long integer(JsonNode payload, String name) {
        JsonNode n = payload.get(name);
        if (n == null || !n.isIntegralNumber() || !n.canConvertToLong()
                || Math.abs(n.longValue()) > MAX_SAFE_INTEGER) {
            throw new TokenException(Reason.MALFORMED, "claim " + name + " missing or not a safe integer");
        }
        return n.longValue();
    }

    /** Builds a {@link TokenVerifier}; not thread-safe. */
    public static final class Builder {
        private final Map<String, Ed25519Verify> keys = new HashMap<>();
        private Clock clock = Clock.systemUTC();
        private Duration leeway = DEFAULT_LEEWAY;
        private Set<Audience> audiences = EnumSet.of(Audience.NONE, Audience.SFU);
        private boolean allowUnsigned;
        private int maxLength = DEFAULT_MAX_LENGTH;

        private Builder() {
        }

        /** Trusts tokens signed by {@code key} (only its public part is kept). */
        public Builder addKey(AccessKey key) {
            return addPublicKey(key.keyId(), key.publicKey());
        }

        /** Trusts the raw 32-byte Ed25519 {@code publicKey}; its kid is derived (FORMAT.md §3). */
        public Builder addPublicKey(byte[] publicKey) {
            return addPublicKey(KeyIds.of(checkPublicKey(publicKey)), publicKey);
        }

        /** Trusts a public key given as standard base64 or base64url (padded or not). */
        public Builder addPublicKey(String base64) {
            byte[] raw;
            try {
                raw = base64.indexOf('-') >= 0 || base64.indexOf('_') >= 0
                        ? Base64.getUrlDecoder().decode(base64) : Base64.getDecoder().decode(base64);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("public key is not base64");
            }
            return addPublicKey(raw);
        }

        /** Trusts {@code publicKey} under an explicit key id (e.g. a server key with prefix 0x02). */
        public Builder addPublicKey(String keyId, byte[] publicKey) {
            keys.put(Objects.requireNonNull(keyId, "keyId"), new Ed25519Verify(checkPublicKey(publicKey).clone()));
            return this;
        }

        /**
         * Trusts the key of a JWK ({@code {"kty":"OKP","crv":"Ed25519","x":…[,"kid":…][,"d":…]}});
         * without {@code kid} the kid is derived from {@code x}. A private part is ignored.
         *
         * @throws IllegalArgumentException if the JWK is not an Ed25519 OKP key
         */
        public Builder addJwk(String jwk) {
            JsonNode node;
            try {
                node = JSON.readTree(jwk);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("JWK is not valid JSON");
            }
            if (node == null || !node.isObject() || !"OKP".equals(textMember(node, "kty"))
                    || !"Ed25519".equals(textMember(node, "crv")) || textMember(node, "x") == null) {
                throw new IllegalArgumentException("JWK must have kty OKP, crv Ed25519 and x");
            }
            byte[] x;
            try {
                x = Base64.getUrlDecoder().decode(textMember(node, "x"));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("JWK x is not base64url");
            }
            String kid = textMember(node, "kid");
            return kid == null ? addPublicKey(x) : addPublicKey(kid, x);
        }

        /** The clock for {@code nbf}/{@code exp} checks (default: system UTC). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The tolerance for {@code nbf}/{@code exp} (default 5 s); not negative. */
        public Builder leeway(Duration leeway) {
            if (leeway.isNegative()) {
                throw new IllegalArgumentException("leeway must not be negative");
            }
            this.leeway = leeway;
            return this;
        }

        /**
         * The audiences accepted (default {@code NONE, SFU}: the server role). {@code NONE}
         * means tokens without an {@code aud} claim; a gateway would accept
         * {@code NONE, GATEWAY}.
         */
        public Builder audiences(Audience first, Audience... more) {
            this.audiences = EnumSet.of(first, more);
            return this;
        }

        /** Whether {@code alg:"none"} tokens are accepted (default false; never in production). */
        public Builder allowUnsigned(boolean allowUnsigned) {
            this.allowUnsigned = allowUnsigned;
            return this;
        }

        /** The longest token accepted, in characters (default 16 KiB). */
        public Builder maxLength(int maxLength) {
            if (maxLength < 1) {
                throw new IllegalArgumentException("maxLength must be positive");
            }
            this.maxLength = maxLength;
            return this;
        }

        /** The verifier. */
        public TokenVerifier build() {
            return new TokenVerifier(this);
        }

        private static byte[] checkPublicKey(byte[] publicKey) {
            if (Objects.requireNonNull(publicKey, "publicKey").length != 32) {
                throw new IllegalArgumentException("an Ed25519 public key has 32 bytes");
            }
            return publicKey;
        }
    }
}

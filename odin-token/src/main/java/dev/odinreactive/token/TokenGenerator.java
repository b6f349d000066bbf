package dev.odinreactive.token;

import dev.odinreactive.token.internal.JsClaimWriter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import reactor.core.publisher.Mono;

/**
 * Creates ODIN room tokens signed with an {@link AccessKey} (FORMAT.md §5): compact JWS with
 * header {@code {"alg":"EdDSA","kid":…}} and claims {@code rid, uid, [cid], sub, [aud], exp,
 * nbf} in that order. For the same clock and inputs the tokens are byte-identical to those of
 * the official {@code @4players/odin-tokens} 1.4.0 package.
 *
 * <p>Each returned {@code Mono} is cold: it signs when subscribed, on the subscribing thread
 * (pure CPU work of a few tens of microseconds, no I/O, never blocks), emits the token and
 * completes. Null arguments throw {@link NullPointerException} at call time. Instances are
 * immutable and thread-safe.
 */
public final class TokenGenerator {

    private static final Base64.Encoder B64U = Base64.getUrlEncoder().withoutPadding();

    private final AccessKey key;
    private final Clock clock;
    private final String encodedHeader;

    private TokenGenerator(AccessKey key, Clock clock) {
        this.key = Objects.requireNonNull(key, "key");
        this.clock = Objects.requireNonNull(clock, "clock");
        JsClaimWriter header = new JsClaimWriter().beginObject()
                .field("alg", "EdDSA").field("kid", key.keyId()).endObject();
        this.encodedHeader = B64U.encodeToString(header.toUtf8());
    }

    /** A generator using the system clock (UTC). */
    public static TokenGenerator create(AccessKey key) {
        return new TokenGenerator(key, Clock.systemUTC());
    }

    /** A generator reading {@code nbf} from {@code clock} ({@code floor(millis / 1000)}). */
    public static TokenGenerator create(AccessKey key, Clock clock) {
        return new TokenGenerator(key, clock);
    }

    /** The key id ({@code kid}) written into every token. */
    public String keyId() {
        return key.keyId();
    }

    /** A token for one room with the {@link TokenOptions#DEFAULTS default options}. */
    public Mono<String> createToken(String roomId, String userId) {
        return createToken(roomId, userId, TokenOptions.DEFAULTS);
    }

    /** A token for one room; {@code rid} is written as a JSON string. */
    public Mono<String> createToken(String roomId, String userId, TokenOptions options) {
        Objects.requireNonNull(roomId, "roomId");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(options, "options");
        return Mono.fromCallable(() -> sign(roomId, null, userId, options));
    }

    /**
     * A token for several rooms; {@code rid} is written as a JSON array, even with one room.
     * An empty list gives {@code "rid":[]} like the official package, which verifiers refuse.
     */
    public Mono<String> createToken(List<String> roomIds, String userId, TokenOptions options) {
        List<String> rooms = List.copyOf(roomIds);
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(options, "options");
        return Mono.fromCallable(() -> sign(null, rooms, userId, options));
    }

    /** The signing itself, shared by the {@code Mono} methods. */
    String sign(String roomId, List<String> roomIds, String userId, TokenOptions options) {
        long nbf = Math.floorDiv(clock.millis(), 1000L);
        JsClaimWriter claims = new JsClaimWriter().beginObject();
        if (roomIds != null) {
            claims.field("rid", roomIds);
        } else {
            claims.field("rid", roomId);
        }
        claims.field("uid", userId);
        if (options.customer() != null) {
            claims.field("cid", options.customer());
        }
        if (options.subjectAsArray()) {
            claims.field("sub", options.subjects());
        } else {
            claims.field("sub", options.subjects().get(0));
        }
        if (options.audienceClaim() != null) {
            claims.field("aud", options.audienceClaim());
        }
        if (options.lifetime().getNano() == 0) {
            claims.field("exp", nbf + options.lifetime().getSeconds());
        } else {
            claims.field("exp", BigDecimal.valueOf(nbf).add(options.lifetimeSeconds()));
        }
        claims.field("nbf", nbf).endObject();

        String signingInput = encodedHeader + '.' + B64U.encodeToString(claims.toUtf8());
        byte[] signature = key.sign(signingInput.getBytes(StandardCharsets.US_ASCII));
        return signingInput + '.' + B64U.encodeToString(signature);
    }

    @Override
    public String toString() {
        return "TokenGenerator[keyId=" + key.keyId() + "]";
    }
}

package dev.odinreactive.token;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The claims of a token that {@link TokenVerifier} accepted.
 *
 * @param keyId the header's {@code kid}
 * @param roomIds {@code rid}: the rooms the token grants (never empty; a single string claim
 *     gives a one-element list)
 * @param userId {@code uid}
 * @param customer {@code cid}, if present
 * @param subjects {@code sub}: the RPC methods allowed; empty if the claim is absent (then
 *     every method is allowed, see {@link #allows(String)})
 * @param audience the accepted audience: {@link Audience#NONE} if the token has no {@code aud}
 * @param notBefore {@code nbf}
 * @param expiresAt {@code exp}
 * @param signed false only for an {@code alg:"none"} token accepted by a verifier that allows them
 * @param claims every claim as parsed (strings, numbers, lists, maps; unmodifiable)
 */
public record TokenClaims(String keyId, List<String> roomIds, String userId, Optional<String> customer,
                          List<String> subjects, Audience audience, Instant notBefore, Instant expiresAt,
                          boolean signed, Map<String, Object> claims) {

    /** Copies the lists and the map. */
    public TokenClaims {
        Objects.requireNonNull(keyId, "keyId");
        roomIds = List.copyOf(roomIds);
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(customer, "customer");
        subjects = List.copyOf(subjects);
        Objects.requireNonNull(audience, "audience");
        Objects.requireNonNull(notBefore, "notBefore");
        Objects.requireNonNull(expiresAt, "expiresAt");
        claims = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(claims));
    }

    /**
     * Whether the token allows calling {@code method}: true if there is no {@code sub} claim,
     * else if {@code sub} lists the method (case-insensitively), as the ODIN gateway does.
     */
    public boolean allows(String method) {
        if (!claims.containsKey("sub")) {
            return true;
        }
        String m = method.toLowerCase(Locale.ROOT);
        return subjects.stream().anyMatch(s -> s.toLowerCase(Locale.ROOT).equals(m));
    }

    /** Whether {@code roomId} is one of {@link #roomIds()}. */
    public boolean grantsRoom(String roomId) {
        return roomIds.contains(roomId);
    }
}

package dev.odinreactive.token;

import java.util.Locale;
import java.util.Objects;

/**
 * Why a token was refused by {@link TokenVerifier}. The message says what was wrong but never
 * contains the token or any key material.
 */
public final class TokenException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The kinds of refusal; {@link #code()} gives the wire error code ({@code token_expired} …). */
    public enum Reason {
        /** Not three base64url segments of JSON objects, a required claim missing or of the wrong type, or too long. */
        MALFORMED,
        /** The Ed25519 signature does not match the header and payload as received. */
        BAD_SIGNATURE,
        /** The header's {@code kid} is not in the verifier's key set. */
        UNKNOWN_KEY,
        /** Now is later than {@code exp} plus the leeway. */
        EXPIRED,
        /** Now is earlier than {@code nbf} minus the leeway. */
        NOT_YET_VALID,
        /** The {@code aud} claim names no audience this verifier accepts. */
        WRONG_AUDIENCE,
        /** {@code "alg":"none"} and the verifier does not allow unsigned tokens. */
        UNSIGNED;

        /** The protocol error code, e.g. {@code token_bad_signature}. */
        public String code() {
            return "token_" + name().toLowerCase(Locale.ROOT);
        }
    }

    private final Reason reason;

    /** A refusal for {@code reason}, explained by {@code detail} (never the token itself). */
    public TokenException(Reason reason, String detail) {
        super(Objects.requireNonNull(reason, "reason").code() + ": " + detail, null, false, false);
        this.reason = reason;
    }

    /** Why the token was refused. */
    public Reason reason() {
        return reason;
    }
}

package dev.odinreactive.token;

import java.util.Optional;

/**
 * Who a token is meant for: the {@code aud} claim (FORMAT.md §7), as in the C API's
 * {@code OdinTokenAudience}.
 */
public enum Audience {
    /** No {@code aud} claim: accepted by gateways and servers alike. */
    NONE(null),
    /** {@code "gateway"}: only a gateway accepts it. */
    GATEWAY("gateway"),
    /** {@code "sfu"}: an ODIN server accepts it directly (set a customer too). */
    SFU("sfu");

    private final String claim;

    Audience(String claim) {
        this.claim = claim;
    }

    /** The {@code aud} claim value, empty for {@link #NONE}. */
    public Optional<String> claim() {
        return Optional.ofNullable(claim);
    }

    /** The audience whose claim value is {@code value} ({@code null} means {@link #NONE}), or empty. */
    public static Optional<Audience> fromClaim(String value) {
        if (value == null) {
            return Optional.of(NONE);
        }
        for (Audience a : values()) {
            if (value.equals(a.claim)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }
}

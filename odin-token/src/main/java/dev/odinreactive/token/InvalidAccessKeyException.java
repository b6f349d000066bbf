package dev.odinreactive.token;

import java.util.Objects;

/**
 * Thrown by {@link AccessKey#parse(String)} when a text is not a valid ODIN access key. The
 * message names the {@link Rule} that failed and never contains the key (or any part of it).
 */
public final class InvalidAccessKeyException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** The validation rule an access key broke, in the order the rules are checked. */
    public enum Rule {
        /** The text is empty (after removing whitespace). */
        EMPTY("the key is empty"),
        /** A character is neither base64 nor whitespace, or {@code =} is not trailing padding. */
        ILLEGAL_CHARACTER("the key contains a character that is not base64 (A-Z a-z 0-9 + / or - _, '=' only as trailing padding)"),
        /** Characters of the standard ({@code + /}) and URL-safe ({@code - _}) alphabets are mixed. */
        MIXED_ALPHABETS("the key mixes the standard (+ /) and URL-safe (- _) base64 alphabets"),
        /** Not 44 base64 characters (33 bytes). */
        LENGTH("the key must be 44 base64 characters (33 bytes)"),
        /** The first byte is not the version {@code 0x01}. */
        VERSION("the key's version byte must be 0x01"),
        /** The CRC-8 checksum in the last byte does not match. */
        CHECKSUM("the key's CRC-8 checksum does not match (mistyped or truncated key?)");

        private final String description;

        Rule(String description) {
            this.description = description;
        }

        /** A human-readable description of the rule, without any key material. */
        public String description() {
            return description;
        }
    }

    private final Rule rule;

    InvalidAccessKeyException(Rule rule) {
        super("invalid access key (" + Objects.requireNonNull(rule).name() + "): " + rule.description());
        this.rule = rule;
    }

    /** The rule that failed. */
    public Rule rule() {
        return rule;
    }
}

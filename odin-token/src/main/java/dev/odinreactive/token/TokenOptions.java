package dev.odinreactive.token;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Options of a room token (FORMAT.md §5). Build with {@link #builder()}; {@link #DEFAULTS} has
 * no customer, no audience, subject {@code "connect"} and a lifetime of 300 s.
 *
 * @param customer the {@code cid} claim, or {@code null} to leave it out (set it for tokens
 *     that go straight to an ODIN server)
 * @param audienceClaim the {@code aud} claim verbatim, or {@code null} to leave it out; usually
 *     set through {@link Builder#audience(Audience)}
 * @param subjects the {@code sub} claim: the RPC methods the token allows
 * @param subjectAsArray whether {@code sub} is written as a JSON array even with one element
 * @param lifetime {@code exp - nbf}; may have a fraction of a second or be negative, as in the
 *     official package (verifiers reject such tokens; see {@link Builder#lifetime(Duration)})
 */
public record TokenOptions(String customer, String audienceClaim, List<String> subjects,
                           boolean subjectAsArray, Duration lifetime) {

    /** The default lifetime, 300 seconds. */
    public static final Duration DEFAULT_LIFETIME = Duration.ofSeconds(300);
    /** The default subject, {@code "connect"}. */
    public static final String DEFAULT_SUBJECT = "connect";
    /** No customer, no audience, subject {@code "connect"}, 300 s. */
    public static final TokenOptions DEFAULTS = builder().build();

    /** Validates and copies the components. */
    public TokenOptions {
        Objects.requireNonNull(subjects, "subjects");
        Objects.requireNonNull(lifetime, "lifetime");
        subjects = List.copyOf(subjects);
        if (!subjectAsArray && subjects.size() != 1) {
            throw new IllegalArgumentException("a single subject string needs exactly one subject");
        }
    }

    /** The audience, if the claim is one of the known values ({@code null} claim is {@link Audience#NONE}). */
    public java.util.Optional<Audience> audience() {
        return Audience.fromClaim(audienceClaim);
    }

    /** The lifetime in seconds as an exact decimal (e.g. {@code 1.5}). */
    public BigDecimal lifetimeSeconds() {
        return BigDecimal.valueOf(lifetime.getSeconds()).add(BigDecimal.valueOf(lifetime.getNano(), 9));
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these options. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.customer = customer;
        b.audienceClaim = audienceClaim;
        b.subjects = subjects;
        b.subjectAsArray = subjectAsArray;
        b.lifetime = lifetime;
        return b;
    }

    /** Builds {@link TokenOptions}; not thread-safe. */
    public static final class Builder {
        private String customer;
        private String audienceClaim;
        private List<String> subjects = List.of(DEFAULT_SUBJECT);
        private boolean subjectAsArray;
        private Duration lifetime = DEFAULT_LIFETIME;

        private Builder() {
        }

        /** The customer ({@code cid}); {@code null} leaves it out. An empty string is kept. */
        public Builder customer(String customer) {
            this.customer = customer;
            return this;
        }

        /** The audience ({@code aud}); {@link Audience#NONE} or {@code null} leaves it out. */
        public Builder audience(Audience audience) {
            this.audienceClaim = audience == null ? null : audience.claim().orElse(null);
            return this;
        }

        /**
         * Writes {@code aud} verbatim, for values outside {@link Audience} (interoperability
         * tests; a verifier rejects unknown audiences). Prefer {@link #audience(Audience)}.
         */
        public Builder audienceClaim(String audienceClaim) {
            this.audienceClaim = audienceClaim;
            return this;
        }

        /** One subject, written as a JSON string; {@code null} restores {@code "connect"}. */
        public Builder subject(String subject) {
            this.subjects = List.of(subject == null ? DEFAULT_SUBJECT : subject);
            this.subjectAsArray = false;
            return this;
        }

        /** Several subjects, written as a JSON array (even with one element). */
        public Builder subjects(List<String> subjects) {
            this.subjects = List.copyOf(subjects);
            this.subjectAsArray = true;
            return this;
        }

        /**
         * The lifetime ({@code exp - nbf}); {@code null} restores 300 s. Fractions of a second
         * and negative values are written as given (like the official package), though
         * verifiers reject them: keep it a positive whole number of seconds in practice.
         */
        public Builder lifetime(Duration lifetime) {
            this.lifetime = lifetime == null ? DEFAULT_LIFETIME : lifetime;
            return this;
        }

        /** The lifetime in seconds, e.g. {@code 3600} or {@code 1.5}; see {@link #lifetime(Duration)}. */
        public Builder lifetimeSeconds(double seconds) {
            if (!Double.isFinite(seconds)) {
                throw new IllegalArgumentException("lifetime must be finite");
            }
            BigDecimal nanos = BigDecimal.valueOf(seconds).movePointRight(9).setScale(0, java.math.RoundingMode.HALF_EVEN);
            return lifetime(Duration.ofNanos(nanos.longValueExact()));
        }

        /** The options. */
        public TokenOptions build() {
            return new TokenOptions(customer, audienceClaim, subjects, subjectAsArray, lifetime);
        }
    }
}

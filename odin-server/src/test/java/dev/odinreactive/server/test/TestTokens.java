package dev.odinreactive.server.test;

import dev.odinreactive.token.AccessKey;
import dev.odinreactive.token.Audience;
import dev.odinreactive.token.TokenGenerator;
import dev.odinreactive.token.TokenOptions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/** Real tokens for server tests, signed with a freshly generated access key. */
public final class TestTokens {

    public final AccessKey key = AccessKey.generate();
    private final TokenGenerator generator = TokenGenerator.create(key);

    /** A server token ({@code aud: sfu}, customer {@code cust}) for one room. */
    public String sfu(String room, String user) {
        return token(List.of(room), user, TokenOptions.builder().customer("cust").audience(Audience.SFU).build(), generator);
    }

    /** A token with explicit options. */
    public String token(String room, String user, TokenOptions options) {
        return token(List.of(room), user, options, generator);
    }

    /** A token that expired an hour ago. */
    public String expired(String room, String user) {
        Clock past = Clock.fixed(Instant.now().minus(Duration.ofHours(1)), ZoneOffset.UTC);
        return token(List.of(room), user, TokenOptions.builder().audience(Audience.SFU).build(), TokenGenerator.create(key, past));
    }

    /** A token valid only from an hour from now. */
    public String notYetValid(String room, String user) {
        Clock future = Clock.fixed(Instant.now().plus(Duration.ofHours(1)), ZoneOffset.UTC);
        return token(List.of(room), user, TokenOptions.builder().audience(Audience.SFU).build(), TokenGenerator.create(key, future));
    }

    /** A token signed with another key. */
    public static String foreign(String room, String user) {
        return TokenGenerator.create(AccessKey.generate())
                .createToken(room, user, TokenOptions.builder().audience(Audience.SFU).build()).block();
    }

    private static String token(List<String> rooms, String user, TokenOptions options, TokenGenerator g) {
        return g.createToken(rooms, user, options).block();
    }
}

package dev.odinreactive.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

class TokenGeneratorTest {

    static final AccessKey KEY = AccessKey.parse(AccessKeyTest.SPEC_KEY);

    static String payload(String token) {
        return new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
    }

    @Test
    void theOfficialExampleToken() {
        Clock year3000 = Clock.fixed(Instant.parse("3000-01-01T00:00:00Z"), ZoneOffset.UTC);
        StepVerifier.create(TokenGenerator.create(KEY, year3000).createToken("test-room", "test-user"))
                .expectNext("eyJhbGciOiJFZERTQSIsImtpZCI6IkFRN2FWbUsrcEkxbCJ9."
                        + "eyJyaWQiOiJ0ZXN0LXJvb20iLCJ1aWQiOiJ0ZXN0LXVzZXIiLCJzdWIiOiJjb25uZWN0IiwiZXhwIjozMjUwMzY4MDMwMCwibmJmIjozMjUwMzY4MDAwMH0."
                        + "HZHRcFZ-DsdTTWE0gqbG1ZAc1YFb81OiGGwB5MeD2zA87TOKzCCpsxPIfUF4XHBVx50xvZxEM3nsrzMBS1ScCA")
                .verifyComplete();
    }

    @Test
    void monoIsColdAndReadsTheClockAtSubscription() {
        AtomicLong millis = new AtomicLong(1_700_000_000_999L);
        Clock clock = new Clock() {
            @Override public ZoneId getZone() { return ZoneOffset.UTC; }
            @Override public Clock withZone(ZoneId zone) { return this; }
            @Override public Instant instant() { return Instant.ofEpochMilli(millis.get()); }
        };
        Mono<String> token = TokenGenerator.create(KEY, clock).createToken("r", "u");
        assertThat(payload(token.block())).endsWith("\"nbf\":1700000000}");
        millis.addAndGet(60_000);
        assertThat(payload(token.block())).endsWith("\"exp\":1700000360,\"nbf\":1700000060}");
    }

    @Test
    void writesOptionsInTheOfficialOrder() {
        Clock clock = Clock.fixed(Instant.ofEpochSecond(1000), ZoneOffset.UTC);
        TokenOptions options = TokenOptions.builder().customer("cust").audience(Audience.SFU)
                .subject("roomclose").lifetime(Duration.ofHours(1)).build();
        String token = TokenGenerator.create(KEY, clock).createToken(List.of("a", "b"), "u", options).block();
        assertThat(payload(token)).isEqualTo(
                "{\"rid\":[\"a\",\"b\"],\"uid\":\"u\",\"cid\":\"cust\",\"sub\":\"roomclose\",\"aud\":\"sfu\",\"exp\":4600,\"nbf\":1000}");
        TokenOptions none = options.toBuilder().audience(Audience.NONE).customer(null).subjects(List.of("connect")).build();
        assertThat(payload(TokenGenerator.create(KEY, clock).createToken("r", "u", none).block()))
                .isEqualTo("{\"rid\":\"r\",\"uid\":\"u\",\"sub\":[\"connect\"],\"exp\":4600,\"nbf\":1000}");
        assertThat(TokenOptions.DEFAULTS.lifetime()).isEqualTo(Duration.ofSeconds(300));
        assertThat(TokenOptions.DEFAULTS.audience()).contains(Audience.NONE);
        assertThat(options.audience()).contains(Audience.SFU);
    }

    @Test
    void nullArgumentsFailAtCallTime() {
        TokenGenerator generator = TokenGenerator.create(KEY);
        assertThatThrownBy(() -> generator.createToken((String) null, "u")).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> generator.createToken("r", null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> generator.createToken("r", "u", null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> TokenOptions.builder().lifetimeSeconds(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThat(generator.toString()).isEqualTo("TokenGenerator[keyId=AQ7aVmK+pI1l]");
        assertThat(generator.keyId()).isEqualTo("AQ7aVmK+pI1l");
    }
}

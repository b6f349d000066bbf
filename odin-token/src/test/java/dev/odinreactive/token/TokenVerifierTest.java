package dev.odinreactive.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.odinreactive.token.TokenException.Reason;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.test.StepVerifier;

class TokenVerifierTest {

    static final AccessKey KEY = AccessKey.parse(AccessKeyTest.SPEC_KEY);
    static final Instant NOW = Instant.parse("2026-11-26T00:00:00.250Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final long NBF = NOW.getEpochSecond();
    static final Base64.Encoder B64U = Base64.getUrlEncoder().withoutPadding();

    static String token(TokenOptions options) {
        return TokenGenerator.create(KEY, CLOCK).createToken("room", "alice", options).block();
    }

    static TokenVerifier.Builder verifier() {
        return TokenVerifier.builder().addKey(KEY).clock(CLOCK);
    }

    static Reason reasonOf(TokenVerifier verifier, String token) {
        try {
            verifier.verifyNow(token);
            return null;
        } catch (TokenException e) {
            if (token.length() > 16) {
                assertThat(e.getMessage()).doesNotContain(token);
            }
            return e.reason();
        }
    }

    static String unsigned(String headerJson, String payloadJson, String signature) {
        return B64U.encodeToString(headerJson.getBytes(StandardCharsets.UTF_8)) + "."
                + B64U.encodeToString(payloadJson.getBytes(StandardCharsets.UTF_8)) + "." + signature;
    }

    @Test
    void roundTripEmitsTheClaims() {
        String token = token(TokenOptions.builder().customer("acme").audience(Audience.SFU)
                .subjects(List.of("connect", "RoomUpdate")).lifetime(Duration.ofMinutes(10)).build());

        StepVerifier.create(verifier().build().verify(token))
                .assertNext(c -> {
                    assertThat(c.keyId()).isEqualTo(KEY.keyId());
                    assertThat(c.roomIds()).containsExactly("room");
                    assertThat(c.userId()).isEqualTo("alice");
                    assertThat(c.customer()).contains("acme");
                    assertThat(c.audience()).isEqualTo(Audience.SFU);
                    assertThat(c.subjects()).containsExactly("connect", "RoomUpdate");
                    assertThat(c.allows("roomupdate")).isTrue();
                    assertThat(c.allows("RoomClose")).isFalse();
                    assertThat(c.notBefore()).isEqualTo(Instant.ofEpochSecond(NBF));
                    assertThat(c.expiresAt()).isEqualTo(Instant.ofEpochSecond(NBF + 600));
                    assertThat(c.signed()).isTrue();
                    assertThat(c.claims()).containsEntry("cid", "acme").containsEntry("uid", "alice");
                    assertThat(c.grantsRoom("room")).isTrue();
                })
                .verifyComplete();
    }

    @Test
    void roundTripsManyRandomKeysAndRooms() {
        for (int i = 0; i < 20; i++) {
            AccessKey key = AccessKey.generate();
            List<String> rooms = List.of("r" + i, "room " + i + " ü", "");
            String token = TokenGenerator.create(key, CLOCK).createToken(rooms, "u" + i, TokenOptions.DEFAULTS).block();
            TokenClaims claims = TokenVerifier.builder().addKey(key).clock(CLOCK).build().verifyNow(token);
            assertThat(claims.roomIds()).isEqualTo(rooms);
            assertThat(claims.userId()).isEqualTo("u" + i);
            assertThat(claims.audience()).isEqualTo(Audience.NONE);
            assertThat(claims.allows("Connect")).isTrue();
        }
    }

    @Test
    void tamperingWithAnyByteOfSignatureOrPayloadBreaksTheSignature() {
        String token = token(TokenOptions.builder().customer("c").build());
        String[] parts = token.split("\\.");
        byte[] payload = Base64.getUrlDecoder().decode(parts[1]);
        byte[] signature = Base64.getUrlDecoder().decode(parts[2]);
        TokenVerifier verifier = verifier().build();
        assertThat(reasonOf(verifier, token)).isNull();

        for (int i = 0; i < signature.length; i++) {
            for (int bit : new int[] {0x01, 0x80}) {
                byte[] s = signature.clone();
                s[i] ^= (byte) bit;
                String tampered = parts[0] + "." + parts[1] + "." + B64U.encodeToString(s);
                assertThat(reasonOf(verifier, tampered)).as("signature byte %d bit %x", i, bit)
                        .isEqualTo(Reason.BAD_SIGNATURE);
            }
        }
        for (int i = 0; i < payload.length; i++) {
            byte[] p = payload.clone();
            p[i] ^= 0x01;
            String tampered = parts[0] + "." + B64U.encodeToString(p) + "." + parts[2];
            assertThat(reasonOf(verifier, tampered)).as("payload byte %d", i).isEqualTo(Reason.BAD_SIGNATURE);
        }
        // a truncated or extended signature is refused too
        assertThat(reasonOf(verifier, token.substring(0, token.length() - 2))).isIn(Reason.BAD_SIGNATURE, Reason.MALFORMED);
        assertThat(reasonOf(verifier, token + "AA")).isIn(Reason.BAD_SIGNATURE, Reason.MALFORMED);
    }

    @ParameterizedTest(name = "now = {0} ms after nbf -> {1}")
    @CsvSource({
            "-5001, NOT_YET_VALID",
            "-5000, ",
            "0, ",
            "300000, ",
            "305000, ",
            "305001, EXPIRED",
    })
    void clockEdgesWithTheDefaultLeeway(long offsetMillis, Reason expected) {
        Instant nbf = Instant.ofEpochSecond(NBF);
        String token = token(TokenOptions.DEFAULTS); // exp = nbf + 300
        TokenVerifier verifier = verifier()
                .clock(Clock.fixed(nbf.plusMillis(offsetMillis), ZoneOffset.UTC)).build();
        assertThat(reasonOf(verifier, token)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "zero leeway, now = {0} ms after nbf -> {1}")
    @CsvSource({"-1, NOT_YET_VALID", "0, ", "60000, ", "60001, EXPIRED"})
    void clockEdgesWithoutLeeway(long offsetMillis, Reason expected) {
        String token = token(TokenOptions.builder().lifetime(Duration.ofSeconds(60)).build());
        TokenVerifier verifier = verifier().leeway(Duration.ZERO)
                .clock(Clock.fixed(Instant.ofEpochSecond(NBF).plusMillis(offsetMillis), ZoneOffset.UTC)).build();
        assertThat(reasonOf(verifier, token)).isEqualTo(expected);
    }

    @Test
    void signalsTypedErrorsThroughTheMono() {
        String token = token(TokenOptions.DEFAULTS);
        StepVerifier.create(TokenVerifier.builder().clock(CLOCK).build().verify(token))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOfSatisfying(TokenException.class,
                        t -> assertThat(t.reason()).isEqualTo(Reason.UNKNOWN_KEY)))
                .verify();
        assertThat(Reason.UNKNOWN_KEY.code()).isEqualTo("token_unknown_key");
    }

    @Test
    void refusesKeysNotInTheKeySet() {
        String token = TokenGenerator.create(AccessKey.generate(), CLOCK).createToken("r", "u").block();
        assertThat(reasonOf(verifier().build(), token)).isEqualTo(Reason.UNKNOWN_KEY);
    }

    @Test
    void checksTheAudience() {
        String gateway = token(TokenOptions.builder().audience(Audience.GATEWAY).build());
        String sfu = token(TokenOptions.builder().audience(Audience.SFU).build());
        String none = token(TokenOptions.DEFAULTS);
        String bogus = token(TokenOptions.builder().audienceClaim("somewhere").build());

        TokenVerifier server = verifier().build();
        assertThat(reasonOf(server, gateway)).isEqualTo(Reason.WRONG_AUDIENCE);
        assertThat(reasonOf(server, sfu)).isNull();
        assertThat(reasonOf(server, none)).isNull();
        assertThat(reasonOf(server, bogus)).isEqualTo(Reason.WRONG_AUDIENCE);

        TokenVerifier gatewayOnly = verifier().audiences(Audience.GATEWAY).build();
        assertThat(reasonOf(gatewayOnly, gateway)).isNull();
        assertThat(reasonOf(gatewayOnly, none)).isEqualTo(Reason.WRONG_AUDIENCE);
        assertThat(reasonOf(gatewayOnly, sfu)).isEqualTo(Reason.WRONG_AUDIENCE);
    }

    @Test
    void unsignedTokensOnlyWhenAllowed() {
        String header = "{\"alg\":\"none\",\"kid\":\"" + KEY.keyId() + "\"}";
        String payload = "{\"rid\":\"r\",\"uid\":\"u\",\"exp\":" + (NBF + 60) + ",\"nbf\":" + NBF + "}";
        String token = unsigned(header, payload, "");

        assertThat(reasonOf(verifier().build(), token)).isEqualTo(Reason.UNSIGNED);
        TokenClaims claims = verifier().allowUnsigned(true).build().verifyNow(token);
        assertThat(claims.signed()).isFalse();
        assertThat(claims.roomIds()).containsExactly("r");
        assertThat(claims.subjects()).isEmpty();
        assertThat(claims.allows("anything")).isTrue();
    }

    @Test
    void acceptsKeysGivenAsJwkOrPublicKeyText() {
        String token = token(TokenOptions.DEFAULTS);
        TokenVerifier.Builder b = TokenVerifier.builder().clock(CLOCK);
        assertThat(reasonOf(b.addJwk(KEY.publicJwk()).build(), token)).isNull();
        assertThat(reasonOf(TokenVerifier.builder().clock(CLOCK).addJwk(KEY.privateJwk()).build(), token)).isNull();
        String noKid = "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"" + KEY.publicKeyBase64Url() + "\"}";
        assertThat(reasonOf(TokenVerifier.builder().clock(CLOCK).addJwk(noKid).build(), token)).isNull();
        assertThat(reasonOf(TokenVerifier.builder().clock(CLOCK).addPublicKey(KEY.publicKeyBase64()).build(), token)).isNull();
        assertThat(reasonOf(TokenVerifier.builder().clock(CLOCK).addPublicKey(KEY.publicKeyBase64Url()).build(), token)).isNull();
        assertThatThrownBy(() -> TokenVerifier.builder().addJwk("{\"kty\":\"RSA\"}"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TokenVerifier.builder().addJwk("not json"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TokenVerifier.builder().addPublicKey(new byte[31]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "", "a", "a.b", "a.b.c.d", "....", "!!!.???.###",
            "eyJhbGciOiJFZERTQSJ9.e30.AAAA",            // header without kid
            "bnVsbA.bnVsbA.AAAA",                        // JSON null header
            "WzFd.e30.AAAA",                             // header is an array
            "eyJhbGci.e30.AAAA",                         // truncated JSON
    })
    void refusesMalformedTokens(String token) {
        assertThat(reasonOf(verifier().build(), token)).isEqualTo(Reason.MALFORMED);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "{\"uid\":\"u\",\"exp\":EXP,\"nbf\":NBF}",                          // no rid
            "{\"rid\":[],\"uid\":\"u\",\"exp\":EXP,\"nbf\":NBF}",               // rid grants no room
            "{\"rid\":[1],\"uid\":\"u\",\"exp\":EXP,\"nbf\":NBF}",              // rid not strings
            "{\"rid\":\"r\",\"exp\":EXP,\"nbf\":NBF}",                          // no uid
            "{\"rid\":\"r\",\"uid\":5,\"exp\":EXP,\"nbf\":NBF}",                // uid not a string
            "{\"rid\":\"r\",\"uid\":\"u\",\"cid\":1,\"exp\":EXP,\"nbf\":NBF}",  // cid not a string
            "{\"rid\":\"r\",\"uid\":\"u\",\"sub\":{},\"exp\":EXP,\"nbf\":NBF}", // sub not a string
            "{\"rid\":\"r\",\"uid\":\"u\",\"nbf\":NBF}",                        // no exp
            "{\"rid\":\"r\",\"uid\":\"u\",\"exp\":EXP}",                        // no nbf
            "{\"rid\":\"r\",\"uid\":\"u\",\"exp\":EXP.5,\"nbf\":NBF}",          // fractional exp
            "{\"rid\":\"r\",\"uid\":\"u\",\"exp\":\"EXP\",\"nbf\":NBF}",        // exp a string
            "{\"rid\":\"r\",\"uid\":\"u\",\"exp\":9007199254740993,\"nbf\":NBF}", // not a safe integer
            "{\"rid\":\"r\",\"uid\":\"u\",\"exp\":NBF,\"nbf\":EXP}",            // exp before nbf
            "{\"rid\":\"r\",\"rid\":\"s\",\"uid\":\"u\",\"exp\":EXP,\"nbf\":NBF}", // duplicate claim
            "{\"rid\":\"r\",\"uid\":\"u\",\"exp\":EXP,\"nbf\":NBF} {}",                // trailing JSON
    })
    void refusesSignedTokensWithMalformedClaims(String template) {
        String payload = template.replace("EXP", Long.toString(NBF + 60)).replace("NBF", Long.toString(NBF));
        String signingInput = B64U.encodeToString(("{\"alg\":\"EdDSA\",\"kid\":\"" + KEY.keyId() + "\"}")
                .getBytes(StandardCharsets.UTF_8)) + "." + B64U.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
        String token = signingInput + "." + B64U.encodeToString(KEY.sign(signingInput.getBytes(StandardCharsets.US_ASCII)));
        assertThat(reasonOf(verifier().build(), token)).isEqualTo(Reason.MALFORMED);
    }

    @Test
    void refusesOtherAlgorithmsAndOversizedTokens() {
        String hs = unsigned("{\"alg\":\"HS256\",\"kid\":\"" + KEY.keyId() + "\"}", "{}", "AAAA");
        assertThat(reasonOf(verifier().build(), hs)).isEqualTo(Reason.MALFORMED);
        String wrongCurve = unsigned("{\"alg\":\"EdDSA\",\"crv\":\"Ed448\",\"kid\":\"" + KEY.keyId() + "\"}", "{}", "AAAA");
        assertThat(reasonOf(verifier().build(), wrongCurve)).isEqualTo(Reason.MALFORMED);
        String big = token(TokenOptions.builder().customer("x".repeat(20_000)).build());
        assertThat(reasonOf(verifier().build(), big)).isEqualTo(Reason.MALFORMED);
        assertThat(reasonOf(verifier().maxLength(64 * 1024).build(), big)).isNull();
    }
}

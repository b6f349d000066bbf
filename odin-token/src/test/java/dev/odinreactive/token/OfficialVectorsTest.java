package dev.odinreactive.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every vector produced by the official {@code @4players/odin-tokens} 1.4.0 package
 * (src/test/resources/odin-tokens-1.4.0-vectors.json, a copy of shared/research/tokens/vectors.json):
 * keys derive identically, tokens are reproduced byte for byte from the same clock and inputs,
 * invalid keys are accepted or rejected exactly as the package does, and our verifier accepts
 * or refuses each token as {@code expect_verify} says.
 */
class OfficialVectorsTest {

    static final JsonNode VECTORS = load();

    static JsonNode load() {
        try (InputStream in = OfficialVectorsTest.class.getResourceAsStream("/odin-tokens-1.4.0-vectors.json")) {
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Stream<Arguments> keys() {
        return StreamSupport.stream(VECTORS.get("keys").spliterator(), false)
                .map(k -> Arguments.of(k.get("name").asText(), k));
    }

    static Stream<Arguments> tokens() {
        return StreamSupport.stream(VECTORS.get("tokens").spliterator(), false)
                .map(t -> Arguments.of(t.get("id").asText(), t));
    }

    static Stream<Arguments> invalidKeys() {
        return StreamSupport.stream(VECTORS.get("invalid_access_keys").spliterator(), false)
                .map(k -> Arguments.of(k.get("name").asText(), k));
    }

    static AccessKey key(String name) {
        for (JsonNode k : VECTORS.get("keys")) {
            if (k.get("name").asText().equals(name)) {
                return AccessKey.parse(k.get("access_key").asText());
            }
        }
        throw new IllegalArgumentException(name);
    }

    @Test
    void holdsAllVectors() {
        assertThat(VECTORS.get("tokens")).hasSize(69);
        assertThat(VECTORS.get("keys")).hasSize(7);
        assertThat(VECTORS.get("invalid_access_keys")).hasSize(11);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("keys")
    void derivesKeyMaterial(String name, JsonNode v) {
        AccessKey key = AccessKey.parse(v.get("access_key").asText());
        HexFormat hex = HexFormat.of();
        assertThat(key.encoded()).isEqualTo(v.get("access_key_canonical").asText());
        assertThat(hex.formatHex(key.secretKey())).isEqualTo(v.get("ed25519_seed_hex").asText());
        assertThat(hex.formatHex(key.publicKey())).isEqualTo(v.get("public_key_hex").asText());
        assertThat(key.publicKeyBase64()).isEqualTo(v.get("public_key_b64").asText());
        assertThat(key.publicKeyBase64Url()).isEqualTo(v.get("public_key_b64url").asText());
        assertThat(key.keyId()).isEqualTo(v.get("key_id").asText());
        JsonNode jwk = v.get("jwk");
        assertThat(json(key.publicJwk())).isEqualTo(jwk);
        JsonNode privateJwk = json(key.privateJwk());
        assertThat(privateJwk.get("d").asText()).isEqualTo(v.get("private_jwk_d").asText());
        assertThat(privateJwk.get("x")).isEqualTo(jwk.get("x"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tokens")
    void reproducesTokenByteForByte(String id, JsonNode v) {
        JsonNode input = v.get("input");
        Clock clock = Clock.fixed(Instant.ofEpochMilli(input.get("now_ms").asLong()), ZoneOffset.UTC);
        TokenGenerator generator = TokenGenerator.create(key(v.get("key").asText()), clock);

        String token = createToken(generator, input).block();

        assertThat(token).isEqualTo(v.get("token").asText());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tokens")
    void verifiesAsExpected(String id, JsonNode v) {
        JsonNode input = v.get("input");
        TokenVerifier verifier = TokenVerifier.builder()
                .addKey(key(v.get("key").asText()))
                .audiences(Audience.NONE, Audience.GATEWAY, Audience.SFU)
                .clock(Clock.fixed(Instant.ofEpochMilli(input.get("now_ms").asLong()), ZoneOffset.UTC))
                .build();
        String token = v.get("token").asText();

        if (v.get("expect_verify").asText().equals("pass")) {
            TokenClaims claims = verifier.verifyNow(token);
            JsonNode payload = v.get("payload");
            assertThat(claims.userId()).isEqualTo(payload.get("uid").asText());
            assertThat(claims.roomIds()).isEqualTo(strings(payload.get("rid")));
            assertThat(claims.subjects()).isEqualTo(strings(payload.get("sub")));
            assertThat(claims.notBefore().getEpochSecond()).isEqualTo(payload.get("nbf").asLong());
            assertThat(claims.expiresAt().getEpochSecond()).isEqualTo(payload.get("exp").asLong());
            assertThat(claims.customer().orElse(null))
                    .isEqualTo(payload.has("cid") ? payload.get("cid").asText() : null);
            assertThat(claims.keyId()).isEqualTo(v.get("header").get("kid").asText());
        } else {
            TokenException.Reason expected = switch (id) {
                case "spec/exotic-empty-room-array",        // rid: [] grants no room
                     "spec/exotic-fractional-lifetime",     // exp 1700000001.5 is not an integer
                     "spec/exotic-negative-lifetime" ->     // exp < nbf
                        TokenException.Reason.MALFORMED;
                case "spec/exotic-empty-subject-audience" -> // aud "" is no audience
                        TokenException.Reason.WRONG_AUDIENCE;
                default -> throw new AssertionError("no expected reason for " + id);
            };
            assertThatThrownBy(() -> verifier.verifyNow(token))
                    .isInstanceOfSatisfying(TokenException.class, e -> assertThat(e.reason()).isEqualTo(expected));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidKeys")
    void treatsBadAndLenientKeysLikeTheOfficialPackage(String name, JsonNode v) {
        String input = v.get("input").asText();
        JsonNode official = v.get("official");
        if (official.get("accepted").asBoolean()) {
            assertThat(AccessKey.parse(input).keyId()).isEqualTo(official.get("key_id").asText());
        } else {
            assertThatThrownBy(() -> AccessKey.parse(input))
                    .isInstanceOf(InvalidAccessKeyException.class)
                    .hasMessageStartingWith("invalid access key")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain(input.substring(0, 8)));
        }
    }

    /** Calls the generator the way the vector's input called the official package. */
    static reactor.core.publisher.Mono<String> createToken(TokenGenerator generator, JsonNode input) {
        JsonNode room = input.get("room_id");
        String user = input.get("user_id").asText();
        JsonNode options = input.get("options");
        TokenOptions.Builder b = TokenOptions.builder();
        if (options != null && !options.isNull()) {
            JsonNode customer = options.get("customer");
            if (customer != null && !customer.isNull()) {
                b.customer(customer.asText());
            }
            JsonNode audience = options.get("audience");
            if (audience != null && !audience.isNull()) {
                switch (audience.asText()) {
                    case "gateway" -> b.audience(Audience.GATEWAY);
                    case "sfu" -> b.audience(Audience.SFU);
                    default -> b.audienceClaim(audience.asText()); // exotic: "" (not a real audience)
                }
            }
            JsonNode subject = options.get("subject");
            if (subject != null && subject.isArray()) {
                b.subjects(strings(subject));
            } else if (subject != null && !subject.isNull()) {
                b.subject(subject.asText());
            }
            JsonNode lifetime = options.get("lifetime");
            if (lifetime != null && !lifetime.isNull()) {
                b.lifetimeSeconds(lifetime.asDouble());
            } else if (lifetime != null) {
                b.lifetime(null); // explicit null falls back to 300 s, as `??` does
            }
        }
        TokenOptions built = b.build();
        if (room.isArray()) {
            return generator.createToken(strings(room), user, built);
        }
        return options == null || options.isNull()
                ? generator.createToken(room.asText(), user)
                : generator.createToken(room.asText(), user, built);
    }

    static List<String> strings(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node == null) {
            return out;
        }
        if (node.isArray()) {
            node.forEach(n -> out.add(n.asText()));
        } else {
            out.add(node.asText());
        }
        return out;
    }

    static JsonNode json(String text) {
        try {
            return new ObjectMapper().readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}

package dev.odinreactive.examples.tokenserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.odinreactive.token.AccessKey;
import dev.odinreactive.token.Audience;
import dev.odinreactive.token.InvalidAccessKeyException;
import dev.odinreactive.token.TokenClaims;
import dev.odinreactive.token.TokenVerifier;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.core.NestedExceptionUtils;

/** The app on a real loopback port, driven by WebTestClient; a fresh access key per test run. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class TokenServerApplicationTest {

    static final AccessKey KEY = AccessKey.generate();

    @DynamicPropertySource
    static void accessKey(DynamicPropertyRegistry registry) {
        registry.add("odin.access-key", KEY::encoded);
    }

    @Autowired
    WebTestClient web;

    TokenClaims postForClaims(Map<String, Object> body, TokenVerifier verifier) {
        String token = web.post().uri("/token").contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody(Map.class).returnResult().getResponseBody().get("token").toString();
        return verifier.verifyNow(token);
    }

    @Test
    void issuesATokenThatVerifies() {
        TokenClaims claims = postForClaims(Map.of("room", "lobby", "user", "alice"), TokenVerifier.of(KEY));
        assertThat(claims.roomIds()).containsExactly("lobby");
        assertThat(claims.userId()).isEqualTo("alice");
        assertThat(claims.customer()).isEmpty();
        assertThat(claims.audience()).isEqualTo(Audience.NONE);
        assertThat(claims.expiresAt().getEpochSecond() - claims.notBefore().getEpochSecond()).isEqualTo(300);
    }

    @Test
    void honoursTheOptionalFields() {
        TokenClaims claims = postForClaims(
                Map.of("room", "r", "user", "bob", "customer", "acme", "audience", "sfu", "lifetime", 60),
                TokenVerifier.of(KEY));
        assertThat(claims.customer()).contains("acme");
        assertThat(claims.audience()).isEqualTo(Audience.SFU);
        assertThat(claims.expiresAt().getEpochSecond() - claims.notBefore().getEpochSecond()).isEqualTo(60);
    }

    @Test
    void missingFieldsAre400WithAProblemBody() {
        web.post().uri("/token").contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("room", "lobby"))
                .exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.status").isEqualTo(400)
                .jsonPath("$.title").isEqualTo("Bad Request")
                .jsonPath("$.errors.user").exists()
                .jsonPath("$.errors.room").doesNotExist()
                .jsonPath("$.instance").isEqualTo("/token");
    }

    @Test
    void blankValuesAndBadLifetimeAre400() {
        web.post().uri("/token").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("room", " ", "user", "u", "lifetime", -5))
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.errors.room").exists()
                .jsonPath("$.errors.lifetime").exists();
    }

    @Test
    void malformedJsonAndUnknownAudienceAre400Problems() {
        web.post().uri("/token").contentType(MediaType.APPLICATION_JSON).bodyValue("{\"room\":")
                .exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.status").isEqualTo(400);
        web.post().uri("/token").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("room", "r", "user", "u", "audience", "moon"))
                .exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void anInvalidKeyStopsStartUpNamingTheRuleWithoutTheKey() {
        String broken = "AMIbjUrHA8EV62TAGYcwDtHhQ8wN3lXmcKtFtN/SvdMA";
        assertThatThrownBy(() -> new SpringApplicationBuilder(TokenServerApplication.class)
                .web(WebApplicationType.NONE)
                .properties("spring.main.banner-mode=off")
                .run("--odin.access-key=" + broken).close())
                .satisfies(e -> {
                    Throwable root = NestedExceptionUtils.getMostSpecificCause(e);
                    assertThat(root).isInstanceOf(InvalidAccessKeyException.class);
                    assertThat(((InvalidAccessKeyException) root).rule()).isEqualTo(InvalidAccessKeyException.Rule.VERSION);
                    assertThat(e.getMessage()).doesNotContain(broken.substring(0, 12));
                });
    }

    @Test
    void aMissingKeyStopsStartUpSayingWhatToSet() {
        assertThatThrownBy(() -> new SpringApplicationBuilder(TokenServerApplication.class)
                .web(WebApplicationType.NONE)
                .properties("spring.main.banner-mode=off")
                .run("--odin.access-key=").close())
                .satisfies(e -> assertThat(NestedExceptionUtils.getMostSpecificCause(e))
                        .hasMessageContaining("set odin.access-key or ODIN_ACCESS_KEY"));
    }
}

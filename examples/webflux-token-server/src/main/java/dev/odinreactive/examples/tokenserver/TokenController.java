package dev.odinreactive.examples.tokenserver;

import dev.odinreactive.token.Audience;
import dev.odinreactive.token.TokenGenerator;
import dev.odinreactive.token.TokenOptions;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;
import java.time.Duration;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** {@code POST /token}: a room token for a user. Invalid requests get a 400 problem (see {@link ProblemHandler}). */
@RestController
class TokenController {

    /** The request body; {@code room} and {@code user} are required, the rest optional. */
    record TokenRequest(
            @NotBlank String room,
            @NotBlank String user,
            String customer,
            Audience audience,
            @Positive @Max(86_400) Long lifetime) {
    }

    /** The response body. */
    record TokenResponse(String token) {
    }

    private final TokenGenerator tokens;

    TokenController(TokenGenerator tokens) {
        this.tokens = tokens;
    }

    @PostMapping("/token")
    Mono<TokenResponse> token(@Valid @RequestBody Mono<TokenRequest> request) {
        return request.flatMap(r -> tokens.createToken(r.room(), r.user(), TokenOptions.builder()
                        .customer(r.customer())
                        .audience(r.audience())
                        .lifetime(r.lifetime() == null ? null : Duration.ofSeconds(r.lifetime()))
                        .build()))
                .map(TokenResponse::new);
    }
}

package dev.odinreactive.client.internal;

import dev.odinreactive.client.OdinException;
import dev.odinreactive.client.OdinException.Reason;
import dev.odinreactive.protocol.ErrorCode;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Token peeking, gateway answers and error-code mapping: the client's edges towards the wire. */
class WireMappingTest {

    @Test
    void everyServerErrorCodeHasItsOwnReason() {
        for (ErrorCode code : ErrorCode.values()) {
            if (code != ErrorCode.UNKNOWN) {
                assertThat(Errors.reason(code)).as(code.wireName()).isNotEqualTo(Reason.UNKNOWN)
                        .extracting(Enum::name).isEqualTo(code.name());
            }
        }
        assertThat(Reason.fromCode("something_new")).isEqualTo(Reason.UNKNOWN);
        assertThat(Errors.leftReason("kicked")).isEqualTo(Reason.KICKED);
        assertThat(Errors.isTransient(new OdinException(Reason.SERVER_SHUTDOWN, "x"))).isTrue();
        assertThat(Errors.isTransient(new OdinException(Reason.TOKEN_EXPIRED, "x"))).isFalse();
        assertThat(Errors.isTransient(new OdinException(Reason.BANNED, "x"))).isFalse();
    }

    @Test
    void tokenPeekReadsRoomsUserAndAudienceAndRejectsNonJwts() {
        TokenPeek p = TokenPeek.of(jwt("{\"rid\":[\"a\",\"b\"],\"uid\":\"u\",\"aud\":\"sfu\"}"));
        assertThat(p.roomIds()).containsExactly("a", "b");
        assertThat(p.userId()).isEqualTo("u");
        assertThat(p.direct()).isTrue();
        assertThat(TokenPeek.of(jwt("{\"rid\":\"a\"}")).direct()).isFalse();
        for (String bad : List.of("", "a.b", "a.!!!.c", jwt("[1,2]"), "a.b.c.d")) {
            assertThatThrownBy(() -> TokenPeek.of(bad)).isInstanceOfSatisfying(OdinException.class,
                    e -> assertThat(e.reason()).isEqualTo(Reason.TOKEN_MALFORMED));
        }
        String secret = jwt("{\"rid\":\"a\"}");
        assertThatThrownBy(() -> TokenPeek.of(secret + "x.y")).hasMessageNotContaining(secret);
    }

    @Test
    void gatewayAnswersAndErrors() {
        URI gw = URI.create("http://127.0.0.1:1/");
        Gateway.Target t = Gateway.parse(200, json("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"address\":\"10.0.0.1:4433\",\"token\":\"T\"}}"), false, gw);
        assertThat(t.controlUri()).isEqualTo(URI.create("ws://10.0.0.1:4433/v1/room"));
        assertThat(t.token()).isEqualTo("T");
        assertThat(t.toString()).doesNotContain("T]").contains("10.0.0.1");
        assertThat(Gateway.parse(200, json("{\"result\":{\"address\":\"h:1\",\"token\":\"T\"}}"), true, gw).controlUri())
                .isEqualTo(URI.create("wss://h:1/v1/room"));
        assertThat(Gateway.resolveAddress("wss://h:2", false)).isEqualTo(URI.create("wss://h:2/v1/room"));
        assertThatThrownBy(() -> Gateway.parse(401, json("{\"error\":{\"code\":-32700,\"message\":\"m\",\"data\":{\"code\":\"token_expired\"}}}"), false, gw))
                .isInstanceOfSatisfying(OdinException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.TOKEN_EXPIRED);
                    assertThat(e.step()).isEqualTo(OdinException.Step.GATEWAY);
                });
        assertThatThrownBy(() -> Gateway.parse(502, json("<html>bad gateway</html>"), false, gw))
                .isInstanceOfSatisfying(OdinException.class, e -> assertThat(e.reason()).isEqualTo(Reason.CONNECTION_FAILED));
        assertThatThrownBy(() -> Gateway.parse(200, json("{\"result\":{\"address\":\"nohostport\",\"token\":\"T\"}}"), false, gw))
                .isInstanceOfSatisfying(OdinException.class, e -> assertThat(e.reason()).isEqualTo(Reason.PROTOCOL_ERROR));
        assertThat(Gateway.direct("https://example.org", "T").controlUri()).isEqualTo(URI.create("wss://example.org:443/v1/room"));
    }

    static String jwt(String payload) {
        Base64.Encoder b = Base64.getUrlEncoder().withoutPadding();
        return b.encodeToString("{}".getBytes(StandardCharsets.UTF_8)) + "." + b.encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + ".sig";
    }

    static byte[] json(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}

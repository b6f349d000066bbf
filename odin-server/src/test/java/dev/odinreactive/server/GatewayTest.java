package dev.odinreactive.server;

import static dev.odinreactive.protocol.Methods.*;
import static dev.odinreactive.server.ControlChannelTest.update;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.odinreactive.protocol.ErrorCode;
import dev.odinreactive.protocol.JoinResult;
import dev.odinreactive.protocol.Notification;
import dev.odinreactive.server.test.RawClient;
import dev.odinreactive.token.Audience;
import dev.odinreactive.token.TokenOptions;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

class GatewayTest extends ServerTestBase {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] NONE = new byte[0];

    record Reply(int status, JsonNode body) {
        String odinCode() {
            return body.path("error").path("data").path("code").asText(null);
        }
    }

    private Reply post(String bearer, String json) {
        HttpClient client = HttpClient.create(ConnectionProvider.newConnection());
        if (bearer != null) {
            client = client.headers(h -> h.set(HttpHeaderNames.AUTHORIZATION, "Bearer " + bearer));
        }
        return client.post().uri(server.gatewayUrl()).send(ByteBufFlux.fromString(Mono.just(json)))
                .responseSingle((res, body) -> body.asString().defaultIfEmpty("null").map(b -> {
                    try {
                        return new Reply(res.status().code(), JSON.readTree(b));
                    } catch (Exception e) {
                        throw new IllegalStateException(b, e);
                    }
                }))
                .block(Duration.ofSeconds(5));
    }

    private Reply call(String bearer, String method, String params) {
        return post(bearer, "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"" + method + "\",\"params\":" + params + "}");
    }

    private String admin(String room) {
        return tokens.token(room, "admin", TokenOptions.builder()
                .subjects(List.of("roomclose", "RoomUpdate", "roombanclient", "roomsendmessage")).build());
    }

    @Test
    void connectAnswersAddressAndTheTokenThatThenJoins() {
        start(c -> c.withPublicAddress("voice.example:4433"));
        String token = tokens.token("lobby", "alice", TokenOptions.builder().customer("c").build()); // no aud, sub connect
        Reply r = call(token, "Connect", "{}");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().path("id").asInt()).isEqualTo(7);
        assertThat(r.body().path("result").path("address").asText()).isEqualTo("voice.example:4433");
        String serverToken = r.body().path("result").path("token").asText();
        RawClient a = client();
        assertThat(JoinResult.fromWire(a.join(serverToken, "lobby", NONE)).customer()).isEqualTo("c");
    }

    @Test
    void authorizationFailuresAreTyped() {
        start();
        assertThat(call(null, "Connect", "{}").status()).isEqualTo(401);
        Reply expired = call(tokens.expired("r", "u"), "Connect", "{}");
        assertThat(expired.status()).isEqualTo(401);
        assertThat(expired.odinCode()).isEqualTo(ErrorCode.TOKEN_EXPIRED.wireName());
        Reply foreign = call(dev.odinreactive.server.test.TestTokens.foreign("r", "u"), "Connect", "{}");
        assertThat(foreign.odinCode()).isEqualTo(ErrorCode.TOKEN_UNKNOWN_KEY.wireName());
        Reply gatewayOnly = call(tokens.token("r", "u", TokenOptions.builder().audience(Audience.GATEWAY).build()), "Connect", "{}");
        assertThat(gatewayOnly.odinCode()).isEqualTo(ErrorCode.TOKEN_WRONG_AUDIENCE.wireName());
        // a default token (sub "connect") may not manage rooms
        Reply denied = call(tokens.sfu("r", "u"), "RoomClose", "{\"room_id\":\"r\"}");
        assertThat(denied.status()).isEqualTo(403);
        assertThat(call(admin("r"), "Nope", "{}").status()).isEqualTo(403); // not in sub
        String nope = tokens.token("r", "u", TokenOptions.builder().subjects(List.of("nope")).build());
        assertThat(call(nope, "Nope", "{}").body().path("error").path("code").asInt()).isEqualTo(-32601);
        assertThat(post(admin("r"), "{not json").status()).isEqualTo(400);
        assertThat(call(admin("r"), "RoomUpdate", "{\"room_id\":\"r\",\"user_data\":[1]}").odinCode())
                .isEqualTo(ErrorCode.UNKNOWN_PEER.wireName()); // no such room on this server
        assertThat(call(admin("r"), "RoomUpdate", "{\"room_id\":\"other\",\"user_data\":[1]}").odinCode())
                .isEqualTo(ErrorCode.ROOM_NOT_ALLOWED.wireName());
    }

    @Test
    void managementMethodsReachThePeers() {
        start();
        RawClient a = client();
        RawClient b = client();
        a.join(tokens.sfu("team", "alice"), "team", NONE);
        long bobId = JoinResult.fromWire(b.join(tokens.sfu("team", "bob"), "team", NONE)).ownPeerId();
        update(a.next(), KIND_PEER_JOINED);

        Reply upd = call(admin("team"), "RoomUpdate", "{\"room_id\":\"team\",\"user_data\":[104,105]}");
        assertThat(upd.body().path("result").isObject()).isTrue();
        for (RawClient c : List.of(a, b)) {
            assertThat((byte[]) update(c.next(), KIND_USER_DATA_CHANGED).get("user_data")).containsExactly(104, 105);
        }
        RawClient late = client();
        assertThat(JoinResult.fromWire(late.join(tokens.sfu("team", "carol"), "team", NONE)).roomUserData()).containsExactly(104, 105);
        update(a.next(), KIND_PEER_JOINED);
        update(b.next(), KIND_PEER_JOINED);

        call(admin("team"), "RoomSendMessage", "{\"room_id\":\"team\",\"user_id\":\"bob\",\"message\":[1,2,3]}");
        Notification msg = b.next();
        assertThat(msg.method()).isEqualTo(MESSAGE_RECEIVED);
        assertThat(msg.params()).containsEntry("sender_peer_id", 0L);
        assertThat((byte[]) msg.params().get("message")).containsExactly(1, 2, 3);

        assertThat(a.drain()).isEmpty(); // only bob's peers got it

        // ban bob for an hour: bob gets Left{banned} and is closed; others see PeerLeft; rejoin refused
        call(admin("team"), "RoomBanClient", "{\"room_id\":\"team\",\"user_id\":\"bob\",\"ban_time\":3600}");
        assertThat(update(b.next(), KIND_LEFT)).containsEntry("reason", LEFT_BANNED);
        b.awaitClosed();
        assertThat(update(a.next(), KIND_PEER_LEFT)).containsEntry("peer_id", bobId);
        RawClient bobAgain = client();
        bobAgain.hello();
        bobAgain.expectError(JOIN_ROOM, Map.of("token", tokens.sfu("team", "bob"), "room_id", "team"), ErrorCode.BANNED);

        // close the room for an hour: everybody gets Left{room_closed}; nobody can rejoin
        call(admin("team"), "RoomClose", "{\"room_id\":\"team\",\"ban_time\":3600}");
        for (RawClient c : List.of(a, late)) {
            assertThat(update(lastRoomUpdate(c), KIND_LEFT)).containsEntry("reason", LEFT_ROOM_CLOSED);
            c.awaitClosed();
        }
        ControlChannelTest.awaitCondition(() -> server.rooms() == 0 && server.peers() == 0);
        bobAgain.expectError(JOIN_ROOM, Map.of("token", tokens.sfu("team", "alice"), "room_id", "team"), ErrorCode.ROOM_CLOSED);
    }

    @Test
    void prometheusEndpointServesTheServerMeters() {
        start(c -> c.withMetricsEnabled(true));
        RawClient a = client();
        a.join(tokens.sfu("m", "u"), "m", NONE);
        String text = HttpClient.create(ConnectionProvider.newConnection()).get()
                .uri(server.gatewayUrl() + "metrics").responseContent().aggregate().asString().block(Duration.ofSeconds(5));
        assertThat(text).contains("odin_server_peers 1.0").contains("odin_server_rooms 1.0").contains("odin_server_joins_total 1.0");
    }

    /** Skips peer notifications until the next RoomUpdated Left. */
    private static Notification lastRoomUpdate(RawClient c) {
        for (;;) {
            Notification n = c.next();
            @SuppressWarnings("unchecked")
            Map<String, Object> u = n.method().equals(ROOM_UPDATED)
                    ? (Map<String, Object>) ((List<Object>) n.params().get("updates")).get(0) : Map.of();
            if (KIND_LEFT.equals(u.get("kind"))) {
                return n;
            }
        }
    }
}

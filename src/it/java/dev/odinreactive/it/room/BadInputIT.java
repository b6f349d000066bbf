package dev.odinreactive.it.room;

import dev.odinreactive.client.OdinClient;
import dev.odinreactive.client.OdinException;
import dev.odinreactive.client.OdinException.Reason;
import dev.odinreactive.client.Room;
import dev.odinreactive.client.RoomEvent;
import dev.odinreactive.token.AccessKey;
import dev.odinreactive.token.TokenGenerator;
import dev.odinreactive.token.TokenOptions;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.test.StepVerifier;
import reactor.util.retry.Retry;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every bad input is a typed {@link OdinException} at the client, and the server keeps serving
 * the peers that behave: one room stays in use throughout and is checked at the end.
 */
class BadInputIT extends RoomItSupport {

    @Test
    void badInputsAreTypedErrorsAndTheServerKeepsServingOthers() throws Exception {
        startServer();
        // generous request timeout: this test is about typed rejections, not latency on a busy CI box
        client(OdinClient.builder().requestTimeout(Duration.ofSeconds(20)));
        Room alice = join("lobby", "alice");
        Room bob = join("lobby", "bob");
        Recorder rb = record(bob);
        rb.awaitPeers(WAIT, alice.ownPeerId());
        String url = server.gatewayUrl();

        // tokens
        String foreign = TokenGenerator.create(AccessKey.generate()).createToken("lobby", "mallory").block(WAIT);
        expect(client.room().join(url, foreign), Reason.TOKEN_UNKNOWN_KEY);
        String valid = token("lobby", "mallory");
        String forged = valid.substring(0, valid.lastIndexOf('.') + 1) + "A".repeat(86);
        expect(client.room().join(url, forged), Reason.TOKEN_BAD_SIGNATURE);
        expect(client.room().join(url, TokenGenerator.create(key, Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-10)))
                .createToken("lobby", "mallory").block(WAIT)), Reason.TOKEN_EXPIRED);
        expect(client.room().join(url, TokenGenerator.create(key, Clock.offset(Clock.systemUTC(), Duration.ofMinutes(10)))
                .createToken("lobby", "mallory").block(WAIT)), Reason.TOKEN_NOT_YET_VALID);
        expect(client.room().join(url, token("lobby", "mallory", TokenOptions.builder().audienceClaim("gateway").build())),
                Reason.TOKEN_WRONG_AUDIENCE);
        expect(client.room().join(url, "definitely.not.a-jwt"), Reason.TOKEN_MALFORMED);
        // a room the token does not grant
        expect(client.room().roomId("vault").join(url, token("lobby", "mallory")), Reason.ROOM_NOT_ALLOWED);

        // sizes (limits come from Hello, so nothing is hidden) and unknown targets
        expect(client.room().userData(new byte[64 * 1024]).join(url, token("lobby", "mallory")), Reason.TOO_LARGE);
        expect(alice.updatePeerUserData(new byte[64 * 1024]), Reason.TOO_LARGE);
        expect(alice.sendMessage(new byte[1024 * 1024]), Reason.TOO_LARGE);
        expect(alice.sendMessage(new byte[] {1}, List.of(999_999L)), Reason.UNKNOWN_PEER);
        expect(alice.updatePosition(Double.NaN, 0, 0), Reason.INVALID_ARGUMENT);

        // garbage frames from a raw WebSocket: answered, never a crash
        sendGarbage(server.controlUrl());

        // rate-limit abuse: far more than the burst at once; some are refused, the connection stays
        AtomicInteger refused = new AtomicInteger();
        AtomicInteger accepted = new AtomicInteger();
        Flux.range(0, 80)
                .flatMap(i -> alice.sendMessage(new byte[] {i.byteValue()}, List.of(bob.ownPeerId()))
                        .doOnSuccess(v -> accepted.incrementAndGet())
                        .onErrorResume(e -> {
                            assertThat(e).isInstanceOf(OdinException.class);
                            assertThat(((OdinException) e).reason()).isEqualTo(Reason.RATE_LIMITED);
                            refused.incrementAndGet();
                            return Mono.empty();
                        }), 256)
                .blockLast(WAIT);
        assertThat(refused.get()).as("refused by the token bucket").isPositive();
        assertThat(accepted.get()).as("accepted up to the burst").isPositive();
        assertThat(alice.connectionState()).isEqualTo(RoomEvent.ConnectionStateChanged.State.CONNECTED);
        rb.await(e -> rb.messages().size() == accepted.get(), WAIT, accepted.get() + " messages at bob");

        // the well-behaved peers still work: a new peer joins, alice's next message arrives once the bucket refilled
        Room carol = join("lobby", "carol");
        rb.awaitPeers(WAIT, alice.ownPeerId(), carol.ownPeerId());
        Mono.defer(() -> alice.sendMessage(new byte[] {99}))
                .retryWhen(Retry.fixedDelay(50, Duration.ofMillis(100))
                        .filter(e -> ((OdinException) e).reason() == Reason.RATE_LIMITED))
                .block(WAIT);
        rb.await(e -> rb.messages().stream().anyMatch(m -> m.message().toByteArray()[0] == 99), WAIT, "message 99");
        rb.assertConsistent();
        assertThat(server.peers()).isEqualTo(3);
    }

    private static void expect(Mono<?> mono, Reason reason) {
        StepVerifier.create(mono)
                .expectErrorSatisfies(e -> {
                    assertThat(e).isInstanceOf(OdinException.class);
                    assertThat(((OdinException) e).reason()).as(e.getMessage()).isEqualTo(reason);
                })
                .verify(WAIT);
    }

    /** Binary garbage, a truncated array, a text frame: the server answers or drops, and lives on. */
    private static void sendGarbage(String controlUrl) {
        Random rnd = new Random(1);
        byte[] noise = new byte[300];
        rnd.nextBytes(noise);
        List<WebSocketFrame> frames = List.of(
                new BinaryWebSocketFrame(Unpooled.wrappedBuffer(noise)),
                new BinaryWebSocketFrame(Unpooled.wrappedBuffer(new byte[] {(byte) 0x94, 0x00})),
                new TextWebSocketFrame("[0, 1, \"Hello\", {}]"));
        HttpClient.create().websocket().uri(controlUrl)
                .handle((in, out) -> out.sendObject(Flux.fromIterable(frames)).then()
                        .thenMany(in.receiveFrames().take(Duration.ofMillis(500))).then())
                .then()
                .onErrorResume(e -> Mono.empty())
                .block(WAIT);
    }
}

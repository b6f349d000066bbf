package dev.odinreactive.protocol.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.odinreactive.protocol.ErrorCode;
import dev.odinreactive.protocol.Frame;
import dev.odinreactive.protocol.JoinResult;
import dev.odinreactive.protocol.Notification;
import dev.odinreactive.protocol.Params;
import dev.odinreactive.protocol.PeerInfo;
import dev.odinreactive.protocol.ProtocolException;
import dev.odinreactive.protocol.ProtocolLimits;
import dev.odinreactive.protocol.Request;
import dev.odinreactive.protocol.Response;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;

class MsgpackCodecTest {

    private static final int MAX = ProtocolLimits.DEFAULTS.maxFrameBytes();

    @Test
    void requestRoundTripKeepsEveryValueType() {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("s", "hällo");
        params.put("b", new byte[] {1, 2, 3});
        params.put("i", -5L);
        params.put("u", Long.MAX_VALUE);
        params.put("f", 0.25);
        params.put("t", true);
        params.put("n", null);
        params.put("l", List.of(1L, 2.5, "x"));
        params.put("m", Map.of("k", List.of()));
        Request in = new Request(Request.MAX_ID, "JoinRoom", params);

        Request out = (Request) MsgpackCodec.decode(MsgpackCodec.encode(in), MAX);

        assertThat(out.id()).isEqualTo(Request.MAX_ID);
        assertThat(out.method()).isEqualTo("JoinRoom");
        assertThat(out.params()).containsOnlyKeys(params.keySet().toArray(new String[0]));
        assertThat((byte[]) out.params().get("b")).containsExactly(1, 2, 3);
        assertThat(out.params().get("s")).isEqualTo("hällo");
        assertThat(out.params().get("u")).isEqualTo(Long.MAX_VALUE);
        assertThat(out.params().get("l")).isEqualTo(List.of(1L, 2.5, "x"));
        assertThat(out.params().get("n")).isNull();
    }

    @Test
    void responsesAndNotificationsRoundTrip() {
        Response ok = (Response) MsgpackCodec.decode(MsgpackCodec.encode(Response.ok(7, Map.of("t", 1L))), MAX);
        assertThat(ok.isSuccess()).isTrue();
        assertThat(ok.result()).isEqualTo(Map.of("t", 1L));

        Response err = (Response) MsgpackCodec.decode(
                MsgpackCodec.encode(Response.error(8, ErrorCode.TOKEN_EXPIRED, "expired")), MAX);
        assertThat(err.error().code()).isEqualTo(ErrorCode.TOKEN_EXPIRED);
        assertThat(err.error().message()).isEqualTo("expired");
        assertThat(err.result()).isNull();

        Notification n = (Notification) MsgpackCodec.decode(
                MsgpackCodec.encode(new Notification("MessageReceived", Map.of("sender_peer_id", 3L))), MAX);
        assertThat(n.method()).isEqualTo("MessageReceived");
        assertThat(n.params()).containsEntry("sender_peer_id", 3L);
    }

    @Test
    void unknownErrorCodeFromANewerServerBecomesUnknown() throws IOException {
        byte[] frame = pack(p -> p.packArrayHeader(4).packInt(1).packInt(1).packMapHeader(2)
                .packString("code").packString("brand_new").packString("message").packString("m").packNil());
        Response r = (Response) MsgpackCodec.decode(frame, MAX);
        assertThat(r.error().code()).isEqualTo(ErrorCode.UNKNOWN);
    }

    @Test
    void joinResultShapeRoundTrips() {
        JoinResult jr = new JoinResult("lobby", "cust", new byte[] {9},
                List.of(new PeerInfo(4, "u4", new byte[] {4}, List.of())), 5, List.of(1, 2, 3, 4, 5));
        Response r = (Response) MsgpackCodec.decode(MsgpackCodec.encode(Response.ok(1, jr.toWire())), MAX);
        @SuppressWarnings("unchecked")
        JoinResult back = JoinResult.fromWire((Map<String, Object>) r.result());
        assertThat(back.roomId()).isEqualTo("lobby");
        assertThat(back.ownPeerId()).isEqualTo(5);
        assertThat(back.mediaIds()).containsExactly(1, 2, 3, 4, 5);
        assertThat(back.peers()).singleElement().satisfies(p -> {
            assertThat(p.id()).isEqualTo(4);
            assertThat(p.userData()).containsExactly(4);
        });
    }

    @Test
    void rejectsOversizedFrameAsTooLarge() {
        byte[] big = MsgpackCodec.encode(new Request(1, "UpdatePeer", Map.of("user_data", new byte[200])));
        assertCode(() -> MsgpackCodec.decode(big, 100), ErrorCode.TOO_LARGE);
        assertThat(MsgpackCodec.peekRequestId(ByteBuffer.wrap(big))).isEqualTo(1);
    }

    @Test
    void rejectsMalformedFramesWithProtocolError() throws IOException {
        List<byte[]> bad = new ArrayList<>();
        bad.add(new byte[0]);
        bad.add(new byte[] {(byte) 0xc1});                                 // never-used byte
        bad.add(new byte[] {(byte) 0x93, 0x00});                           // truncated
        bad.add(pack(p -> p.packString("hello")));                         // not an array
        bad.add(pack(p -> p.packArrayHeader(2).packInt(0).packInt(1)));    // wrong arity
        bad.add(pack(p -> p.packArrayHeader(4).packInt(5).packInt(1).packString("X").packMapHeader(0)));  // bad type
        bad.add(pack(p -> p.packArrayHeader(4).packInt(0).packLong(1L << 32).packString("X").packMapHeader(0)));  // id > uint32
        bad.add(pack(p -> p.packArrayHeader(4).packInt(0).packInt(-1).packString("X").packMapHeader(0)));  // negative id
        bad.add(pack(p -> p.packArrayHeader(4).packInt(0).packInt(1).packInt(3).packMapHeader(0)));        // method not str
        bad.add(pack(p -> p.packArrayHeader(4).packInt(0).packInt(1).packString("").packMapHeader(0)));    // empty method
        bad.add(pack(p -> p.packArrayHeader(4).packInt(0).packInt(1).packString("X").packArrayHeader(0))); // params not map
        bad.add(pack(p -> p.packArrayHeader(4).packInt(0).packInt(1).packString("X").packMapHeader(1).packInt(1).packInt(1))); // int key
        bad.add(pack(p -> p.packArrayHeader(4).packInt(0).packInt(1).packString("X").packMapHeader(2)
                .packString("a").packInt(1).packString("a").packInt(2)));                                  // duplicate key
        bad.add(pack(p -> p.packArrayHeader(4).packInt(0).packInt(1).packString("X").packMapHeader(1)
                .packString("e").packExtensionTypeHeader((byte) 1, 1).writePayload(new byte[] {0})));        // ext type
        bad.add(pack(p -> p.packArrayHeader(4).packInt(0).packInt(1).packString("X").packMapHeader(1)
                .packString("u").packBigInteger(java.math.BigInteger.ONE.shiftLeft(64).subtract(java.math.BigInteger.ONE)))); // u64 max
        bad.add(pack(p -> p.packArrayHeader(4).packInt(0).packInt(1).packString("X").packMapHeader(1)
                .packString("b").packBinaryHeader(Integer.MAX_VALUE)));                                      // huge declared bin
        bad.add(pack(p -> p.packArrayHeader(4).packInt(0).packInt(1).packString("X").packMapHeader(1)
                .packString("a").packArrayHeader(Integer.MAX_VALUE)));                                       // huge declared array
        bad.add(pack(p -> p.packArrayHeader(4).packInt(0).packInt(1).packString("X").packMapHeader(1)
                .packString("s").packRawStringHeader(2).writePayload(new byte[] {(byte) 0xc3, 0x28})));      // bad UTF-8
        bad.add(pack(p -> {
            p.packArrayHeader(4).packInt(0).packInt(1).packString("X").packMapHeader(1).packString("d");
            for (int i = 0; i < 40; i++) {
                p.packArrayHeader(1);
            }
            p.packNil();
        }));                                                                                                 // too deep
        byte[] ok = MsgpackCodec.encode(new Request(1, "Ping", Map.of()));
        byte[] trailing = Arrays.copyOf(ok, ok.length + 1);
        bad.add(trailing);                                                                                   // trailing byte
        bad.add(pack(p -> p.packArrayHeader(4).packInt(1).packInt(1).packMapHeader(2).packString("code").packString("x")
                .packString("message").packString("m").packInt(1)));                                         // error + result

        for (byte[] frame : bad) {
            assertCode(() -> MsgpackCodec.decode(frame, MAX), ErrorCode.PROTOCOL_ERROR);
        }
    }

    @Test
    void encoderRefusesTypesTheWireCannotCarry() {
        assertThatThrownBy(() -> MsgpackCodec.encode(new Notification("X", Map.of("o", new Object()))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void strictParamsRejectUnknownKeysAndWrongTypes() {
        assertCode(() -> Params.strict(Map.of("user_data", new byte[0], "typo", 1L), "user_data"), ErrorCode.INVALID_PARAMS);
        Params p = Params.strict(Map.of("position", List.of(1L, 0.5, -2L), "s", "x"), "position", "s");
        assertThat(p.position("position")).containsExactly(1.0, 0.5, -2.0);
        assertCode(() -> p.bytes("s"), ErrorCode.INVALID_PARAMS);
        assertCode(() -> p.string("missing"), ErrorCode.INVALID_PARAMS);
        assertCode(() -> Params.lenient(Map.of("p", List.of(1L, 2L))).position("p"), ErrorCode.INVALID_PARAMS);
        assertCode(() -> Params.lenient(Map.of("p", List.of(1L, 2L, Double.NaN))).position("p"), ErrorCode.INVALID_PARAMS);
        assertCode(() -> Params.lenient(Map.of("t", List.of(1L, 2L, 3L))).optU64Array("t", 2), ErrorCode.TOO_LARGE);
    }

    @Test
    void decodesFromDirectAndOffsetBuffers() {
        byte[] frame = MsgpackCodec.encode(new Request(9, "Ping", Map.of("t", 1L)));
        ByteBuffer direct = ByteBuffer.allocateDirect(frame.length + 3);
        direct.put(new byte[] {7, 7, 7}).put(frame).flip().position(3);
        assertThat(((Request) MsgpackCodec.decode(direct, MAX)).id()).isEqualTo(9);
        assertThat(direct.position()).isEqualTo(3);
        assertThat(MsgpackCodec.peekRequestId(direct)).isEqualTo(9);
        ByteBuffer offset = ByteBuffer.wrap(new byte[frame.length + 2], 2, frame.length).slice();
        offset.put(frame).flip();
        assertThat(((Request) MsgpackCodec.decode(offset, MAX)).method()).isEqualTo("Ping");
    }

    @Test
    void peekRequestIdIgnoresNonRequests() {
        assertThat(MsgpackCodec.peekRequestId(ByteBuffer.wrap(new byte[] {1, 2}))).isEqualTo(-1);
        assertThat(MsgpackCodec.peekRequestId(ByteBuffer.wrap(
                MsgpackCodec.encode(new Notification("X", Map.of()))))).isEqualTo(-1);
    }

    private static void assertCode(Runnable r, ErrorCode code) {
        assertThatThrownBy(r::run).isInstanceOfSatisfying(ProtocolException.class,
                e -> assertThat(e.code()).isEqualTo(code));
    }

    interface PackAction {
        void pack(MessageBufferPacker p) throws IOException;
    }

    private static byte[] pack(PackAction action) throws IOException {
        try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
            action.pack(p);
            return p.toByteArray();
        }
    }

    @SuppressWarnings("unused")
    private static Frame roundTrip(Frame f) {
        return MsgpackCodec.decode(MsgpackCodec.encode(f), MAX);
    }
}

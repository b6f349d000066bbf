package dev.odinreactive.server.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.odinreactive.protocol.ErrorCode;
import dev.odinreactive.protocol.ProtocolException;
import dev.odinreactive.token.Audience;
import dev.odinreactive.token.TokenClaims;
import dev.odinreactive.token.TokenException;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * The standalone gateway: {@code POST /} JSON-RPC 2.0 with {@code Authorization: Bearer <token>},
 * like ODIN's gateway (docs/protocol.md §8). Methods {@code Connect}, {@code RoomClose},
 * {@code RoomUpdate}, {@code RoomBanClient}, {@code RoomSendMessage}; the token's {@code sub}
 * lists the methods it may call (case-insensitive; absent = all). Management calls apply at once
 * (no report interval as in ODIN) and answer {@code {}}.
 */
public final class GatewayHandler {

    private static final Logger log = LoggerFactory.getLogger(GatewayHandler.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final int MAX_BODY_BYTES = 256 * 1024;

    private final ServerCore core;
    private final Supplier<String> publicAddress;

    public GatewayHandler(ServerCore core, Supplier<String> publicAddress) {
        this.core = core;
        this.publicAddress = publicAddress;
    }

    /** Handles {@code POST /}. */
    public Mono<Void> handle(HttpServerRequest req, HttpServerResponse res) {
        cors(res);
        String auth = req.requestHeaders().get(HttpHeaderNames.AUTHORIZATION);
        // body read incrementally and refused past MAX_BODY_BYTES (also for chunked bodies)
        return req.receive().asByteArray()
                .collect(java.io.ByteArrayOutputStream::new, (out, chunk) -> {
                    if (out.size() + chunk.length <= MAX_BODY_BYTES + 1) {
                        out.write(chunk, 0, chunk.length);
                    } else {
                        out.write(chunk, 0, MAX_BODY_BYTES + 1 - out.size());
                    }
                })
                .map(java.io.ByteArrayOutputStream::toByteArray)
                .flatMap(body -> {
                    if (body.length > MAX_BODY_BYTES) {
                        return send(res, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                                error(null, -32600, "request body exceeds " + MAX_BODY_BYTES + " bytes", ErrorCode.TOO_LARGE));
                    }
                    JsonNode call;
                    try {
                        call = JSON.readTree(body);
                    } catch (Exception e) {
                        call = null;
                    }
                    if (call == null || !call.isObject() || !call.path("method").isTextual()) {
                        return send(res, HttpResponseStatus.BAD_REQUEST,
                                error(null, -32700, "body must be a JSON-RPC 2.0 request object", ErrorCode.PROTOCOL_ERROR));
                    }
                    return call(call, auth, res);
                });
    }

    /** Handles {@code OPTIONS /} (CORS pre-flight). */
    public Mono<Void> options(HttpServerRequest req, HttpServerResponse res) {
        cors(res);
        return res.status(HttpResponseStatus.OK).send();
    }

    private Mono<Void> call(JsonNode call, String auth, HttpServerResponse res) {
        JsonNode id = call.get("id");
        String method = call.get("method").textValue();
        JsonNode params = call.path("params");
        if (auth == null || !auth.regionMatches(true, 0, "Bearer ", 0, 7) || auth.length() <= 7) {
            return send(res, HttpResponseStatus.UNAUTHORIZED,
                    error(id, -32700, "invalid or missing authorization", ErrorCode.TOKEN_MALFORMED));
        }
        String token = auth.substring(7).trim();
        return core.gatewayVerifier().verify(token)
                .flatMap(claims -> {
                    if (!claims.allows(method)) {
                        return send(res, HttpResponseStatus.FORBIDDEN,
                                error(id, -32700, "access denied by token restrictions", ErrorCode.ROOM_NOT_ALLOWED));
                    }
                    return invoke(method, params, claims, token)
                            .flatMap(result -> send(res, HttpResponseStatus.OK, result(id, result)))
                            .onErrorResume(ProtocolException.class, e -> {
                                core.metrics().reject(e.code().wireName());
                                int code = e.code() == ErrorCode.UNKNOWN_METHOD ? -32601
                                        : e.code() == ErrorCode.INVALID_PARAMS ? -32602 : -32600;
                                return send(res, HttpResponseStatus.OK, error(id, code, e.getMessage(), e.code()));
                            });
                })
                .onErrorResume(TokenException.class, e -> {
                    ErrorCode code = ErrorCode.fromWire(e.reason().code());
                    core.metrics().reject(code.wireName());
                    return send(res, HttpResponseStatus.UNAUTHORIZED, error(id, -32700, e.getMessage(), code));
                })
                .onErrorResume(e -> {
                    log.warn("gateway call {} failed", method, e);
                    return send(res, HttpResponseStatus.INTERNAL_SERVER_ERROR,
                            error(id, -32603, "internal error", ErrorCode.INTERNAL));
                });
    }

    private Mono<JsonNode> invoke(String method, JsonNode params, TokenClaims claims, String token) {
        return Mono.defer(() -> {
            if (!params.isMissingNode() && !params.isNull() && !params.isObject()) {
                throw new ProtocolException(ErrorCode.INVALID_PARAMS, "params must be an object");
            }
            ObjectNode empty = JSON.createObjectNode();
            switch (method) {
                case "Connect" -> {
                    if (claims.audience() == Audience.GATEWAY) {
                        throw new ProtocolException(ErrorCode.TOKEN_WRONG_AUDIENCE,
                                "this standalone server cannot re-sign gateway tokens: use aud sfu or no aud");
                    }
                    ObjectNode r = JSON.createObjectNode();
                    r.put("address", publicAddress.get());
                    r.put("token", token);
                    return Mono.just(r);
                }
                case "RoomClose" -> {
                    String room = roomId(params, claims);
                    return core.closeRoom(room, banTime(params)).thenReturn(empty);
                }
                case "RoomUpdate" -> {
                    String room = roomId(params, claims);
                    return core.updateRoom(room, bytes(params, "user_data")).thenReturn(empty);
                }
                case "RoomBanClient" -> {
                    String room = roomId(params, claims);
                    return core.banClient(room, text(params, "user_id"), banTime(params)).thenReturn(empty);
                }
                case "RoomSendMessage" -> {
                    String room = roomId(params, claims);
                    return core.sendMessage(room, text(params, "user_id"), bytes(params, "message")).thenReturn(empty);
                }
                default -> throw new ProtocolException(ErrorCode.UNKNOWN_METHOD, "method not found: " + method);
            }
        });
    }

    /** ODIN rule: {@code room_id} must start with the token's (first) {@code rid}. */
    private static String roomId(JsonNode params, TokenClaims claims) {
        String room = text(params, "room_id");
        if (!room.startsWith(claims.roomIds().get(0))) {
            throw new ProtocolException(ErrorCode.ROOM_NOT_ALLOWED, "room_id param does not match rid in authorization token");
        }
        return room;
    }

    private static String text(JsonNode params, String key) {
        JsonNode v = params.get(key);
        if (v == null || !v.isTextual()) {
            throw new ProtocolException(ErrorCode.INVALID_PARAMS, key + " must be a string");
        }
        return v.textValue();
    }

    private static long banTime(JsonNode params) {
        JsonNode v = params.get("ban_time");
        if (v == null || v.isNull()) {
            return 0;
        }
        if (!v.isNumber() || v.asDouble() < 0) {
            throw new ProtocolException(ErrorCode.INVALID_PARAMS, "ban_time must be a number of seconds >= 0");
        }
        return (long) Math.ceil(v.asDouble());
    }

    /** Bytes as ODIN's gateway takes them: a JSON array of numbers 0..255. */
    private static byte[] bytes(JsonNode params, String key) {
        JsonNode v = params.get(key);
        if (v == null || !v.isArray()) {
            throw new ProtocolException(ErrorCode.INVALID_PARAMS, key + " must be an array of bytes (numbers 0..255)");
        }
        if (v.size() > MAX_BODY_BYTES) {
            throw new ProtocolException(ErrorCode.TOO_LARGE, key + " too large");
        }
        byte[] out = new byte[v.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode b = v.get(i);
            if (!b.isIntegralNumber() || b.asInt() < 0 || b.asInt() > 255) {
                throw new ProtocolException(ErrorCode.INVALID_PARAMS, key + "[" + i + "] must be a number 0..255");
            }
            out[i] = (byte) b.asInt();
        }
        return out;
    }

    private static ObjectNode result(JsonNode id, JsonNode result) {
        ObjectNode r = JSON.createObjectNode();
        r.put("jsonrpc", "2.0");
        r.set("result", result);
        r.set("id", id);
        return r;
    }

    private static ObjectNode error(JsonNode id, int code, String message, ErrorCode odinCode) {
        ObjectNode e = JSON.createObjectNode();
        e.put("code", code);
        e.put("message", message);
        e.putObject("data").put("code", odinCode.wireName());
        ObjectNode r = JSON.createObjectNode();
        r.put("jsonrpc", "2.0");
        r.set("error", e);
        r.set("id", id);
        return r;
    }

    private static void cors(HttpServerResponse res) {
        res.header("Access-Control-Allow-Origin", "*")
                .header("Access-Control-Allow-Headers", "Authorization,Content-Type")
                .header("Cache-Control", "no-store");
    }

    private static Mono<Void> send(HttpServerResponse res, HttpResponseStatus status, JsonNode body) {
        byte[] json;
        try {
            json = JSON.writeValueAsBytes(body);
        } catch (Exception e) {
            json = "{}".getBytes(StandardCharsets.UTF_8);
        }
        return res.status(status).header(HttpHeaderNames.CONTENT_TYPE, "application/json")
                .sendByteArray(Mono.just(json)).then();
    }

}

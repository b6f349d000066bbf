package dev.odinreactive.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.odinreactive.client.OdinException;
import dev.odinreactive.client.OdinException.Reason;
import dev.odinreactive.client.OdinException.Step;
import io.netty.handler.codec.http.HttpHeaderNames;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;

import java.net.URI;
import java.util.function.Function;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;

/**
 * The gateway step of a join: JSON-RPC 2.0 {@code Connect} with the token as Bearer, answered
 * with the server to use ({@code {address, token}}), like ODIN's gateway. Also resolves the
 * direct mode (token audience {@code sfu}: the URL is the server itself).
 */
public final class Gateway {

    /** WebSocket path of the control channel on a server (docs/protocol.md §1). */
    public static final String ROOM_PATH = "/v1/room";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] CONNECT = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"Connect\",\"params\":{}}"
            .getBytes(StandardCharsets.US_ASCII);

    /** Where to open the control channel, and with which token. */
    public record Target(URI controlUri, String token) {
        @Override
        public String toString() {
            return "Target[" + controlUri + "]"; // never the token
        }
    }

    private Gateway() {
    }

    /**
     * Asks the gateway at {@code gatewayUrl} with the client {@code clients} gives for it (TLS
     * trust for https); errors are {@link OdinException}s with step {@code GATEWAY}.
     */
    public static Mono<Target> connect(Function<URI, HttpClient> clients, String gatewayUrl, String token) {
        URI gateway;
        try {
            gateway = parseHttp(gatewayUrl);
        } catch (OdinException e) {
            return Mono.error(e);
        }
        boolean secure = "https".equals(gateway.getScheme());
        return clients.apply(gateway).headers(h -> h.set(HttpHeaderNames.AUTHORIZATION, "Bearer " + token)
                        .set(HttpHeaderNames.CONTENT_TYPE, "application/json"))
                .post()
                .uri(gateway)
                .send(ByteBufFlux.fromInbound(Mono.just(CONNECT)))
                .responseSingle((resp, body) -> body.asByteArray().defaultIfEmpty(new byte[0])
                        .map(bytes -> parse(resp.status().code(), bytes, secure, gateway)))
                .onErrorMap(e -> !(e instanceof OdinException), e -> new OdinException(Reason.CONNECTION_FAILED, null,
                        Step.GATEWAY, "gateway " + gateway.getHost() + ":" + gateway.getPort() + " unreachable: " + describe(e), e));
    }

    /** A socket failure in words (the cause stays attached for the stack trace). */
    private static String describe(Throwable e) {
        if (e instanceof io.netty.channel.ConnectTimeoutException) {
            return "connect timed out";
        }
        // only ECONNREFUSED: native epoll reports every failed connect (unreachable network,
        // kernel-level timeout, ...) as a ConnectException, and so does NIO for ETIMEDOUT
        if (e instanceof java.net.ConnectException && e.getMessage() != null
                && e.getMessage().toLowerCase(java.util.Locale.ROOT).contains("connection refused")) {
            return "connection refused";
        }
        if (e instanceof java.net.UnknownHostException) {
            return "unknown host " + e.getMessage();
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    /** The direct-mode target: {@code http(s)://host:port} → {@code ws(s)://host:port/v1/room}. */
    public static Target direct(String serverUrl, String token) {
        URI u = parseHttp(serverUrl);
        return new Target(controlUri("https".equals(u.getScheme()), u.getHost(), port(u)), token);
    }

    static Target parse(int status, byte[] body, boolean secure, URI gateway) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (Exception e) {
            root = null;
        }
        if (root == null || !root.isObject()) {
            throw new OdinException(status >= 500 || status == 404 ? Reason.CONNECTION_FAILED : Reason.PROTOCOL_ERROR,
                    null, Step.GATEWAY, "gateway answered HTTP " + status + " without a JSON-RPC body", null);
        }
        JsonNode error = root.get("error");
        if (error != null && !error.isNull()) {
            String code = errorCode(error);
            Reason reason = Reason.fromCode(code);
            return fail(reason, code, "gateway rejected Connect: " + error.path("message").asText(code));
        }
        JsonNode result = root.get("result");
        String address = result == null ? null : result.path("address").asText(null);
        if (address == null || address.isEmpty()) {
            return fail(Reason.PROTOCOL_ERROR, null, "gateway answer has no result.address");
        }
        String newToken = result.path("token").asText(null);
        if (newToken == null || newToken.isEmpty()) {
            return fail(Reason.PROTOCOL_ERROR, null, "gateway answer has no result.token");
        }
        return new Target(resolveAddress(address, secure), newToken);
    }

    /** {@code host:port}, {@code ws://host:port[/path]} or {@code wss://...}. */
    static URI resolveAddress(String address, boolean secure) {
        try {
            if (address.startsWith("ws://") || address.startsWith("wss://")) {
                URI u = new URI(address);
                String path = u.getPath() == null || u.getPath().isEmpty() || "/".equals(u.getPath()) ? ROOM_PATH : u.getPath();
                return new URI(u.getScheme(), null, u.getHost(), u.getPort(), path, null, null);
            }
            URI hostPort = new URI("tcp://" + address);
            if (hostPort.getHost() == null || hostPort.getPort() < 0) {
                throw new URISyntaxException(address, "expected host:port");
            }
            return controlUri(secure, hostPort.getHost(), hostPort.getPort());
        } catch (URISyntaxException e) {
            throw new OdinException(Reason.PROTOCOL_ERROR, null, Step.GATEWAY,
                    "gateway answered an unusable address: " + e.getMessage(), null);
        }
    }

    private static URI controlUri(boolean secure, String host, int port) {
        try {
            return new URI(secure ? "wss" : "ws", null, host, port, ROOM_PATH, null, null);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String errorCode(JsonNode error) {
        JsonNode data = error.get("data");
        if (data != null && data.isTextual()) {
            return data.asText();
        }
        if (data != null && data.path("code").isTextual()) {
            return data.path("code").asText();
        }
        if (error.path("code").isTextual()) {
            return error.path("code").asText();
        }
        String message = error.path("message").asText("");
        int end = 0;
        while (end < message.length() && (Character.isLowerCase(message.charAt(end)) || message.charAt(end) == '_')) {
            end++;
        }
        return message.substring(0, end);
    }

    private static Target fail(Reason reason, String code, String message) {
        throw new OdinException(reason, code, Step.GATEWAY, message, null);
    }

    private static URI parseHttp(String url) {
        try {
            URI u = new URI(url);
            if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
                throw new URISyntaxException(url, "expected http(s)://host[:port]");
            }
            return u;
        } catch (URISyntaxException e) {
            throw new OdinException(Reason.INVALID_ARGUMENT, null, Step.GATEWAY, "bad gateway URL: " + e.getMessage(), null);
        }
    }

    private static int port(URI u) {
        return u.getPort() >= 0 ? u.getPort() : ("https".equals(u.getScheme()) ? 443 : 80);
    }
}

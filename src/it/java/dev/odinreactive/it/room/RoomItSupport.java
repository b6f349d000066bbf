package dev.odinreactive.it.room;

import dev.odinreactive.client.OdinClient;
import dev.odinreactive.client.ReconnectPolicy;
import dev.odinreactive.client.Room;
import dev.odinreactive.server.OdinServer;
import dev.odinreactive.server.RunningServer;
import dev.odinreactive.server.ServerConfig;
import dev.odinreactive.token.AccessKey;
import dev.odinreactive.token.TokenGenerator;
import dev.odinreactive.token.TokenOptions;
import org.junit.jupiter.api.AfterEach;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Shared set-up of the room ITs: an embedded {@link OdinServer} on a loopback port, a signing
 * key it trusts, one {@link OdinClient}, and recorders that are closed after each test. Every
 * test disposes what it started; {@code NoLeaksIT} proves that this releases everything.
 */
abstract class RoomItSupport {

    static final Duration WAIT = Duration.ofSeconds(10);

    final AccessKey key = AccessKey.generate();
    final TokenGenerator tokens = TokenGenerator.create(key);
    final List<AutoCloseable> toClose = new ArrayList<>();
    RunningServer server;
    OdinClient client;

    @AfterEach
    void releaseEverything() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        if (client != null) {
            client.disposeLater().block(WAIT);
        }
        if (server != null) {
            server.disposeNow(WAIT);
        }
    }

    RunningServer startServer(ServerConfig config) {
        server = OdinServer.builder().config(config).trust(key).start().block(WAIT);
        return server;
    }

    RunningServer startServer() {
        return startServer(ServerConfig.defaults());
    }

    static ServerConfig onPort(int port) {
        return ServerConfig.defaults().withHttp(ServerConfig.Http.defaults().withBinding("127.0.0.1", port));
    }

    OdinClient client() {
        return client(OdinClient.builder());
    }

    OdinClient client(OdinClient.Builder builder) {
        client = builder.build();
        return client;
    }

    /** Fast reconnects for tests: 50 ms doubling up to 500 ms. */
    static ReconnectPolicy fastReconnect() {
        return new ReconnectPolicy(100, Duration.ofMillis(50), Duration.ofMillis(500));
    }

    String token(String room, String user) {
        return tokens.createToken(room, user).block(WAIT);
    }

    String token(String room, String user, TokenOptions options) {
        return tokens.createToken(room, user, options).block(WAIT);
    }

    Room join(String room, String user) {
        return client.room().join(server.gatewayUrl(), token(room, user)).block(WAIT);
    }

    Recorder record(Room room) {
        Recorder r = new Recorder(room);
        toClose.add(r);
        return r;
    }
}

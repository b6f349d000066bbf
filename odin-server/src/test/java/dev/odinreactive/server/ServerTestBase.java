package dev.odinreactive.server;

import dev.odinreactive.server.test.RawClient;
import dev.odinreactive.server.test.TestTokens;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;

/** Starts a real server on an ephemeral loopback port; closes clients and the server after each test. */
abstract class ServerTestBase {

    protected final TestTokens tokens = new TestTokens();
    protected RunningServer server;
    private final List<RawClient> clients = new ArrayList<>();

    protected RunningServer start(UnaryOperator<ServerConfig> tweak) {
        server = OdinServer.builder().config(tweak.apply(ServerConfig.defaults())).trust(tokens.key).start()
                .block(Duration.ofSeconds(10));
        return server;
    }

    protected RunningServer start() {
        return start(c -> c);
    }

    protected RawClient client() {
        RawClient c = RawClient.connect(server.controlUrl());
        clients.add(c);
        return c;
    }

    protected RawClient vanishingClient() {
        RawClient c = RawClient.connect(server.controlUrl(), false);
        clients.add(c);
        return c;
    }

    @AfterEach
    void stopServer() {
        clients.forEach(RawClient::close);
        if (server != null) {
            server.disposeNow(Duration.ofSeconds(10));
        }
    }
}

package dev.odinreactive.server;

import static dev.odinreactive.protocol.Methods.*;
import static dev.odinreactive.server.ControlChannelTest.update;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.odinreactive.server.test.RawClient;
import dev.odinreactive.server.test.TestTokens;
import java.net.ConnectException;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LifecycleTest {

    private final TestTokens tokens = new TestTokens();

    @Test
    void disposeTellsPeersAndReleasesSocketsAndThreads() {
        RunningServer server = OdinServer.builder().trust(tokens.key).start().block(Duration.ofSeconds(10));
        RawClient a = RawClient.connect(server.controlUrl());
        RawClient b = RawClient.connect(server.controlUrl());
        a.join(tokens.sfu("r", "a"), "r", new byte[0]);
        b.hello(); // connected but not joined
        assertThat(server.connections()).isEqualTo(2);

        server.disposeNow(Duration.ofSeconds(10));

        assertThat(update(a.next(), KIND_LEFT)).containsEntry("reason", LEFT_SERVER_SHUTDOWN);
        a.awaitClosed();
        b.awaitClosed();
        assertThat(server.connections()).isZero();
        assertThat(server.rooms()).isZero();
        assertThatThrownBy(() -> new Socket(server.address().getAddress(), server.address().getPort()).close())
                .isInstanceOf(ConnectException.class);
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("odin-server") && t.isAlive());
        a.close();
        b.close();
    }

    @Test
    void maxClientsRefusesExtraConnectionsWithServerFull() {
        RunningServer server = OdinServer.builder().trust(tokens.key)
                .config(ServerConfig.defaults().withLimits(ServerConfig.Limits.defaults().withCapacity(1, 10, 10)))
                .start().block(Duration.ofSeconds(10));
        try {
            RawClient a = RawClient.connect(server.controlUrl());
            a.hello();
            RawClient b = RawClient.connect(server.controlUrl());
            ControlChannelTest.assertError(b.next(), dev.odinreactive.protocol.ErrorCode.SERVER_FULL);
            assertThat(b.awaitClosed()).contains("1013");
            a.ok(PING, java.util.Map.of());
            a.close();
            b.close();
        } finally {
            server.disposeNow(Duration.ofSeconds(10));
        }
    }
}

package dev.odinreactive.server.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.odinreactive.protocol.media.internal.MediaWire;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RelayMetricsTest {

    @Test
    void countersFollowTheRelay() throws Exception {
        MediaRelay relay = MediaRelay.builder()
                .address(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .routing((s, m) -> List.of())
                .bind().block(Duration.ofSeconds(5));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (TestPeer peer = new TestPeer(relay.openSession(null, relay.newForwardingKey()), relay.address())) {
            new RelayMetrics(relay).bindTo(registry);
            peer.send(new byte[] {1, 2, 3});   // truncated
            peer.media(1, 0, false, new byte[] {1}); // no route
            peer.barrier();
            assertThat(registry.get("odin.relay.drops").tag("reason", "truncated").functionCounter().count()).isEqualTo(1);
            assertThat(registry.get("odin.relay.drops").tag("reason", "no_route").functionCounter().count()).isEqualTo(1);
            assertThat(registry.get("odin.relay.datagrams").tag("direction", "in").functionCounter().count()).isEqualTo(3);
            assertThat(registry.get("odin.relay.datagrams").tag("direction", "out").functionCounter().count()).isEqualTo(1);
            assertThat(registry.get("odin.relay.bytes").tag("direction", "out").functionCounter().count())
                    .isEqualTo(MediaWire.CONTROL_DATAGRAM);
            assertThat(registry.get("odin.relay.aead").tag("op", "open").functionCounter().count()).isEqualTo(2);
            assertThat(registry.get("odin.relay.aead").tag("op", "seal").functionCounter().count()).isEqualTo(1);
            assertThat(registry.get("odin.relay.sessions").gauge().value()).isEqualTo(1);
        } finally {
            relay.dispose();
        }
    }
}

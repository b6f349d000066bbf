package dev.odinreactive.it.room;

import dev.odinreactive.client.Bytes;
import dev.odinreactive.client.OdinClient;
import dev.odinreactive.client.Peer;
import dev.odinreactive.client.ReconnectPolicy;
import dev.odinreactive.client.Room;
import dev.odinreactive.client.RoomEvent;
import dev.odinreactive.client.RoomEvent.ConnectionStateChanged;
import dev.odinreactive.client.RoomEvent.ConnectionStateChanged.State;
import dev.odinreactive.token.Audience;
import dev.odinreactive.token.TokenOptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Connection loss mid-session: the room reconnects on its own, rejoins with its desired state
 * and reconciles what changed meanwhile, so that every event stream stays consistent.
 */
class ReconnectIT extends RoomItSupport {

    /** The server stays up; only one client's network path fails (a cut relay) for a while. */
    @Test
    void cutConnectionReconnectsAndReconciles() throws Exception {
        int port = freePort();
        try (CuttableProxy proxy = new CuttableProxy(port)) {
            startServer(onPort(port).withPublicAddress("127.0.0.1:" + proxy.port()));
            client(OdinClient.builder().reconnect(ReconnectPolicy.DEFAULT));
            Room a = client.room().userData(utf8("a1")).join(server.gatewayUrl(), token("r", "a")).block(WAIT); // relay link 0
            Room b = join("r", "b");
            Room c = join("r", "c");
            Recorder ra = record(a);
            Recorder rb = record(b);
            ra.awaitPeers(WAIT, b.ownPeerId(), c.ownPeerId());
            rb.awaitPeers(WAIT, a.ownPeerId(), c.ownPeerId());
            long oldA = a.ownPeerId();

            proxy.refuse(true);
            proxy.cut(0);
            ra.await(e -> e.stream().anyMatch(ReconnectIT::connecting), WAIT, "CONNECTING");
            rb.awaitPeers(WAIT, c.ownPeerId()); // the server noticed a's loss
            // during the outage: b changes its data, c leaves, d joins, a sets new desired data
            b.updatePeerUserData(utf8("b2")).block(WAIT);
            c.close().block(WAIT);
            // d joins directly (audience sfu: no gateway, the URL is the server), not through the dead relay
            Room d = client.room().join(server.gatewayUrl(),
                    token("r", "d", TokenOptions.builder().audience(Audience.SFU).build())).block(WAIT);
            a.updatePeerUserData(utf8("a2")).block(WAIT); // completes at once: carried by the rejoin
            assertThat(a.connectionState()).isEqualTo(State.CONNECTING);

            long reachable = System.nanoTime();
            proxy.refuse(false);
            List<RoomEvent> events = ra.await(e -> e.stream().anyMatch(ReconnectIT::connected), WAIT, "CONNECTED");
            long backMs = (System.nanoTime() - reachable) / 1_000_000;
            System.out.println("ReconnectIT: cut relay restored -> CONNECTED in " + backMs + " ms");
            assertThat(backMs).as("back within 2 s of the network being reachable").isLessThan(2000);

            // a's stream: CONNECTING, then the reconciliation, then CONNECTED with the new peer id
            List<RoomEvent> tail = events.subList(indexOf(events, ReconnectIT::connecting) + 1, events.size());
            assertThat(tail).containsExactly(
                    new RoomEvent.PeerLeft(c.ownPeerId(), "c"),
                    new RoomEvent.PeerUserDataChanged(b.ownPeerId(), Bytes.utf8("b2")),
                    new RoomEvent.PeerJoined(new Peer(d.ownPeerId(), "d", Bytes.EMPTY)),
                    new ConnectionStateChanged(State.CONNECTED, ConnectionStateChanged.Reason.CONNECTION_LOST, a.ownPeerId(), null));
            assertThat(a.ownPeerId()).as("a reconnect is a new peer").isNotEqualTo(oldA);
            // b saw a leave and come back with its desired data; no duplicates, no ghosts
            rb.awaitPeers(WAIT, a.ownPeerId(), d.ownPeerId());
            assertThat(b.peers().get(a.ownPeerId()).userData()).isEqualTo(Bytes.utf8("a2"));
            assertThat(rb.events()).contains(new RoomEvent.PeerLeft(oldA, "a"));
            ra.assertConsistent();
            rb.assertConsistent();
            assertThat(a.stats().reconnects()).isEqualTo(1);
        }
    }

    /** The server goes away and comes back on the same port (a restart): everyone is back within 2 s. */
    @Test
    void serverRestartOnTheSamePort() throws Exception {
        int port = freePort();
        startServer(onPort(port));
        client(OdinClient.builder().reconnect(ReconnectPolicy.DEFAULT));
        Room a = client.room().userData(utf8("A")).join(server.gatewayUrl(), token("r", "a")).block(WAIT);
        Room b = client.room().userData(utf8("B")).join(server.gatewayUrl(), token("r", "b")).block(WAIT);
        Recorder ra = record(a);
        Recorder rb = record(b);
        ra.awaitPeers(WAIT, b.ownPeerId());
        rb.awaitPeers(WAIT, a.ownPeerId());

        server.disposeNow(WAIT);
        ra.await(e -> e.stream().anyMatch(ReconnectIT::connecting), WAIT, "CONNECTING");
        rb.await(e -> e.stream().anyMatch(ReconnectIT::connecting), WAIT, "CONNECTING");

        startServer(onPort(port));
        long reachable = System.nanoTime();
        ra.await(e -> e.stream().anyMatch(ReconnectIT::connected), WAIT, "a CONNECTED");
        rb.await(e -> e.stream().anyMatch(ReconnectIT::connected), WAIT, "b CONNECTED");
        long backMs = (System.nanoTime() - reachable) / 1_000_000;
        System.out.println("ReconnectIT: server restarted -> both CONNECTED in " + backMs + " ms");
        assertThat(backMs).as("both back within 2 s of the server being reachable").isLessThan(2000);

        ra.awaitPeers(WAIT, b.ownPeerId());
        rb.awaitPeers(WAIT, a.ownPeerId());
        assertThat(a.peers().get(b.ownPeerId()).userData()).isEqualTo(Bytes.utf8("B"));
        assertThat(b.peers().get(a.ownPeerId()).userData()).isEqualTo(Bytes.utf8("A"));
        ra.assertConsistent();
        rb.assertConsistent();
        // still a working room: messages flow on the new server
        a.sendMessage(utf8("after restart")).block(WAIT);
        rb.await(e -> rb.messages().stream().anyMatch(m -> m.message().asUtf8().equals("after restart")), WAIT, "message");
    }

    static boolean connecting(RoomEvent e) {
        return e instanceof ConnectionStateChanged c && c.state() == State.CONNECTING;
    }

    static boolean connected(RoomEvent e) {
        return e instanceof ConnectionStateChanged c && c.state() == State.CONNECTED;
    }

    static int indexOf(List<RoomEvent> events, java.util.function.Predicate<RoomEvent> p) {
        for (int i = 0; i < events.size(); i++) {
            if (p.test(events.get(i))) {
                return i;
            }
        }
        return -1;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}

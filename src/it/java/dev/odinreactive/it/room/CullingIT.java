package dev.odinreactive.it.room;

import dev.odinreactive.client.Room;
import dev.odinreactive.client.RoomEvent;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Positions: peers farther apart than 1.0 (after each client's scale) do not see each other;
 * moving in and out of range gives PeerJoined/PeerLeft on both sides; messages ignore range.
 */
class CullingIT extends RoomItSupport {

    @Test
    void movingInAndOutOfRangeGivesTheRightEventsAndMessagesIgnoreRange() throws Exception {
        startServer();
        client();
        Room a = client.room().position(0, 0, 0).join(server.gatewayUrl(), token("world", "a")).block(WAIT);
        Room b = client.room().position(0.5, 0, 0).join(server.gatewayUrl(), token("world", "b")).block(WAIT);
        Room c = client.room().position(10, 0, 0).join(server.gatewayUrl(), token("world", "c")).block(WAIT);
        // d uses a scale: 5 world units * 0.1 = 0.5, in range of a
        Room d = client.room().positionScale(0.1).position(5, 0, 0).join(server.gatewayUrl(), token("world", "d")).block(WAIT);
        Recorder ra = record(a);
        Recorder rb = record(b);
        Recorder rc = record(c);
        Recorder rd = record(d);
        ra.awaitPeers(WAIT, b.ownPeerId(), d.ownPeerId());
        rb.awaitPeers(WAIT, a.ownPeerId(), d.ownPeerId());
        rc.awaitPeers(WAIT);
        rd.awaitPeers(WAIT, a.ownPeerId(), b.ownPeerId());

        // b walks over to c
        b.updatePosition(10, 0, 0.5).block(WAIT);
        ra.awaitPeers(WAIT, d.ownPeerId());
        rb.awaitPeers(WAIT, c.ownPeerId());
        rc.awaitPeers(WAIT, b.ownPeerId());
        rd.awaitPeers(WAIT, a.ownPeerId());
        assertThat(ra.events()).contains(new RoomEvent.PeerLeft(b.ownPeerId(), "b"));
        assertThat(rc.events()).anyMatch(e -> e instanceof RoomEvent.PeerJoined pj && pj.peer().id() == b.ownPeerId());

        // a message to everyone reaches c and b although they are out of a's range
        a.sendMessage(new byte[] {42}).block(WAIT);
        for (Recorder r : new Recorder[] {rb, rc, rd}) {
            r.await(e -> r.messages().stream().anyMatch(m -> m.senderPeerId() == a.ownPeerId()), WAIT, "message from a");
        }
        // and a targeted one to an invisible peer too
        c.sendMessage(new byte[] {7}, java.util.List.of(a.ownPeerId())).block(WAIT);
        ra.await(e -> ra.messages().stream().anyMatch(m -> m.senderPeerId() == c.ownPeerId()), WAIT, "message from c");

        // b comes back
        b.updatePosition(0.2, 0.2, 0.2).block(WAIT);
        ra.awaitPeers(WAIT, b.ownPeerId(), d.ownPeerId());
        rb.awaitPeers(WAIT, a.ownPeerId(), d.ownPeerId());
        rc.awaitPeers(WAIT);
        rd.awaitPeers(WAIT, a.ownPeerId(), b.ownPeerId()); // events reach d after its state: wait before comparing
        for (Recorder r : new Recorder[] {ra, rb, rc, rd}) {
            r.assertConsistent();
        }
    }
}

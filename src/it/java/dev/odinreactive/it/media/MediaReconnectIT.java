package dev.odinreactive.it.media;

import static org.assertj.core.api.Assertions.assertThat;

import dev.odinreactive.audio.AudioFormat;
import dev.odinreactive.client.LocalMedia;
import dev.odinreactive.client.OdinClient;
import dev.odinreactive.client.ReconnectPolicy;
import dev.odinreactive.client.RemoteMedia;
import dev.odinreactive.client.Room;
import dev.odinreactive.client.RoomEvent;
import dev.odinreactive.client.RoomEvent.ConnectionStateChanged;
import dev.odinreactive.token.Audience;
import dev.odinreactive.token.TokenOptions;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A peer's network path fails (its control connection is cut) while it talks: after the
 * reconnect its local media is announced again (a new media of its new peer id) and heard again.
 */
class MediaReconnectIT extends MediaItSupport {

    @Test
    void localMediasAreReannouncedAndHeardAfterAReconnect() throws Exception {
        BlockingProxy proxy = startServerBehindProxy();
        OdinClient aliceClient = client(OdinClient.builder().joinTimeout(JOIN_WAIT).reconnect(ReconnectPolicy.DEFAULT));
        Room alice = join(aliceClient, "again", "alice"); // TCP and UDP through the proxy
        // bob's control connection goes straight to the server (audience sfu: no gateway), so cutting
        // the proxy's TCP links cuts alice only
        Room bob = client().room().join(server.gatewayUrl(),
                tokens.createToken("again", "bob", TokenOptions.builder().audience(Audience.SFU).build()).block(WAIT)).block(JOIN_WAIT);
        Listener atBob = listen(bob);
        Listener atAlice = listen(alice);

        LocalMedia voice = LocalMedia.paced(AudioFormat.OPUS_MONO, Tones.tone(AudioFormat.OPUS_MONO, 600, 60, 960));
        alice.addMedia(voice).block(WAIT);
        long oldPeer = alice.ownPeerId();
        int oldId = voice.id();
        RemoteMedia before = atBob.await(RoomEvent.MediaAdded.class, a -> a.peerId() == oldPeer).media();
        until(() -> before.stats().packetsProcessed() > 25);

        int mark = atBob.events.size();
        proxy.cutTcp();
        atAlice.await(ConnectionStateChanged.class, e -> e.state() == ConnectionStateChanged.State.CONNECTING);
        ConnectionStateChanged back = atAlice.await(ConnectionStateChanged.class,
                e -> e.state() == ConnectionStateChanged.State.CONNECTED && e.ownPeerId() != oldPeer);
        long newPeer = back.ownPeerId();

        // bob: the old media goes before its peer, the new peer comes back with a media again
        RoomEvent.MediaRemoved removed = atBob.awaitAfter(mark, RoomEvent.MediaRemoved.class, e -> e.peerId() == oldPeer);
        RoomEvent.PeerLeft left = atBob.awaitAfter(mark, RoomEvent.PeerLeft.class, e -> e.peerId() == oldPeer);
        RoomEvent.PeerJoined joined = atBob.awaitAfter(mark, RoomEvent.PeerJoined.class, e -> e.peer().id() == newPeer);
        RoomEvent.MediaAdded again = atBob.awaitAfter(mark, RoomEvent.MediaAdded.class, e -> e.peerId() == newPeer);
        List<RoomEvent> events = atBob.events;
        assertThat(removed.mediaId()).isEqualTo(oldId);
        assertThat(events.indexOf(removed)).isLessThan(events.indexOf(left));
        assertThat(events.indexOf(joined)).isLessThan(events.indexOf(again));
        assertThat(voice.id()).as("the local media's new id").isEqualTo(again.mediaId());
        assertThat(alice.stats().reconnects()).isEqualTo(1);

        // heard again: packets flow and the frames carry alice's tone
        RemoteMedia after = again.media();
        until(() -> after.stats().packetsProcessed() > 50);
        atBob.await(RoomEvent.MediaActiveStateChanged.class, e -> e.peerId() == newPeer && e.active());
        TwoPeersHearEachOtherIT.assertHears(atBob.frames(again.mediaId()), 600);
        assertThat(voice.isActive()).isTrue();
        voice.close().block(WAIT);
    }
}

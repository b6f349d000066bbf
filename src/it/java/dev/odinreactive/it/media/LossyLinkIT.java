package dev.odinreactive.it.media;

import static org.assertj.core.api.Assertions.assertThat;

import dev.odinreactive.audio.AudioFormat;
import dev.odinreactive.client.ConnectionStats;
import dev.odinreactive.client.LocalMedia;
import dev.odinreactive.client.OdinClient;
import dev.odinreactive.client.RemoteMedia;
import dev.odinreactive.client.Room;
import dev.odinreactive.client.RoomEvent;
import dev.odinreactive.it.media.LossyLink.Action;
import dev.odinreactive.it.media.LossyLink.Decision;
import dev.odinreactive.it.media.LossyLink.MediaLog;
import dev.odinreactive.it.media.LossyLink.Rule;
import dev.odinreactive.protocol.media.MediaDropReason;
import dev.odinreactive.protocol.media.MediaTransportStats;
import java.net.SocketAddress;
import java.util.Arrays;
import java.util.Set;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Loss, duplicates, reordering and jitter injected by a {@link LossyLink} between the relay and
 * the receiver: the receiver's transport and connection counters equal what the link did.
 */
class LossyLinkIT extends MediaItSupport {

    static final int SECONDS = 5;

    /** Deterministic rules on the downlink, sequences 10 … 229 (the stream's edges stay clean). */
    static Decision rule(int mediaId, long s) {
        if (s < 10 || s >= 230) {
            return Decision.PASS;
        }
        long jitter = Math.floorMod(s * 7919, 8001); // 0 … 8 ms: less than a frame, so no reordering of its own
        Action a = s % 20 == 5 ? Action.DROP       // 11 single losses: FEC territory
                : s % 20 == 12 ? Action.DUPLICATE  // 11 duplicates
                : s % 40 == 17 ? Action.SWAP       // 6 swaps with the successor
                : Action.PASS;
        return new Decision(a, jitter);
    }

    @Test
    void countersEqualWhatTheLinkInjected() throws Exception {
        BlockingProxy proxy = startServerBehindProxy();
        LossyLink link = new LossyLink(Rule.none(), LossyLinkIT::rule);
        toClose.add(link);
        proxy.filter(link);

        OdinClient client = client();
        Room alice = join(client, "lossy", "alice");
        Room bob = join(client, "lossy", "bob");
        Listener atBob = listen(bob);

        float[] sent = SpeechQuality.voice(SECONDS, 140);
        Sinks.Empty<Void> go = Sinks.empty();
        LocalMedia voice = gated(sent, go.asMono());
        alice.addMedia(voice).block(WAIT);
        int id = voice.id();
        RoomEvent.MediaAdded added = atBob.await(RoomEvent.MediaAdded.class, a -> a.mediaId() == id);
        RemoteMedia remote = added.media();
        go.tryEmitEmpty(); // bob knows the media: every packet from now on is routed to it

        atBob.await(RoomEvent.MediaRemoved.class, e -> e.mediaId() == id, AUDIO_WAIT);
        atBob.awaitFramesComplete(id);
        MediaLifecycleIT.until(link::idle);

        MediaLog up = link.log(true, id);
        MediaLog down = link.log(false, id);
        System.out.println("LossyLinkIT uplink:   " + up);
        System.out.println("LossyLinkIT downlink: " + down);
        long packets = voice.stats().packetsSent();
        assertThat(packets).as("packets sent (%d s + end of talk)", SECONDS).isBetween(SECONDS * 50L, SECONDS * 50L + 2);
        // the link did what the rules say (to what the relay forwarded: a sender catching up after a
        // stall of a loaded machine may exceed the relay's rate limit)
        assertThat(up.sent()).hasSize((int) packets);
        assertThat(down.dropped()).hasSizeGreaterThan(5).allMatch(s -> s % 20 == 5);
        assertThat(down.duplicated()).hasSizeGreaterThan(5).allMatch(s -> s % 20 == 12);
        assertThat(down.swapped()).hasSizeGreaterThan(2).allMatch(s -> s % 40 == 17);
        assertThat(down.duplicatesSent()).isEqualTo(down.duplicated().size());
        assertThat(down.distinctSent()).isEqualTo(down.arrived() - down.dropped().size());
        assertThat(down.reorderedSent()).isGreaterThanOrEqualTo(down.swapped().size());

        // transport counters: exact
        MediaTransportStats t = bob.mediaStats();
        assertThat(t.mediaPacketsReceived()).as("distinct media packets").isEqualTo(down.distinctSent());
        assertThat(t.drops().getOrDefault(MediaDropReason.REPLAYED, 0L)).as("duplicates").isEqualTo(down.duplicatesSent());
        assertThat(t.mediaPacketsReordered()).as("reordered").isEqualTo(down.reorderedSent());
        assertThat(t.mediaPacketsLost()).as("lost").isEqualTo(down.missingSent());
        assertThat(alice.mediaStats().mediaPacketsSent()).isEqualTo(packets);

        // connection counters: every datagram the link forwarded to / from bob, and from alice
        SocketAddress bobAddress = only(link.clients(false, id));
        SocketAddress aliceAddress = only(link.clients(true, id));
        MediaLifecycleIT.until(() -> {
            ConnectionStats b = bob.stats();
            ConnectionStats a = alice.stats();
            return b.datagramsIn() == link.forwarded(false, bobAddress) && b.datagramsOut() == link.forwarded(true, bobAddress)
                    && a.datagramsIn() == link.forwarded(false, aliceAddress) && a.datagramsOut() == link.forwarded(true, aliceAddress);
        });

        System.out.println("LossyLinkIT remote stats: " + remote.stats());
    }

    /** {@code signal} paced at real time after 1 s of silence (not sent) and once {@code go} completed. */
    static LocalMedia gated(float[] signal, Mono<Void> go) {
        Flux<float[]> silence = Flux.range(0, 50).map(i -> new float[960]);
        Flux<float[]> speech = Flux.range(0, signal.length / 960).map(i -> Arrays.copyOfRange(signal, i * 960, (i + 1) * 960));
        return LocalMedia.paced(AudioFormat.OPUS_MONO, silence.concatWith(go.thenMany(speech)));
    }

    static SocketAddress only(Set<SocketAddress> addresses) {
        assertThat(addresses).hasSize(1);
        return addresses.iterator().next();
    }
}

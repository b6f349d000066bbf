package dev.odinreactive.server.internal;

import static dev.odinreactive.protocol.Methods.*;

import dev.odinreactive.protocol.ErrorCode;
import dev.odinreactive.protocol.MediaInfo;
import dev.odinreactive.protocol.MediaSetup;
import dev.odinreactive.protocol.Notification;
import dev.odinreactive.protocol.ProtocolException;
import dev.odinreactive.protocol.Response;
import dev.odinreactive.protocol.internal.MsgpackCodec;
import dev.odinreactive.protocol.media.MediaKey;
import dev.odinreactive.server.relay.MediaRelay;
import dev.odinreactive.server.relay.RelaySession;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The media side of one {@link Room}: SetupMedia/StartMedia/StopMedia/PauseMedia/ResumeMedia,
 * the MediaStarted/MediaStopped notifications, and the relay routes. Every method is a room
 * task (or called from one), so it shares the room's serial order with joins, leaves and moves.
 *
 * <p>Routes: after every change that can alter who hears whom (join, leave, move, start, stop,
 * pause, resume, setup) {@link #refresh} rebuilds each sender's {@link MediaRoutes}: for each
 * started media, the visible peers (culling) with a relay session that did not pause it,
 * nearest first (the relay applies {@code concurrent_streams} in list order). O(peers² ) per
 * change, nothing per packet.
 */
final class RoomMedia {

    private static final ByteBuf TUNNEL_PREFIX_BYTE = Unpooled.unreleasableBuffer(
            Unpooled.wrappedBuffer(new byte[] {(byte) TUNNEL_PREFIX}).asReadOnly());

    private final Room room;
    private final ServerCore server;
    private MediaKey forwardingKey; // one downlink key per room: one seal per forwarded packet

    /**
     * How long a stopped media stays routed: UDP datagrams and the StopMedia request (TCP) race,
     * so the last datagrams (the end-of-talk) may reach the relay after the stop. Receivers play
     * them out as the tail of the removed media (the client drains up to 500 ms as well).
     */
    static final java.time.Duration LINGER = java.time.Duration.ofMillis(500);

    RoomMedia(Room room, ServerCore server) {
        this.room = room;
        this.server = server;
    }

    // ------------------------------------------------------------ commands (called on the event loop)

    void setup(Peer me, long requestId) {
        room.execute(() -> {
            if (me.removed) {
                return;
            }
            MediaRelay relay = server.relay();
            if (relay == null) {
                me.session.respondError(requestId, new ProtocolException(ErrorCode.INVALID_MEDIA,
                        "this server runs without a media relay"));
                return;
            }
            RelaySession rs = me.relay;
            if (rs == null) {
                if (forwardingKey == null) {
                    forwardingKey = relay.newForwardingKey();
                }
                rs = relay.openSession(me, forwardingKey);
                Channel channel = me.session.channel();
                rs.attachTunnel(datagram -> {
                    if (!channel.isActive() || !channel.isWritable()) {
                        datagram.release();
                        return false;
                    }
                    ByteBuf framed = Unpooled.wrappedBuffer(TUNNEL_PREFIX_BYTE.duplicate(), datagram);
                    channel.writeAndFlush(new BinaryWebSocketFrame(framed), channel.voidPromise());
                    return true;
                });
                me.relay = rs;
                refresh();
            }
            me.session.respond(Response.ok(requestId,
                    new MediaSetup(rs.keys(), server.advertisedUdpPort()).toWire()));
        });
    }

    void start(Peer me, long requestId, int mediaId, Map<String, Object> properties) {
        room.execute(() -> {
            if (me.removed) {
                return;
            }
            if (!me.mediaIds.contains(mediaId)) {
                me.session.respondError(requestId, new ProtocolException(ErrorCode.INVALID_MEDIA,
                        "media id " + mediaId + " is not in your pool " + me.mediaIds));
                return;
            }
            if (me.medias.containsKey(mediaId)) {
                me.session.respondError(requestId, new ProtocolException(ErrorCode.INVALID_MEDIA,
                        "media " + mediaId + " is already started"));
                return;
            }
            me.lingering.remove(mediaId);
            me.medias.put(mediaId, properties);
            sendToVisible(me, started(me.id, mediaId, properties));
            refresh();
            me.session.respond(Response.ok(requestId, null));
        });
    }

    void stop(Peer me, long requestId, int mediaId) {
        room.execute(() -> {
            if (me.removed) {
                return;
            }
            if (me.medias.remove(mediaId) == null) {
                me.session.respondError(requestId, new ProtocolException(ErrorCode.INVALID_MEDIA,
                        "media " + mediaId + " is not started"));
                return;
            }
            me.lingering.add(mediaId);
            server.later(() -> room.execute(() -> {
                if (!me.medias.containsKey(mediaId) && me.lingering.remove(mediaId)) {
                    refresh();
                }
            }), LINGER);
            sendToVisible(me, stopped(me.id, mediaId));
            refresh();
            me.session.respond(Response.ok(requestId, null));
        });
    }

    /** Receiver side: {@code paused} stops (or resumes) forwarding another peer's media to me. */
    void pause(Peer me, long requestId, int mediaId, boolean paused) {
        room.execute(() -> {
            if (me.removed) {
                return;
            }
            boolean exists = false;
            for (Peer q : room.peersView()) {
                if (q != me && q.medias.containsKey(mediaId)) {
                    exists = true;
                    break;
                }
            }
            if (!exists && !me.pausedMedias.contains(mediaId)) {
                me.session.respondError(requestId, new ProtocolException(ErrorCode.INVALID_MEDIA,
                        "no other peer in room " + room.id + " has media " + mediaId));
                return;
            }
            if (paused) {
                me.pausedMedias.add(mediaId);
            } else {
                me.pausedMedias.remove(mediaId);
            }
            refresh();
            me.session.respond(Response.ok(requestId, null));
        });
    }

    // ------------------------------------------------------------ hooks from Room tasks

    /** Room task: {@code viewer} now sees {@code owner}: tell it about the owner's medias. */
    void becameVisible(Peer owner, Peer viewer) {
        for (Map.Entry<Integer, Map<String, Object>> m : owner.medias.entrySet()) {
            viewer.session.send(started(owner.id, m.getKey(), m.getValue()));
        }
    }

    /** Room task: the peer left; close its relay session (its datagrams are dropped from now on). */
    void removed(Peer me) {
        RelaySession rs = me.relay;
        if (rs != null) {
            rs.close();
        }
        me.routes = MediaRoutes.EMPTY;
        for (Peer q : room.peersView()) {
            q.pausedMedias.removeAll(me.mediaIds);
        }
    }

    /** Room task: the room is gone. */
    void closed() {
        MediaRelay relay = server.relay();
        if (relay != null && forwardingKey != null) {
            relay.retireForwardingKey(forwardingKey);
        }
        forwardingKey = null;
    }

    /** Room task: rebuild every sender's routes from the room state. */
    void refresh() {
        Collection<Peer> peers = room.peersView();
        for (Peer sender : peers) {
            if (sender.medias.isEmpty() && sender.lingering.isEmpty() || sender.relay == null) {
                sender.routes = MediaRoutes.EMPTY;
                continue;
            }
            List<Peer> audience = new ArrayList<>();
            for (Long qid : sender.visible) {
                Peer q = room.peer(qid);
                if (q != null && q.relay != null) {
                    audience.add(q);
                }
            }
            audience.sort(Comparator.comparingDouble(q -> distance2(sender, q)));
            java.util.Set<Integer> routed = new java.util.LinkedHashSet<>(sender.medias.keySet());
            routed.addAll(sender.lingering);
            int[] ids = new int[routed.size()];
            List<List<RelaySession>> lists = new ArrayList<>(ids.length);
            int i = 0;
            for (Integer mediaId : routed) {
                ids[i++] = mediaId;
                List<RelaySession> receivers = new ArrayList<>(audience.size());
                for (Peer q : audience) {
                    if (!q.pausedMedias.contains(mediaId)) {
                        receivers.add(q.relay);
                    }
                }
                lists.add(List.copyOf(receivers));
            }
            sender.routes = new MediaRoutes(ids, List.copyOf(lists));
        }
    }

    /** Room task: sends a notification to every peer that sees {@code me}. */
    private void sendToVisible(Peer me, byte[] note) {
        for (Long qid : me.visible) {
            Peer q = room.peer(qid);
            if (q != null) {
                q.session.send(note);
            }
        }
    }

    private static double distance2(Peer a, Peer b) {
        double dx = a.x - b.x;
        double dy = a.y - b.y;
        double dz = a.z - b.z;
        return dx * dx + dy * dy + dz * dz;
    }

    static byte[] started(long peerId, int mediaId, Map<String, Object> properties) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", KIND_MEDIA_STARTED);
        m.put("peer_id", peerId);
        m.put("media", new MediaInfo(mediaId, properties, false).toWire());
        return MsgpackCodec.encode(new Notification(PEER_UPDATED, m));
    }

    static byte[] stopped(long peerId, int mediaId) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", KIND_MEDIA_STOPPED);
        m.put("peer_id", peerId);
        m.put("media_id", (long) mediaId);
        return MsgpackCodec.encode(new Notification(PEER_UPDATED, m));
    }
}

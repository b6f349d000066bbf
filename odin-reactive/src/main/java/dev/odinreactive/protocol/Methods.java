package dev.odinreactive.protocol;

import java.util.Set;

/**
 * Names of the control-channel methods and notifications, and the fixed string values used in
 * their params (docs/protocol.md §4).
 */
public final class Methods {

    /** Protocol version this library speaks ({@code Hello.protocol}). */
    public static final int PROTOCOL_VERSION = 1;

    // client → server requests
    public static final String HELLO = "Hello";
    public static final String JOIN_ROOM = "JoinRoom";
    public static final String UPDATE_PEER = "UpdatePeer";
    public static final String SET_PEER_POSITION = "SetPeerPosition";
    public static final String SEND_MESSAGE = "SendMessage";
    public static final String PING = "Ping";
    public static final String LEAVE = "Leave";
    /** Media: hands out the connection's media keys and relay UDP port ({@code MediaSetup}). */
    public static final String SETUP_MEDIA = "SetupMedia";
    /** Media: announces one of my media ids ({@code {media_id, properties}}). */
    public static final String START_MEDIA = "StartMedia";
    /** Media: stops one of my medias ({@code {media_id}}). */
    public static final String STOP_MEDIA = "StopMedia";
    /** Media (receiver side): stop forwarding a remote media to me ({@code {media_id}}). */
    public static final String PAUSE_MEDIA = "PauseMedia";
    /** Media (receiver side): forward a paused remote media to me again ({@code {media_id}}). */
    public static final String RESUME_MEDIA = "ResumeMedia";

    /** The media methods. */
    public static final Set<String> MEDIA_METHODS = Set.of(SETUP_MEDIA, START_MEDIA, STOP_MEDIA, PAUSE_MEDIA, RESUME_MEDIA);

    /**
     * First byte of a control-channel binary message that carries one sealed media datagram
     * (the tunnel fallback, docs/protocol.md M5); never the first byte of a MessagePack array.
     */
    public static final int TUNNEL_PREFIX = 0xFF;

    // server → client notifications
    public static final String ROOM_UPDATED = "RoomUpdated";
    public static final String PEER_UPDATED = "PeerUpdated";
    public static final String MESSAGE_RECEIVED = "MessageReceived";
    public static final String ERROR = "Error";

    // RoomUpdated update kinds
    public static final String KIND_PEER_JOINED = "PeerJoined";
    public static final String KIND_PEER_LEFT = "PeerLeft";
    public static final String KIND_USER_DATA_CHANGED = "UserDataChanged";
    public static final String KIND_LEFT = "Left";
    // PeerUpdated kinds (besides UserDataChanged)
    public static final String KIND_MEDIA_STARTED = "MediaStarted";
    public static final String KIND_MEDIA_STOPPED = "MediaStopped";

    // Left reasons
    public static final String LEFT_KICKED = "kicked";
    public static final String LEFT_BANNED = "banned";
    public static final String LEFT_ROOM_CLOSED = "room_closed";
    public static final String LEFT_SERVER_SHUTDOWN = "server_shutdown";
    public static final String LEFT_IDLE_TIMEOUT = "idle_timeout";
    public static final String LEFT_SLOW_CONSUMER = "slow_consumer";
    public static final String LEFT_LEAVE = "leave";

    /** Sender id of messages that come from the server or the gateway, not from a peer. */
    public static final long SERVER_SENDER_ID = 0;

    private Methods() {
    }
}

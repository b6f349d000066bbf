package dev.odinreactive.protocol;

/**
 * One control-channel message: exactly one MessagePack array in one WebSocket binary frame
 * (docs/protocol.md §2). Encode and decode with
 * {@link dev.odinreactive.protocol.internal.MsgpackCodec}.
 *
 * <p>Values inside {@code params} and {@code result} use these Java types: {@code null},
 * {@link Boolean}, {@link Long} (every MessagePack integer), {@link Double} (every float),
 * {@link String}, {@code byte[]} (MessagePack {@code bin}), {@link java.util.List} and
 * {@link java.util.Map} with {@link String} keys. When encoding, {@link Integer}, {@link Short},
 * {@link Byte}, {@link Float} and any {@link java.util.Collection} are accepted too.
 */
public sealed interface Frame permits Request, Response, Notification {

    /** Wire type tag of a request: {@code [0, id, method, params]}. */
    int REQUEST = 0;
    /** Wire type tag of a response: {@code [1, id, error, result]}. */
    int RESPONSE = 1;
    /** Wire type tag of a notification: {@code [2, method, params]}. */
    int NOTIFICATION = 2;
}

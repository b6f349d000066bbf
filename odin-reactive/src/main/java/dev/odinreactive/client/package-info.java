/**
 * The reactive client SDK. {@link dev.odinreactive.client.OdinClient} owns threads and sockets
 * and joins rooms through a {@link dev.odinreactive.client.RoomSpec}; a
 * {@link dev.odinreactive.client.Room} offers commands ({@code Mono<Void>}), immutable getters and
 * a hot {@link dev.odinreactive.client.RoomEvent} stream with a state snapshot for every
 * subscriber; it reconnects by itself ({@link dev.odinreactive.client.ReconnectPolicy}). Every
 * failure is an {@link dev.odinreactive.client.OdinException} with a reason. Media (audio)
 * follows in the next issue; its events are already part of {@code RoomEvent}.
 *
 * <p>Threads: network I/O and command completions run on the client's Netty event loops
 * ({@code odin-client-N-*}; never block in a completion callback), events are delivered on
 * {@code odin-client-N-events-*}. Nothing in this package blocks.
 */
package dev.odinreactive.client;

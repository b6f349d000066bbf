package dev.odinreactive.server.relay;

import io.netty.buffer.ByteBuf;

/**
 * Server side of the media fallback: sends one sealed datagram to a client over its control
 * channel (WebSocket) when that client's media path is the tunnel. The control plane implements
 * it per connection and attaches it with {@link RelaySession#attachTunnel}; datagrams the client
 * tunnels go the other way through {@link RelaySession#receiveTunneled}.
 */
@FunctionalInterface
public interface RelayTunnel {

    /**
     * Called on the relay's event loop; must not block.
     *
     * @param datagram one sealed datagram; ownership passes to the tunnel, which must release it
     *                 (writing it to a Netty channel does)
     * @return {@code false} if the tunnel cannot take it now (the relay counts {@code BACKPRESSURE})
     */
    boolean send(ByteBuf datagram);
}

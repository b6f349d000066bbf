package dev.odinreactive.protocol.media;

import io.netty.buffer.ByteBuf;
import reactor.core.publisher.Flux;

/**
 * Client side of the media fallback: carries sealed media-plane datagrams over the control
 * channel (WebSocket) when UDP gets no answer. The control plane implements it; the bytes are
 * the same datagrams that would go over UDP (already encrypted and authenticated).
 */
public interface MediaTunnel {

    /**
     * Sends one sealed datagram to the server. Must not block.
     *
     * @param datagram ownership passes to the tunnel, which must release it
     * @return {@code false} if it cannot be sent now (the transport counts {@code BACKPRESSURE})
     */
    boolean send(ByteBuf datagram);

    /**
     * Sealed datagrams the server sends over the control channel. Subscribed once by the
     * transport, which releases every buffer; completes when the control channel closes.
     */
    Flux<ByteBuf> inbound();
}

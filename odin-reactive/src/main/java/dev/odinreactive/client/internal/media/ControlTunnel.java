package dev.odinreactive.client.internal.media;

import dev.odinreactive.client.internal.ControlConnection;
import dev.odinreactive.protocol.media.MediaTunnel;
import io.netty.buffer.ByteBuf;
import java.util.concurrent.ArrayBlockingQueue;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * The media fallback over one control WebSocket: {@code 0xFF}-prefixed binary messages carry the
 * sealed datagrams both ways. Inbound datagrams wait in a queue of 256 at most (dropped and
 * released beyond); the transport subscribes once.
 */
final class ControlTunnel implements MediaTunnel {

    private final ControlConnection connection;
    private final Sinks.Many<ByteBuf> inbound = Sinks.many().unicast().onBackpressureBuffer(new ArrayBlockingQueue<>(256));

    ControlTunnel(ControlConnection connection) {
        this.connection = connection;
        connection.onDatagram(buf -> {
            if (inbound.tryEmitNext(buf).isFailure()) {
                buf.release();
            }
        });
        connection.onClose().subscribe(i -> inbound.tryEmitComplete());
    }

    @Override
    public boolean send(ByteBuf datagram) {
        return connection.sendDatagram(datagram);
    }

    @Override
    public Flux<ByteBuf> inbound() {
        return inbound.asFlux();
    }
}

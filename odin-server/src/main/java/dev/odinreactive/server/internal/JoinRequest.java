package dev.odinreactive.server.internal;

import dev.odinreactive.protocol.ProtocolException;
import dev.odinreactive.token.TokenClaims;
import reactor.core.publisher.MonoSink;

/** A verified JoinRoom on its way to its room; completes {@code sink} once answered. */
record JoinRequest(PeerSession session, TokenClaims claims, String roomId, byte[] userData, double[] position,
                   long requestId, long startNanos, MonoSink<Void> sink) {

    void fail(ProtocolException e) {
        session.joinFailed(requestId, e);
        sink.success();
    }

    void succeeded() {
        session.server().metrics().joins.increment();
        session.server().metrics().joinLatency.record(System.nanoTime() - startNanos, java.util.concurrent.TimeUnit.NANOSECONDS);
        sink.success();
    }
}

package dev.odinreactive.client.internal;

import dev.odinreactive.audio.AudioFormat;
import dev.odinreactive.client.ReconnectPolicy;
import io.netty.handler.ssl.SslContext;

import java.time.Duration;
import java.util.Objects;

/** The settled options of an {@code OdinClient} (see its builder for meanings and defaults); {@code sslContext} null = the JDK's trust store. */
public record ClientOptions(Duration joinTimeout, Duration requestTimeout, ReconnectPolicy reconnect,
                            int eventBufferSize, boolean errorOnEventOverflow,
                            AudioFormat outputFormat, int eventLoopThreads, SslContext sslContext) {
    public ClientOptions {
        Objects.requireNonNull(joinTimeout, "joinTimeout");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        Objects.requireNonNull(reconnect, "reconnect");
        Objects.requireNonNull(outputFormat, "outputFormat");
    }
}

package dev.odinreactive.client;

import dev.odinreactive.audio.AudioFormat;
import dev.odinreactive.client.internal.ClientOptions;
import dev.odinreactive.client.internal.ClientResources;
import dev.odinreactive.client.internal.DefaultRoomSpec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

import javax.net.ssl.SSLException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Entry point of the SDK: joins rooms and owns the resources they share — Netty event-loop
 * threads ({@code odin-client-N-*}), the HTTP connection pool used for gateway calls, and the
 * scheduler that delivers room events ({@code odin-client-N-events-*}).
 *
 * <pre>{@code
 * OdinClient client = OdinClient.create();
 * Room room = client.room().userData(bytes).join("http://127.0.0.1:4800", token).block();
 * room.events().subscribe(System.out::println);
 * ...
 * client.disposeLater().block(); // closes every room, then stops threads and sockets
 * }</pre>
 *
 * Thread-safe. Several clients may coexist; each releases only its own resources.
 */
public final class OdinClient implements Disposable {

    /** What happens when a slow {@link Room#events()} subscriber's buffer is full. */
    public enum OverflowPolicy {
        /** Drop the oldest buffered event; count it in {@link ConnectionStats#eventsDropped()}. */
        DROP_OLDEST,
        /** Fail that subscriber with {@link OdinException.Reason#EVENTS_OVERFLOW} (counted too); resubscribe for a fresh snapshot. */
        ERROR
    }

    private final ClientResources resources;

    private OdinClient(ClientOptions options) {
        this.resources = new ClientResources(options);
    }

    /** A client with the defaults of {@link Builder}. */
    public static OdinClient create() {
        return builder().build();
    }

    /** A builder to set options (timeouts, reconnect, event buffers, TLS trust) before {@link Builder#build()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** Starts describing a room to join. */
    public RoomSpec room() {
        return new DefaultRoomSpec(resources);
    }

    /**
     * Closes every room of this client (each with a {@code Leave}, bounded by the request
     * timeout), then releases threads, pool and sockets. Completes when all is released; never
     * fails; idempotent. Joins started afterwards fail with {@code CLOSED}.
     */
    public Mono<Void> disposeLater() {
        return resources.disposeLater();
    }

    /** Starts {@link #disposeLater()} without waiting. */
    @Override
    public void dispose() {
        disposeLater().subscribe();
    }

    @Override
    public boolean isDisposed() {
        return resources.isDisposed();
    }

    /** Options of an {@link OdinClient}; every setter has a sensible default. Not thread-safe. */
    public static final class Builder {
        private Duration joinTimeout = Duration.ofSeconds(10);
        private Duration requestTimeout = Duration.ofSeconds(5);
        private ReconnectPolicy reconnect = ReconnectPolicy.DEFAULT;
        private int eventBuffer = 1024;
        private OverflowPolicy overflow = OverflowPolicy.DROP_OLDEST;
        private AudioFormat outputFormat = AudioFormat.OPUS_MONO;
        private int eventLoopThreads = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
        private SslContext sslContext;

        private Builder() {
        }

        /** Bound on a whole join (gateway + connect + hello + join), per attempt; default 10 s. */
        public Builder joinTimeout(Duration timeout) {
            this.joinTimeout = positive(timeout, "joinTimeout");
            return this;
        }

        /** Bound on each request (commands, pings, leave); default 5 s, like ODIN's web SDK. */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = positive(timeout, "requestTimeout");
            return this;
        }

        /** Reconnect behaviour; default {@link ReconnectPolicy#DEFAULT}. */
        public Builder reconnect(ReconnectPolicy policy) {
            this.reconnect = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** Events buffered per {@link Room#events()} subscriber (default 1024) and the overflow policy. */
        public Builder eventBuffer(int size, OverflowPolicy policy) {
            if (size < 1) {
                throw new IllegalArgumentException("event buffer size must be >= 1");
            }
            this.eventBuffer = size;
            this.overflow = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** Reserved for media (next issue): format of decoded remote audio; default {@link AudioFormat#OPUS_MONO} (48 kHz mono). */
        public Builder outputFormat(AudioFormat format) {
            this.outputFormat = Objects.requireNonNull(format, "format");
            return this;
        }

        /** Netty worker threads of this client (default min(4, cores)). */
        public Builder eventLoopThreads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be >= 1");
            }
            this.eventLoopThreads = threads;
            return this;
        }

        /**
         * Trusts the X.509 certificates (CA or self-signed server certificates) in the PEM file
         * {@code pemFile} for https gateway URLs and wss control channels, <em>instead of</em> the
         * JDK's trust store (the default). Host names are still verified. The media UDP path is
         * unaffected (it has its own AEAD). Replaces an earlier {@link #sslContext(SslContext)}.
         *
         * @throws IllegalArgumentException if the file cannot be read or holds no certificate
         */
        public Builder trustedCertificates(Path pemFile) {
            Objects.requireNonNull(pemFile, "pemFile");
            try {
                this.sslContext = SslContextBuilder.forClient().trustManager(pemFile.toFile()).build();
            } catch (SSLException | IllegalArgumentException e) {
                throw new IllegalArgumentException("cannot use " + pemFile + " as trusted certificates: " + e.getMessage(), e);
            }
            return this;
        }

        /**
         * The full client TLS context for https/wss (trust, client certificates, protocols),
         * e.g. from {@code SslContextBuilder.forClient()}; default: the JDK's trust store.
         */
        public Builder sslContext(SslContext context) {
            Objects.requireNonNull(context, "context");
            if (!context.isClient()) {
                throw new IllegalArgumentException("sslContext must be a client context");
            }
            this.sslContext = context;
            return this;
        }

        /** Creates the client; its threads start lazily with the first join. */
        public OdinClient build() {
            return new OdinClient(new ClientOptions(joinTimeout, requestTimeout, reconnect, eventBuffer,
                    overflow == OverflowPolicy.ERROR, outputFormat, eventLoopThreads, sslContext));
        }

        private static Duration positive(Duration d, String name) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be > 0");
            }
            return d;
        }
    }
}

package dev.odinreactive.examples.bots;

import dev.odinreactive.audio.AudioFormat;
import dev.odinreactive.audio.opus.OpusConfig;
import dev.odinreactive.audio.opus.OpusDecoder;
import dev.odinreactive.audio.opus.OpusEncoder;
import dev.odinreactive.client.LocalMedia;
import dev.odinreactive.client.OdinClient;
import dev.odinreactive.client.Room;
import dev.odinreactive.server.OdinServer;
import dev.odinreactive.server.RunningServer;
import dev.odinreactive.server.ServerConfig;
import dev.odinreactive.token.AccessKey;
import dev.odinreactive.token.TokenGenerator;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import reactor.core.publisher.Flux;

/** The embedded server on loopback and peers joining it (one client each, as on separate machines); tones and their analysis. */
final class LoopbackRoom implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(30);
    static final int FRAME = 960; // 20 ms at 48 kHz

    private final AccessKey key = AccessKey.generate();
    private final RunningServer server;
    private final List<OdinClient> clients = new CopyOnWriteArrayList<>();

    LoopbackRoom() {
        server = OdinServer.builder()
                .config(ServerConfig.defaults().withHttp(ServerConfig.Http.defaults().withBinding("127.0.0.1", 0)))
                .trust(key).start().block(WAIT);
    }

    Room join(String user) {
        // a loaded machine may take long for the first join of a cold JVM
        OdinClient client = OdinClient.builder().joinTimeout(WAIT).build();
        clients.add(client);
        String token = TokenGenerator.create(key).createToken("bots", user).block(WAIT);
        return client.room().join(server.gatewayUrl(), token).block(WAIT);
    }

    /**
     * Runs the Opus codec for a moment, so the JIT has compiled it before the test talks: a cold
     * encoder is many times slower than real time (doubly so on a loaded machine).
     */
    static void warmUp() {
        try (OpusEncoder encoder = new OpusEncoder(OpusConfig.defaults().withComplexity(3));
             OpusDecoder decoder = OpusDecoder.createDefault()) {
            float[] f = new float[FRAME];
            for (int n = 0; n < 200; n++) {
                for (int i = 0; i < FRAME; i++) {
                    f[i] = (float) (0.3 * Math.sin(0.05 * (n * FRAME + i)) + 0.01 * Math.sin(1.3 * i * n));
                }
                decoder.decode(encoder.encode(f));
            }
        }
    }

    /** A live-paced media playing a sine of {@code hz} at amplitude 0.5 for {@code millis}. */
    static LocalMedia tone(double hz, int millis) {
        int frames = millis / 20;
        return LocalMedia.paced(AudioFormat.OPUS_MONO, Flux.range(0, frames).map(n -> {
            float[] f = new float[FRAME];
            for (int i = 0; i < FRAME; i++) {
                f[i] = (float) (0.5 * Math.sin(2 * Math.PI * hz * (n * FRAME + i) / 48_000.0));
            }
            return f;
        }));
    }

    /** Power of {@code hz} in {@code x} (Goertzel), normalised by the length. */
    static double power(float[] x, double hz) {
        double w = 2 * Math.PI * hz / 48_000.0;
        double c = 2 * Math.cos(w);
        double s1 = 0;
        double s2 = 0;
        for (float v : x) {
            double s = v + c * s1 - s2;
            s2 = s1;
            s1 = s;
        }
        return (s1 * s1 + s2 * s2 - c * s1 * s2) / ((double) x.length * x.length);
    }

    static float rms(float[] x, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += (double) x[i] * x[i];
        }
        return to > from ? (float) Math.sqrt(sum / (to - from)) : 0f;
    }

    static float[] concat(List<float[]> frames) {
        float[] all = new float[frames.stream().mapToInt(f -> f.length).sum()];
        int at = 0;
        for (float[] f : frames) {
            System.arraycopy(f, 0, all, at, f.length);
            at += f.length;
        }
        return all;
    }

    @Override
    public void close() {
        Flux.fromIterable(clients).flatMap(OdinClient::disposeLater).then().block(WAIT);
        server.disposeNow(WAIT);
    }
}

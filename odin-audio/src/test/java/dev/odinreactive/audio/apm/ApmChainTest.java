package dev.odinreactive.audio.apm;

import static dev.odinreactive.audio.apm.Signals.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

class ApmChainTest {
    private static final int LATENCY = Apm.CHAIN_LATENCY_MS * 48;

    @Test
    void disabledChainIsAnExactDelayOfItsLatency() {
        float[] x = noise(1, -20, FS);
        List<ApmFrame> out = frames(x, F).transform(Apm.chain(Flux.just(ApmConfig.disabled()))).collectList().block();
        assertThat(out).hasSize(100).allMatch(ApmFrame::talking);
        float[] y = join(out.stream().map(ApmFrame::samples).toList());
        for (int i = LATENCY; i < x.length; i++) {
            assertThat(y[i]).isEqualTo(x[i - LATENCY]);
        }
    }

    @Test
    void switchingFiltersWhileAudioFlowsLosesNoFrameAndDoesNotClick() {
        int n = 300;
        float[] x = sine(200, -23, n * F);
        Sinks.Many<ApmConfig> configs = Sinks.many().replay().latest();
        ApmConfig base = ApmConfig.disabled();
        configs.tryEmitNext(base);
        Flux<float[]> frames = Flux.range(0, n).map(i -> {
            if (i % 10 == 5) {
                int k = i / 10;
                configs.tryEmitNext(base.withHighPassFilter(k % 2 == 1).withPreAmplifier(k % 3 == 1)
                        .withTransientSuppressor(k % 4 >= 2)
                        .withNoiseSuppressionLevel(NoiseSuppressionLevel.values()[k % 5])
                        .withVoiceActivityDetection(k % 2 == 0, 0.9f, 0.8f));
            }
            float[] f = new float[F];
            System.arraycopy(x, i * F, f, 0, F);
            return f;
        });
        List<ApmFrame> out = frames.transform(Apm.chain(configs.asFlux())).collectList().block();
        assertThat(out).hasSize(n);
        float[] y = join(out.stream().map(ApmFrame::samples).toList());
        float maxStep = 0;
        for (int i = LATENCY + 1; i < y.length; i++) {
            maxStep = Math.max(maxStep, Math.abs(y[i] - y[i - 1]));
        }
        // the sine's own largest step is 0.0026 (x 2 with the pre-amplifier); a dropped or
        // repeated block or an abrupt switch would jump by up to 0.14
        assertThat(maxStep).isLessThan(0.012f);
    }

    @Test
    void chainCarriesAnalysisAndLevelsSpeech() {
        float[] x = concat(noise(1, -60, FS), add(voiced(-40, FS * 4), noise(2, -60, FS * 4)));
        ApmConfig c = ApmConfig.defaults().withEchoCanceller(false);
        List<ApmFrame> out = frames(x, F).transform(Apm.chain(Flux.just(c))).collectList().block();
        assertThat(out).hasSize(500);
        long talking = out.subList(200, 500).stream().filter(ApmFrame::talking).count();
        double p = out.subList(200, 500).stream().mapToDouble(ApmFrame::speechProbability).average().orElseThrow();
        assertThat(p).isGreaterThan(0.6);
        assertThat(talking).isGreaterThan(250);
        assertThat(out.get(50).talking()).isFalse();
        float[] y = join(out.stream().map(ApmFrame::samples).toList());
        assertThat(db(power(y, FS * 4, FS * 5))).as("AGC raised the -40 dBFS talker").isGreaterThan(-32);
    }

    @Test
    void chainCancelsEchoFromTheReverseStream() {
        int n = FS * 5;
        float[] far = noise(3, -25, n);
        float[] mic = new float[n];
        for (int i = 2600; i < n; i++) {
            mic[i] = 0.5f * far[i - 2400] + 0.2f * far[i - 2600];
        }
        mic = add(mic, noise(4, -75, n));
        ApmConfig c = ApmConfig.disabled().withEchoCanceller(true);
        Sinks.Many<float[]> reverse = Sinks.many().multicast().directBestEffort();
        float[] mic0 = mic;
        Flux<float[]> capture = Flux.range(0, n / F).map(i -> {
            float[] f = new float[F];
            System.arraycopy(far, i * F, f, 0, F);
            reverse.tryEmitNext(f);   // in step with the capture, as a live pipeline
            float[] m = new float[F];
            System.arraycopy(mic0, i * F, m, 0, F);
            return m;
        });
        List<ApmFrame> out = capture
                .transform(Apm.chain(Flux.just(c), reverse.asFlux(), Flux.just(Duration.ofMillis(50))))
                .collectList().block();
        float[] y = join(out.stream().map(ApmFrame::samples).toList());
        assertThat(db(power(mic, FS * 3, FS * 4)) - db(power(y, FS * 3 + LATENCY, FS * 4 + LATENCY))).isGreaterThan(25);
    }

    @Test
    void cancellingTheCaptureCancelsReverseAndConfigs() {
        AtomicBoolean reverseCancelled = new AtomicBoolean();
        AtomicBoolean configsCancelled = new AtomicBoolean();
        Flux<float[]> reverse = Flux.<float[]>never().doOnCancel(() -> reverseCancelled.set(true));
        Flux<ApmConfig> configs = Flux.concat(Flux.just(ApmConfig.defaults()), Flux.<ApmConfig>never())
                .doOnCancel(() -> configsCancelled.set(true));
        StepVerifier.create(Flux.<float[]>never().transform(Apm.chain(configs, reverse, Flux.empty())))
                .thenAwait(Duration.ofMillis(10))
                .thenCancel()
                .verify(Duration.ofSeconds(5));
        assertThat(reverseCancelled).isTrue();
        assertThat(configsCancelled).isTrue();
    }

    @Test
    void aFailingConfigSourceFailsTheChain() {
        Flux<ApmConfig> configs = Flux.error(new IllegalStateException("config store down"));
        StepVerifier.create(Flux.just(new float[F]).transform(Apm.chain(configs)))
                .expectErrorMessage("config store down")
                .verify(Duration.ofSeconds(5));
    }
}

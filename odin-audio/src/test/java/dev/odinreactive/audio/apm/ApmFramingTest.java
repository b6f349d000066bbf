package dev.odinreactive.audio.apm;

import static dev.odinreactive.audio.apm.Signals.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/** Frame sizes and configuration swaps: no lost, repeated or altered sample. */
class ApmFramingTest {
    private static final int LATENCY = Apm.CHAIN_LATENCY_MS * 48;

    /** Speech-like talker over noise, 1 s. */
    private static float[] input() {
        return add(voiced(-26, FS), noise(5, -50, FS));
    }

    private static float[] run(float[] x, int size, Function<Flux<float[]>, Flux<float[]>> op) {
        List<float[]> in = split(x, size);
        List<float[]> out = Flux.fromIterable(in).transform(op).collectList().block(Duration.ofSeconds(30));
        assertThat(out).as("one frame out per frame in").hasSize(in.size());
        assertThat(out).as("each frame keeps its size").allSatisfy(f -> assertThat(f).hasSize(size));
        return join(out);
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    @ParameterizedTest(name = "{0}-sample frames")
    @ValueSource(ints = {960, 441, 1000})
    void everyFilterGivesTheSameSamplesForAnyFrameSizeOnlyShiftedByTheReblocking(int size) {
        float[] x = input();
        float[] far = noise(9, -26, FS);
        List<Function<Flux<float[]>, Flux<float[]>>> ops = List.of(
                Apm.highPass(), Apm.preAmplifier(), Apm.noiseSuppressor(NoiseSuppressionLevel.MODERATE),
                Apm.transientSuppressor(), Apm.gainController(),
                f -> f.transform(Apm.echoCanceller(Flux.fromIterable(split(far, 480)), Duration.ofMillis(20))),
                f -> f.transform(Apm.chain(Flux.just(ApmConfig.defaults().withHighPassFilter(true))))
                        .map(ApmFrame::samples),
                f -> f.transform(Apm.voiceActivity(0.9f, 0.8f)).map(ApmFrame::samples));
        int shift = size % 480 == 0 ? 0 : 480 - gcd(size, 480);
        for (int k = 0; k < ops.size(); k++) {
            float[] ref = run(x, 480, ops.get(k));
            float[] y = run(x, size, ops.get(k));
            for (int i = 0; i < shift; i++) {
                assertThat(y[i]).as("operator %d: re-blocking lead-in", k).isZero();
            }
            for (int i = 0; i + shift < y.length && i < ref.length; i++) {
                if (y[i + shift] != ref[i]) {
                    throw new AssertionError("operator " + k + ", " + size + "-sample frames: sample " + i + " is "
                            + y[i + shift] + " (with 480-sample frames: " + ref[i] + ")");
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}-sample frames")
    @ValueSource(ints = {480, 960, 441})
    void configSwapsOfFiltersWithoutEffectKeepEverySampleExactly(int size) {
        // on a steady tone without a far end, the echo canceller, the transient suppressor, the VAD
        // and the gate change nothing: the output must be the input delayed by the chain latency,
        // however often they are switched, with no lost, repeated or cross-faded sample
        int n = 3 * FS / size;
        float[] x = sine(1000, -20, n * size);
        Sinks.Many<ApmConfig> configs = Sinks.many().replay().latest();
        configs.tryEmitNext(ApmConfig.disabled());
        List<float[]> in = split(x, size);
        Flux<float[]> frames = Flux.range(0, in.size()).map(i -> {
            if (i % 7 == 3) {
                int k = i / 7;
                configs.tryEmitNext(ApmConfig.disabled().withEchoCanceller(k % 2 == 1)
                        .withTransientSuppressor(k % 3 != 0)
                        .withVoiceActivityDetection(k % 4 >= 2, 0.9f, 0.8f)
                        .withVolumeGate(k % 5 >= 3, -30f, -40f));
            }
            return in.get(i);
        });
        List<ApmFrame> out = frames.transform(Apm.chain(configs.asFlux())).collectList().block(Duration.ofSeconds(30));
        assertThat(out).hasSize(in.size()).allSatisfy(f -> assertThat(f.samples()).hasSize(size));
        float[] y = join(out.stream().map(ApmFrame::samples).toList());
        int delay = LATENCY + (size % 480 == 0 ? 0 : 480 - gcd(size, 480));
        for (int i = 0; i < delay; i++) {
            assertThat(y[i]).isZero();
        }
        float worst = 0;
        for (int i = delay; i < y.length; i++) {
            worst = Math.max(worst, Math.abs(y[i] - x[i - delay]));
        }
        // the echo canceller's analysis-synthesis round trip is exact to float rounding (~1e-7)
        assertThat(worst).as("largest deviation from the delayed input").isLessThan(1e-5f);
    }
}

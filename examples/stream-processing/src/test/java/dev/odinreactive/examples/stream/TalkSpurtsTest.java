package dev.odinreactive.examples.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.odinreactive.audio.AudioClip;
import dev.odinreactive.audio.AudioFormat;
import dev.odinreactive.audio.Frames;
import dev.odinreactive.audio.apm.Apm;
import dev.odinreactive.audio.apm.ApmFrame;
import dev.odinreactive.audio.io.AudioFileException;
import dev.odinreactive.audio.io.WavEncoding;
import dev.odinreactive.audio.io.WavFile;
import dev.odinreactive.examples.stream.TalkSpurts.Level;
import dev.odinreactive.examples.stream.TalkSpurts.Spurt;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

class TalkSpurtsTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void levelMeterMeasuresRmsAndPeakOfEachFrame() {
        float[] sine = new float[960];
        for (int i = 0; i < sine.length; i++) {
            sine[i] = (float) (0.5 * Math.sin(2 * Math.PI * 1000 * i / 48_000.0));
        }
        Flux<ApmFrame> frames = Flux.just(new ApmFrame(sine, 1f, 0f, true), new ApmFrame(new float[960], 0f, -120f, false));
        StepVerifier.create(frames.transform(TalkSpurts.levelMeter()))
                .assertNext(l -> {
                    assertThat(l.peakDbfs()).isCloseTo(-6.02f, within(0.05f));
                    assertThat(l.rmsDbfs()).isCloseTo(-9.03f, within(0.05f));
                    assertThat(l.talking()).isTrue();
                })
                .assertNext(l -> assertThat(l.peakDbfs()).isEqualTo(-120f))
                .verifyComplete();
    }

    @Test
    void clockedPacesFramesToOnePer20Ms() {
        float[] a = {1}, b = {2}, c = {3};
        StepVerifier.withVirtualTime(() -> Flux.just(a, b, c).transform(TalkSpurts.clocked()))
                .expectSubscription()
                .thenAwait(Duration.ZERO)
                .expectNext(a)
                .expectNoEvent(Duration.ofMillis(19))
                .thenAwait(Duration.ofMillis(1))
                .expectNext(b)
                .expectNoEvent(Duration.ofMillis(19))
                .thenAwait(Duration.ofMillis(1))
                .expectNext(c)
                .verifyComplete();
    }

    @Test
    void talkSpurtsAreRunsOfTalkingFramesShiftedByTheApmLatency() {
        // 10 silent, 5 talking, 10 silent, 3 talking frames; the stream ends during the second spurt
        List<Level> levels = new ArrayList<>();
        IntStream.range(0, 28).forEach(i -> levels.add(new Level(new float[960], i >= 10 && i < 15 || i >= 25,
                -30f, i == 12 ? -3f : -10f)));
        long ms0 = 10 * 20 - Apm.CHAIN_LATENCY_MS;
        StepVerifier.create(Flux.fromIterable(levels).transform(TalkSpurts.talkSpurts("a")))
                .expectNext(new Spurt("a", Duration.ofMillis(ms0), Duration.ofMillis(ms0 + 100), -3f))
                .expectNext(new Spurt("a", Duration.ofMillis(ms0 + 300), Duration.ofMillis(ms0 + 360), -10f))
                .verifyComplete();
        assertThat(new Spurt("clip0", Duration.ofMillis(340), Duration.ofMillis(2120), -4.1f))
                .hasToString("clip0  00:00.340 – 00:02.120  (1.78 s, peak -4.1 dBFS)");
    }

    @Test
    void detectsSpurtsOfSpeechLikeBurstsInTwoFilesUnclocked() throws Exception {
        // a: 16 kHz stereo, bursts at 0.50-1.49 s and 2.60-3.22 s; b: 48 kHz mono, burst at 1.00-1.99 s
        Path a = dir.resolve("a.wav");
        Path b = dir.resolve("b.wav");
        writeBursts(a, AudioFormat.of(16_000, 2), 4.5, 0.50, 3, 2.60, 2);
        writeBursts(b, AudioFormat.of(48_000, 1), 3.0, 1.00, 3);

        List<Spurt> spurts = TalkSpurts.spurts(List.of(a, b)).collectList().block(TIMEOUT);

        List<Spurt> inA = spurts.stream().filter(s -> s.stream().equals("a")).toList();
        List<Spurt> inB = spurts.stream().filter(s -> s.stream().equals("b")).toList();
        assertThat(inA).hasSize(2);
        assertThat(inB).hasSize(1);
        assertSpurt(inA.get(0), 0.50, 1.49);
        assertSpurt(inA.get(1), 2.60, 3.22);
        assertSpurt(inB.get(0), 1.00, 1.99);
        assertThat(spurts).allSatisfy(s -> assertThat(s.peakDbfs()).isBetween(-25f, -3f));
    }

    @Test
    void clockedStreamsAreMixedIntoAWavFile() throws Exception {
        // a: 22.05 kHz mono, burst at 0.50-1.49 s; b: 48 kHz stereo, burst at 1.00-1.62 s
        Path a = dir.resolve("a.wav");
        Path b = dir.resolve("b.wav");
        writeBursts(a, AudioFormat.of(22_050, 1), 3.0, 0.50, 3);
        writeBursts(b, AudioFormat.of(48_000, 2), 2.0, 1.00, 2);
        Path mixFile = dir.resolve("mix.wav");

        List<Spurt> spurts = TalkSpurts.spurtsAndMix(List.of(a, b), mixFile).collectList().block(TIMEOUT);

        assertThat(spurts).hasSize(2);
        assertSpurt(spurts.stream().filter(s -> s.stream().equals("a")).findFirst().orElseThrow(), 0.50, 1.49);
        assertSpurt(spurts.stream().filter(s -> s.stream().equals("b")).findFirst().orElseThrow(), 1.00, 1.62);
        AudioClip mix = WavFile.read(mixFile);
        assertThat(mix.format()).isEqualTo(AudioFormat.OPUS_MONO);
        // a live mixer: at least as long as the longest stream, longer if a stream lagged (silence)
        assertThat(mix.seconds()).isBetween(2.98, 5.0);
        assertThat(rmsDbfs(mix, 0.10, 0.40)).isLessThan(-50); // noise suppressed; lags only add silence
        // voices add up in energy whatever their alignment: the mix holds both whole
        double expected = 10 * Math.log10(energy(WavFile.read(a)) + energy(WavFile.read(b)));
        assertThat(10 * Math.log10(energy(mix))).isCloseTo(expected, within(1.0));
        assertThat(10 * Math.log10(energy(WavFile.read(a)))).isLessThan(expected - 1.5);
    }

    @Test
    void aBadFileFailsWithATypedError() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.wav"), "not a wave file");
        StepVerifier.create(TalkSpurts.spurts(List.of(bad)))
                .expectError(AudioFileException.class)
                .verify(TIMEOUT);
        StepVerifier.create(TalkSpurts.spurtsAndMix(List.of(bad), dir.resolve("mix.wav")))
                .expectError(AudioFileException.class)
                .verify(TIMEOUT);
    }

    /** Asserts a spurt starts at the speech's start and ends within the 300 ms hang-over after its end. */
    private static void assertSpurt(Spurt s, double speechStart, double speechEnd) {
        assertThat(s.start().toMillis() / 1000.0).as(s.toString()).isCloseTo(speechStart, within(0.1));
        assertThat(s.end().toMillis() / 1000.0).as(s.toString()).isBetween(speechEnd + 0.2, speechEnd + 0.6);
    }

    /**
     * Writes {@code seconds} of -60 dBFS noise with bursts of a crude voiced-speech stand-in
     * (harmonic complex, pitch gliding 110-170 Hz, 250 ms syllables with 120 ms pauses) at
     * -20 dBFS; {@code bursts} alternates start second and syllable count.
     */
    private static void writeBursts(Path file, AudioFormat format, double seconds, double... bursts) throws Exception {
        int rate = format.sampleRate();
        float[] mono = new float[(int) (seconds * rate)];
        Random random = new Random(42);
        for (int i = 0; i < mono.length; i++) {
            mono[i] = (float) (0.001 * random.nextGaussian());
        }
        int syllable = rate / 4, pause = rate * 120 / 1000, ramp = rate / 100;
        for (int k = 0; k < bursts.length; k += 2) {
            int start = (int) (bursts[k] * rate);
            double phase = 0;
            for (int n = 0; n < (syllable + pause) * (int) bursts[k + 1] - pause; n++) {
                double f0 = 140 + 30 * Math.sin(2 * Math.PI * 1.3 * n / rate);
                phase += 2 * Math.PI * f0 / rate;
                int pos = n % (syllable + pause);
                double env = pos >= syllable ? 0 : Math.min(1, Math.min(pos, syllable - pos) / (double) ramp);
                double v = 0;
                for (int h = 1; h <= 20 && h * f0 < rate / 2.0; h++) {
                    v += Math.sin(h * phase) / h;
                }
                mono[start + n] += (float) (0.06 * v * env);
            }
        }
        WavFile.write(file, format, Frames.convertChannels(mono, 1, format.channels()), WavEncoding.FLOAT32);
    }

    /** Sum of squares per channel at 48 kHz (a resampled signal keeps its power, so scale by rate). */
    private static double energy(AudioClip clip) {
        double sum = 0;
        for (float x : clip.samples()) {
            sum += x * x;
        }
        return sum / clip.format().channels() * 48_000.0 / clip.format().sampleRate();
    }

    private static double rmsDbfs(AudioClip clip, double from, double to) {
        int rate = clip.format().sampleRate();
        double power = 0;
        for (int i = (int) (from * rate); i < (int) (to * rate); i++) {
            power += clip.samples()[i] * clip.samples()[i];
        }
        return 10 * Math.log10(power / ((to - from) * rate) + 1e-30);
    }
}

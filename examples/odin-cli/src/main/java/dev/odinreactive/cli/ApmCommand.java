package dev.odinreactive.cli;

import dev.odinreactive.audio.AudioClip;
import dev.odinreactive.audio.AudioFormat;
import dev.odinreactive.audio.Frames;
import dev.odinreactive.audio.apm.Apm;
import dev.odinreactive.audio.apm.ApmConfig;
import dev.odinreactive.audio.io.AudioFileException;
import dev.odinreactive.audio.io.WavEncoding;
import dev.odinreactive.audio.io.WavFile;
import dev.odinreactive.audio.resample.Resampler;
import dev.odinreactive.cli.internal.ApmOptions;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * {@code odin apm}: runs a WAV file through the audio processing chain ({@link Apm#chain}) offline,
 * exactly as a live pipeline would (10 ms frames, the far end fed in step), and writes a 48 kHz
 * mono 32-bit float WAV of the same duration, time-aligned with the input (the chain's constant
 * latency is compensated).
 */
@Command(name = "apm",
        mixinStandardHelpOptions = true,
        description = {
                "Process a recording through the audio processing module (APM) and write the result as a "
                        + "48 kHz mono WAV of the same length, aligned with the input.",
                "Other rates are resampled and stereo is down-mixed. Filters run in the chain's "
                        + "fixed order: pre-amp, high-pass, echo canceller, transient suppressor, noise suppressor, "
                        + "VAD/gate, gain controller."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:processed", "2:bad input (unreadable or malformed WAV, unsupported rate or channel count, "
                + "bad option value, unwritable output)"})
final class ApmCommand implements Callable<Integer> {
    private static final int RATE = 48_000;
    private static final int FRAME = 480;

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "IN.wav", description = "Microphone recording (WAV, 8-192 kHz, mono or stereo).")
    private Path in;

    @Parameters(index = "1", paramLabel = "OUT.wav", description = "Processed output, 48 kHz mono, 32-bit float.")
    private Path out;

    @Option(names = "--reverse", paramLabel = "FAR.wav", description = "Far-end (loudspeaker) signal, sample-aligned with IN.")
    private Path reverse;

    @Option(names = "--delay-ms", paramLabel = "D", defaultValue = "0",
            description = "Stream delay hint for the echo canceller, ms (it also estimates the delay, 0-500 ms). Default: ${DEFAULT-VALUE}.")
    private long delayMs;

    @Option(names = "--vad-labels", paramLabel = "OUT.txt",
            description = "Write one line per 10 ms input frame: <index> <speech probability> <talk 0|1>.")
    private Path labels;

    @Mixin
    private ApmOptions apm;

    @Override
    public Integer call() throws IOException {
        ApmConfig config;
        try {
            config = apm.config();
        } catch (IllegalArgumentException e) {
            return bad(e.getMessage());
        }
        if (delayMs < 0 || delayMs > 10_000) {
            return bad("--delay-ms must be in [0, 10000]: " + delayMs);
        }
        float[] mic;
        float[] far = null;
        try {
            mic = mono48k(WavFile.read(in));
            if (reverse != null) {
                far = mono48k(WavFile.read(reverse));
            }
        } catch (AudioFileException e) {
            return bad(e.getMessage());
        } catch (IOException e) {
            return bad("cannot read " + e.getMessage());
        }
        int latency = Apm.CHAIN_LATENCY_MS * RATE / 1000;
        int inFrames = (mic.length + FRAME - 1) / FRAME;
        int total = inFrames + (latency + FRAME - 1) / FRAME;   // flush the chain's delay
        float[] mic0 = mic;
        float[] far0 = far;
        Sinks.Many<float[]> farSink = Sinks.many().multicast().directBestEffort();
        Flux<float[]> capture = Flux.range(0, total).map(i -> {
            farSink.tryEmitNext(slice(far0, i));   // the far end of these 10 ms, in step with the capture
            return slice(mic0, i);
        });
        // output frame j holds the input of j * FRAME - latency onwards: keep only what aligns with IN
        float[] y = new float[mic.length];
        float[] probability = new float[total];
        boolean[] talking = new boolean[total];
        int[] next = {0};
        capture.transform(Apm.chain(Flux.just(config), farSink.asFlux(), Flux.just(Duration.ofMillis(delayMs))))
                .doOnNext(f -> {
                    int j = next[0]++;
                    int from = j * FRAME - latency;
                    float[] s = f.samples();
                    for (int k = Math.max(0, -from); k < FRAME && from + k < y.length; k++) {
                        y[from + k] = s[k];
                    }
                    probability[j] = Float.isNaN(f.speechProbability()) ? (f.talking() ? 1f : 0f) : f.speechProbability();
                    talking[j] = f.talking();
                })
                .blockLast();
        try {
            WavFile.write(out, AudioFormat.of(RATE, 1), y, WavEncoding.FLOAT32);
        } catch (IOException e) {
            return bad("cannot write " + out + ": " + reason(e));
        }
        if (labels != null) {
            // the analysis of output frame j describes the input delayed by the chain latency (4.6 frames)
            int shift = (latency + FRAME / 2) / FRAME;
            try (BufferedWriter w = Files.newBufferedWriter(labels)) {
                for (int i = 0; i < inFrames; i++) {
                    int j = Math.min(i + shift, total - 1);
                    w.write(String.format(Locale.ROOT, "%d %.4f %d%n", i, probability[j], talking[j] ? 1 : 0));
                }
            } catch (IOException e) {
                return bad("cannot write " + labels + ": " + reason(e));
            }
        }
        return 0;
    }

    private static float[] slice(float[] x, int frame) {
        float[] f = new float[FRAME];
        if (x != null) {
            int from = frame * FRAME;
            int n = Math.max(0, Math.min(FRAME, x.length - from));
            if (n > 0) {
                System.arraycopy(x, from, f, 0, n);
            }
        }
        return f;
    }

    private static float[] mono48k(AudioClip clip) {
        float[] s = Frames.convertChannels(clip.samples(), clip.format().channels(), 1);
        if (clip.format().sampleRate() == RATE) {
            return s;
        }
        return Resampler.resample(s, AudioFormat.of(clip.format().sampleRate(), 1), RATE);
    }

    private static String reason(IOException e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such directory";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        return e.getMessage();
    }

    private int bad(String message) {
        spec.commandLine().getErr().println("odin apm: " + message);
        return OdinCli.EXIT_BAD_INPUT;
    }
}

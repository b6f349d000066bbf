package dev.odinreactive.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.odinreactive.audio.AudioClip;
import dev.odinreactive.audio.AudioFormat;
import dev.odinreactive.audio.io.WavEncoding;
import dev.odinreactive.audio.io.WavFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code odin apm}, run in-process. */
class ApmCommandTest {
    @TempDir
    Path dir;

    private static float[] tone(int rate, double hz, int samples) {
        float[] x = new float[samples];
        Random r = new Random(1);
        for (int i = 0; i < samples; i++) {
            x[i] = (float) (0.1 * Math.sin(2 * Math.PI * hz * i / rate) + 0.001 * r.nextGaussian());
        }
        return x;
    }

    @Test
    void processesAFileToAnAlignedFileOfTheSameLengthWithLabels() throws Exception {
        Path in = dir.resolve("in.wav"), out = dir.resolve("out.wav"), labels = dir.resolve("vad.txt");
        float[] x = tone(48000, 1000, 48000 + 123);
        WavFile.write(in, AudioFormat.of(48000, 1), x, WavEncoding.PCM16);
        var run = TokenCommandsTest.odin("apm", in.toString(), out.toString(), "--hpf",
                "--vad-labels", labels.toString(), "--gate", "--gate-attack", "-35", "--gate-release", "-45");
        assertThat(run.exit()).as(run.err()).isZero();
        AudioClip y = WavFile.read(out);
        assertThat(y.format()).isEqualTo(AudioFormat.of(48000, 1));
        assertThat(y.samples()).hasSize(x.length);
        // aligned: the 1 kHz tone passes the high-pass unchanged, sample for sample, once settled
        double err = 0, pow = 0;
        for (int i = 24000; i < 47000; i++) {
            err += Math.pow(y.samples()[i] - x[i], 2);
            pow += x[i] * x[i];
        }
        assertThat(10 * Math.log10(pow / err)).isGreaterThan(10);
        List<String> lines = Files.readAllLines(labels);
        assertThat(lines).hasSize(101);
        assertThat(lines.get(0)).matches("0 [01]\\.\\d{4} [01]");
        assertThat(lines.get(50)).endsWith(" 1");   // a -23 dBFS tone opens the -35 dBFS gate (no VAD asked)
        var withVad = TokenCommandsTest.odin("apm", in.toString(), out.toString(), "--vad", "--vad-labels", labels.toString());
        assertThat(withVad.exit()).as(withVad.err()).isZero();
        assertThat(Files.readAllLines(labels)).hasSize(101).allMatch(l -> l.matches("\\d+ [01]\\.\\d{4} [01]"));
    }

    @Test
    void resamplesOtherRatesAndDownmixes() throws Exception {
        Path in = dir.resolve("in16k.wav"), out = dir.resolve("out.wav"), far = dir.resolve("far.wav");
        float[] mono = tone(16000, 300, 16000);
        float[] stereo = new float[mono.length * 2];
        for (int i = 0; i < mono.length; i++) {
            stereo[2 * i] = mono[i];
            stereo[2 * i + 1] = mono[i];
        }
        WavFile.write(in, AudioFormat.of(16000, 2), stereo, WavEncoding.PCM16);
        WavFile.write(far, AudioFormat.of(16000, 1), tone(16000, 500, 16000), WavEncoding.PCM16);
        var run = TokenCommandsTest.odin("apm", in.toString(), out.toString(), "--aec", "--reverse", far.toString(),
                "--delay-ms", "40", "--agc", "--transient", "--preamp", "--ns", "high");
        assertThat(run.exit()).as(run.err()).isZero();
        AudioClip y = WavFile.read(out);
        assertThat(y.format()).isEqualTo(AudioFormat.of(48000, 1));
        assertThat(y.samples().length).isBetween(47990, 48010);
    }

    @Test
    void badInputExitsWithTwoAndOneLine() throws Exception {
        Path junk = dir.resolve("junk.wav");
        Files.writeString(junk, "not a wav file at all");
        var run = TokenCommandsTest.odin("apm", junk.toString(), dir.resolve("o.wav").toString());
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).startsWith("odin apm: ");
        assertThat(Files.exists(dir.resolve("o.wav"))).isFalse();
        Path in = dir.resolve("in.wav");
        WavFile.write(in, AudioFormat.of(48000, 1), new float[4800], WavEncoding.PCM16);
        var badNs = TokenCommandsTest.odin("apm", in.toString(), dir.resolve("o.wav").toString(), "--ns", "loud");
        assertThat(badNs.exit()).isEqualTo(2);
        assertThat(badNs.err()).contains("--ns must be");
        var badVad = TokenCommandsTest.odin("apm", in.toString(), dir.resolve("o.wav").toString(),
                "--vad", "--vad-attack", "0.5", "--vad-release", "0.7");
        assertThat(badVad.exit()).isEqualTo(2);
        assertThat(badVad.err()).contains("above attack");
    }

    @Test
    void aecWithoutReverseIsASilentFarEndAndLeavesTheInputAligned() throws Exception {
        Path in = dir.resolve("in.wav"), out = dir.resolve("out.wav");
        float[] x = tone(48000, 700, 48000 - 77);
        WavFile.write(in, AudioFormat.of(48000, 1), x, WavEncoding.FLOAT32);
        var run = TokenCommandsTest.odin("apm", in.toString(), out.toString(), "--aec");
        assertThat(run.exit()).as(run.err()).isZero();
        float[] y = WavFile.read(out).samples();
        assertThat(y).hasSize(x.length);
        // nothing to cancel: the output is the input, sample for sample (STFT round trip only)
        for (int i = 0; i < x.length; i++) {
            assertThat(y[i]).as("sample %d", i).isCloseTo(x[i], org.assertj.core.api.Assertions.within(1e-5f));
        }
    }

    @Test
    void unsupportedRatesAndUnwritableOutputsAreOneLineErrors() throws Exception {
        Path low = dir.resolve("low.wav");
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(44 + 800).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(36 + 800).put("WAVEfmt ".getBytes()).putInt(16).putShort((short) 1)
                .putShort((short) 1).putInt(4000).putInt(8000).putShort((short) 2).putShort((short) 16)
                .put("data".getBytes()).putInt(800);
        Files.write(low, b.array());
        var lowRate = TokenCommandsTest.odin("apm", low.toString(), dir.resolve("o.wav").toString());
        assertThat(lowRate.exit()).isEqualTo(2);
        assertThat(lowRate.err().strip()).startsWith("odin apm: ").contains("4000 Hz").doesNotContain("\n");

        Path in = dir.resolve("in.wav");
        WavFile.write(in, AudioFormat.of(48000, 1), tone(48000, 440, 4800), WavEncoding.PCM16);
        Path nowhere = dir.resolve("no-such-dir").resolve("o.wav");
        var unwritable = TokenCommandsTest.odin("apm", in.toString(), nowhere.toString(), "--hpf");
        assertThat(unwritable.exit()).isEqualTo(2);
        assertThat(unwritable.err().strip()).isEqualTo("odin apm: cannot write " + nowhere + ": no such directory");
        var labels = TokenCommandsTest.odin("apm", in.toString(), dir.resolve("o.wav").toString(), "--vad",
                "--vad-labels", nowhere.toString());
        assertThat(labels.exit()).isEqualTo(2);
        assertThat(labels.err().strip()).isEqualTo("odin apm: cannot write " + nowhere + ": no such directory");
        var unknown = TokenCommandsTest.odin("apm", in.toString(), dir.resolve("o.wav").toString(), "--denoise");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("--denoise");
    }
}

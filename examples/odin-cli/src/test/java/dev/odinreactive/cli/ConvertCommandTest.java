package dev.odinreactive.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.odinreactive.audio.AudioClip;
import dev.odinreactive.audio.AudioFormat;
import dev.odinreactive.audio.io.OggOpusFile;
import dev.odinreactive.audio.io.WavEncoding;
import dev.odinreactive.audio.io.WavFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code odin convert}, run in-process. */
class ConvertCommandTest {
    @TempDir
    Path dir;

    static float[] tone(int rate, int channels, double hz, int samples) {
        float[] x = new float[samples * channels];
        for (int i = 0; i < samples; i++) {
            for (int c = 0; c < channels; c++) {
                x[i * channels + c] = (float) (0.3 * Math.sin(2 * Math.PI * hz * i / rate));
            }
        }
        return x;
    }

    static double amplitude(float[] x, int channels, int rate, double hz) {
        double s = 0, c = 0;
        int n = x.length / channels, from = n / 10, to = n - n / 10;
        for (int i = from; i < to; i++) {
            s += x[i * channels] * Math.sin(2 * Math.PI * hz * i / rate);
            c += x[i * channels] * Math.cos(2 * Math.PI * hz * i / rate);
        }
        return 2 * Math.hypot(s, c) / (to - from);
    }

    @Test
    void wavToOpusToWavWithResamplingAndChannels() throws Exception {
        Path wav = dir.resolve("in.wav"), opus = dir.resolve("mid.opus"), back = dir.resolve("back.wav");
        WavFile.write(wav, AudioFormat.of(44_100, 1), tone(44_100, 1, 440, 44_100), WavEncoding.PCM16);

        var toOpus = TokenCommandsTest.odin("convert", wav.toString(), opus.toString(), "--channels", "2",
                "--bitrate", "96000");
        assertThat(toOpus.exit()).as(toOpus.err()).isZero();
        assertThat(OggOpusFile.head(opus).channels()).isEqualTo(2);
        assertThat(OggOpusFile.head(opus).inputSampleRate()).isEqualTo(48_000);

        var toWav = TokenCommandsTest.odin("convert", opus.toString(), back.toString(), "--rate", "16000",
                "--channels", "1");
        assertThat(toWav.exit()).as(toWav.err()).isZero();
        AudioClip y = WavFile.read(back);
        assertThat(y.format()).isEqualTo(AudioFormat.of(16_000, 1));
        assertThat(y.samples().length).isBetween(16_000 - 2, 16_000 + 2);
        assertThat(amplitude(y.samples(), 1, 16_000, 440)).isBetween(0.27, 0.33);
    }

    @Test
    void badFilesAndOptionsExitWith2AndOneLine() throws Exception {
        Path junk = dir.resolve("junk.wav");
        Files.writeString(junk, "not audio at all, sorry");
        var r = TokenCommandsTest.odin("convert", junk.toString(), dir.resolve("o.opus").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().strip()).startsWith("odin convert: ").contains("not a WAV file").doesNotContain("\n");

        Path wav = dir.resolve("ok.wav");
        WavFile.write(wav, AudioFormat.of(48_000, 1), new float[960], WavEncoding.PCM16);
        var badRate = TokenCommandsTest.odin("convert", wav.toString(), dir.resolve("o.opus").toString(), "--rate", "44100");
        assertThat(badRate.exit()).isEqualTo(2);
        assertThat(badRate.err()).contains("44100");
        var badExt = TokenCommandsTest.odin("convert", wav.toString(), dir.resolve("o.mp3").toString());
        assertThat(badExt.exit()).isEqualTo(2);
        assertThat(badExt.err()).contains("unknown file type");
        var missing = TokenCommandsTest.odin("convert", dir.resolve("nope.opus").toString(), dir.resolve("o.wav").toString());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("no such file");
    }
}

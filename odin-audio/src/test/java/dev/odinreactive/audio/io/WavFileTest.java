package dev.odinreactive.audio.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import dev.odinreactive.audio.AudioClip;
import dev.odinreactive.audio.AudioFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

class WavFileTest {
    @TempDir
    Path dir;

    static float[] sine(AudioFormat fmt, double hz, int n) {
        float[] s = new float[n * fmt.channels()];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < fmt.channels(); c++) {
                s[i * fmt.channels() + c] = (float) (0.5 * Math.sin(2 * Math.PI * hz * i / fmt.sampleRate() + c));
            }
        }
        return s;
    }

    @Test
    void float32RoundTripIsExact() throws IOException {
        AudioFormat fmt = AudioFormat.of(44_100, 2);
        float[] s = sine(fmt, 440, 4410);
        Path f = dir.resolve("a.wav");
        WavFile.write(f, fmt, s, WavEncoding.FLOAT32);
        AudioClip clip = WavFile.read(f);
        assertThat(clip.format()).isEqualTo(fmt);
        assertThat(clip.samples()).containsExactly(s);
        assertThat(Files.size(f)).isEqualTo(44 + 4L * s.length);
    }

    @Test
    void pcm16RoundTripWithinHalfLsb() throws IOException {
        AudioFormat fmt = AudioFormat.of(16_000, 1);
        float[] s = sine(fmt, 1000, 1600);
        s[3] = 1.5f; // clamps
        s[4] = -1.5f;
        Path f = dir.resolve("b.wav");
        WavFile.write(f, fmt, s, WavEncoding.PCM16);
        AudioClip clip = WavFile.read(f);
        assertThat(clip.format()).isEqualTo(fmt);
        assertThat(clip.samples()).hasSize(s.length);
        for (int i = 5; i < s.length; i++) {
            assertThat(Math.abs(clip.samples()[i] - s[i])).isLessThanOrEqualTo(0.5f / 32768f + 1e-7f);
        }
        assertThat(clip.samples()[3]).isEqualTo(32767f / 32768f);
        assertThat(clip.samples()[4]).isEqualTo(-1f);
    }

    @Test
    void fluxSourceAndSinkStream() throws IOException {
        AudioFormat fmt = AudioFormat.of(48_000, 1);
        float[] s = sine(fmt, 300, 48_000 / 50 * 5 + 17);
        Path f = dir.resolve("c.wav");
        WavFile.write(f, fmt, s, WavEncoding.FLOAT32);

        Path copy = dir.resolve("copy.wav");
        StepVerifier.create(WavFile.frames(f, 20).as(WavFile.sink(copy, fmt, WavEncoding.FLOAT32)))
                .expectNext(960L * 6).verifyComplete();
        float[] back = WavFile.read(copy).samples();
        assertThat(Arrays.copyOf(back, s.length)).containsExactly(s);
        assertThat(Arrays.copyOfRange(back, s.length, back.length)).containsOnly(0f);
    }

    @Test
    void sinkWritesValidFileWhenInputFails() throws IOException {
        Path f = dir.resolve("d.wav");
        StepVerifier.create(Flux.concat(Flux.just(new float[960]), Flux.error(new IllegalStateException("boom")))
                        .as(WavFile.sink(f, AudioFormat.OPUS_MONO, WavEncoding.PCM16)))
                .expectErrorMessage("boom").verify();
        assertThat(WavFile.read(f).samples()).hasSize(960);
    }

    @Test
    void badFilesGiveTypedClearErrors() throws IOException {
        Path junk = dir.resolve("junk.wav");
        Files.write(junk, "hello world, not audio".getBytes());
        assertThatThrownBy(() -> WavFile.read(junk)).isInstanceOf(AudioFileException.class)
                .hasMessageContaining("not a WAV file");
        assertThatThrownBy(() -> WavFile.read(dir.resolve("missing.wav"))).isInstanceOf(AudioFileException.class)
                .hasMessageContaining("no such file");

        // a valid header declaring 6 channels
        ByteBuffer h = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
        h.putInt(0x46464952).putInt(36).putInt(0x45564157).putInt(0x20746d66).putInt(16)
                .putShort((short) 1).putShort((short) 6).putInt(48_000).putInt(48_000 * 12)
                .putShort((short) 12).putShort((short) 16).putInt(0x61746164).putInt(0);
        Path six = dir.resolve("six.wav");
        Files.write(six, h.array());
        assertThatThrownBy(() -> WavFile.read(six)).isInstanceOf(AudioFileException.class)
                .hasMessageContaining("channel count 6");

        Path noData = dir.resolve("nodata.wav");
        Files.write(noData, Arrays.copyOf(h.array(), 36));
        assertThatThrownBy(() -> WavFile.read(noData)).isInstanceOf(AudioFileException.class);

        StepVerifier.create(WavFile.frames(junk, 20)).expectError(AudioFileException.class).verify();
    }
}

package dev.odinreactive.audio.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.odinreactive.audio.AudioClip;
import dev.odinreactive.audio.AudioFormat;
import dev.odinreactive.audio.AudioFormatException;
import dev.odinreactive.audio.Signals;
import dev.odinreactive.audio.opus.OpusConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/**
 * Ogg Opus round trips and interop with Debian's opus-tools ({@code opusinfo}, {@code opusdec},
 * {@code opusenc}); those tests fail with an install hint if opus-tools is missing.
 */
class OggOpusFileTest {
    @TempDir
    Path dir;

    /** Like opusenc's defaults (CELT/hybrid at 64 kbit/s), for a waveform comparison. */
    static final OpusConfig HIGH = OpusConfig.defaults().withApplication(dev.odinreactive.audio.opus.OpusApplication.AUDIO)
            .withBitrate(64_000);

    private static void report(String what, float[] ref, float[] out) {
        report(what, ref, out, 0.95, 10);
    }

    private static void report(String what, float[] ref, float[] out, double minCorr, double minSnr) {
        int lag = Signals.bestLag(out, ref, 400);
        double corr = Signals.correlation(out, ref, lag);
        double snr = Signals.snrDbAtLag(ref, out, lag);
        System.out.printf("%s: lengths %d/%d, best lag %d, correlation %.4f, SNR %.1f dB (at lag 0: %.4f, %.1f dB)%n",
                what, ref.length, out.length, lag, corr, snr, Signals.correlation(out, ref, 0),
                Signals.snrDbAtLag(ref, out, 0));
        // pre-skip 312 is libopus' look-ahead; Concentus' SILK path is a few samples shorter
        assertThat(Math.abs(lag)).isLessThanOrEqualTo(8);
        assertThat(corr).isGreaterThan(minCorr);
        assertThat(snr).isGreaterThan(minSnr);
    }

    @Test
    void ourFileIsAcceptedByOpusinfoAndDecodedByOpusdec() throws Exception {
        float[] src = Signals.speechLike(48_000, 48_000 * 2 + 123);
        Path ours = dir.resolve("ours.opus");
        OggOpusFile.write(ours, new AudioClip(AudioFormat.OPUS_MONO, src), HIGH);

        String info = Signals.run("opusinfo", ours.toString());
        assertThat(info).contains("Opus stream 1").contains("Pre-skip: 312").doesNotContain("WARNING")
                .doesNotContain("ERROR");

        Path wav = dir.resolve("opusdec.wav");
        Signals.run("opusdec", "--quiet", ours.toString(), wav.toString());
        AudioClip dec = WavFile.read(wav);
        assertThat(dec.format()).isEqualTo(AudioFormat.OPUS_MONO);
        assertThat(dec.samples().length).isEqualTo(src.length); // pre-skip and end trimming honoured
        report("ours -> opusdec", src, dec.samples());

        AudioClip mine = OggOpusFile.read(ours);
        assertThat(mine.samples().length).isEqualTo(src.length);
        report("ours -> odin-audio", src, mine.samples());
    }

    @Test
    void odinDefaultVoipFileIsAcceptedByOpusTools() throws Exception {
        float[] src = Signals.speechLike(48_000, 48_000 + 500);
        Path ours = dir.resolve("voip.opus");
        OggOpusFile.write(ours, new AudioClip(AudioFormat.OPUS_MONO, src), OpusConfig.defaults());
        assertThat(Signals.run("opusinfo", ours.toString())).doesNotContain("WARNING").doesNotContain("ERROR");
        Path wav = dir.resolve("voip.wav");
        Signals.run("opusdec", "--quiet", ours.toString(), wav.toString());
        float[] dec = WavFile.read(wav).samples();
        assertThat(dec.length).isEqualTo(src.length);
        // SILK (VOIP, 32 kbit/s) keeps the sound, not the exact waveform: lower bar than CELT
        report("ours (ODIN defaults, VOIP 32 kbit/s) -> opusdec", src, dec, 0.85, 5);
    }

    @Test
    void opusencFileIsDecodedByUs() throws Exception {
        float[] src = Signals.speechLike(48_000, 48_000 * 2 + 77);
        Path wav = dir.resolve("src.wav");
        WavFile.write(wav, AudioFormat.OPUS_MONO, src, WavEncoding.PCM16);
        Path theirs = dir.resolve("theirs.opus");
        Signals.run("opusenc", "--quiet", "--bitrate", "64", wav.toString(), theirs.toString());

        OggOpusHead head = OggOpusFile.head(theirs);
        assertThat(head.channels()).isEqualTo(1);
        assertThat(head.inputSampleRate()).isEqualTo(48_000);
        assertThat(head.vendor()).containsIgnoringCase("opus");
        AudioClip ours = OggOpusFile.read(theirs);
        assertThat(ours.format()).isEqualTo(AudioFormat.OPUS_MONO);
        assertThat(ours.samples().length).isEqualTo(src.length);
        report("opusenc -> odin-audio", src, ours.samples());

        Path ref = dir.resolve("ref.wav");
        Signals.run("opusdec", "--quiet", theirs.toString(), ref.toString());
        float[] refDec = WavFile.read(ref).samples();
        double agreement = Signals.snrDb(refDec, ours.samples(), 0, refDec.length);
        System.out.printf("opusenc file: odin-audio vs opusdec decode agreement %.1f dB%n", agreement);
        assertThat(agreement).isGreaterThan(30);
    }

    @Test
    void stereoRoundTripAndFluxForms() throws IOException {
        AudioFormat st = AudioFormat.OPUS_STEREO;
        OpusConfig cfg = OpusConfig.defaults().withChannels(2).withBitrate(96_000);
        float[] mono = Signals.speechLike(48_000, 30_000);
        float[] src = new float[60_000];
        for (int i = 0; i < mono.length; i++) {
            src[2 * i] = mono[i];
            src[2 * i + 1] = -mono[i];
        }
        Path f = dir.resolve("st.opus");
        // sink accepts any chunking
        StepVerifier.create(Flux.range(0, 60).map(i -> java.util.Arrays.copyOfRange(src, i * 1000, i * 1000 + 1000))
                        .as(OggOpusFile.sink(f, cfg)))
                .expectNext(30_000L).verifyComplete();
        AudioClip back = OggOpusFile.read(f);
        assertThat(back.format()).isEqualTo(st);
        assertThat(back.samples().length).isEqualTo(src.length);
        float[] left = Signals.channel(back.samples(), 2, 0);
        int lag = Signals.bestLag(left, mono, 400);
        System.out.printf("stereo ours -> odin-audio: lag %d, L correlation %.4f%n", lag, Signals.correlation(left, mono, lag));
        assertThat(Math.abs(lag)).isLessThanOrEqualTo(8);
        assertThat(Signals.correlation(left, mono, lag)).isGreaterThan(0.9);
        assertThat(Signals.correlation(Signals.channel(back.samples(), 2, 1), mono, lag)).isLessThan(-0.9);

        StepVerifier.create(OggOpusFile.frames(f))
                .expectNextCount(31) // 30 000 samples = 31.25 frames of 960, last one padded
                .assertNext(last -> assertThat(last).hasSize(1920))
                .verifyComplete();
    }

    @Test
    void badFilesGiveTypedClearErrors() throws IOException {
        Path junk = dir.resolve("junk.opus");
        Files.write(junk, "definitely not an ogg file, just some text".getBytes());
        assertThatThrownBy(() -> OggOpusFile.read(junk)).isInstanceOf(AudioFileException.class)
                .hasMessageContaining("not an Ogg page");

        Path good = dir.resolve("good.opus");
        OggOpusFile.write(good, new AudioClip(AudioFormat.OPUS_MONO, Signals.speechLike(48_000, 9600)),
                OpusConfig.defaults());
        byte[] bytes = Files.readAllBytes(good);
        bytes[bytes.length - 10] ^= 0x55;
        Path corrupt = dir.resolve("corrupt.opus");
        Files.write(corrupt, bytes);
        assertThatThrownBy(() -> OggOpusFile.read(corrupt)).isInstanceOf(AudioFileException.class)
                .hasMessageContaining("bad CRC");

        Path truncated = dir.resolve("trunc.opus");
        Files.write(truncated, java.util.Arrays.copyOf(Files.readAllBytes(good), 40));
        assertThatThrownBy(() -> OggOpusFile.read(truncated)).isInstanceOf(AudioFileException.class)
                .hasMessageContaining("truncated");

        Path wav = dir.resolve("a.wav");
        WavFile.write(wav, AudioFormat.OPUS_MONO, new float[960], WavEncoding.PCM16);
        assertThatThrownBy(() -> OggOpusFile.read(wav)).isInstanceOf(AudioFileException.class);

        assertThatThrownBy(() -> OggOpusFile.write(dir.resolve("x.opus"),
                new AudioClip(AudioFormat.of(44_100, 1), new float[441]), OpusConfig.defaults()))
                .isInstanceOf(AudioFormatException.class).hasMessageContaining("44100");
        StepVerifier.create(OggOpusFile.frames(junk)).expectError(AudioFileException.class).verify();
    }

    @Test
    void readsAWholeStreamLikeTheFileAndLeavesItOpen() throws IOException {
        Path f = dir.resolve("stream.opus");
        OggOpusFile.write(f, new AudioClip(AudioFormat.OPUS_MONO, Signals.speechLike(48_000, 48_000 + 321)),
                OpusConfig.defaults());
        byte[] bytes = Files.readAllBytes(f);
        boolean[] closed = {false};
        java.io.InputStream in = new java.io.ByteArrayInputStream(bytes) {
            @Override
            public void close() {
                closed[0] = true;
            }
        };
        AudioClip fromStream = OggOpusFile.read(in);
        AudioClip fromFile = OggOpusFile.read(f);
        assertThat(fromStream.format()).isEqualTo(AudioFormat.OPUS_MONO);
        assertThat(fromStream.samples()).hasSize(48_000 + 321).containsExactly(fromFile.samples());
        assertThat(closed[0]).as("the caller's stream is left open").isFalse();

        assertThatThrownBy(() -> OggOpusFile.read(new java.io.ByteArrayInputStream(
                java.util.Arrays.copyOf(bytes, bytes.length / 2))))
                .isInstanceOf(AudioFileException.class).hasMessageContaining("truncated Ogg page");
        assertThatThrownBy(() -> OggOpusFile.read(new java.io.ByteArrayInputStream("garbage: plain text that is longer than an Ogg page header".getBytes())))
                .isInstanceOf(AudioFileException.class).hasMessage("not an Ogg page (no OggS capture pattern)");
        assertThatThrownBy(() -> OggOpusFile.read(new java.io.ByteArrayInputStream(new byte[0])))
                .isInstanceOf(AudioFileException.class).hasMessageContaining("empty");
    }
}

package dev.odinreactive.audio.opus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.odinreactive.audio.AudioFormat;
import dev.odinreactive.audio.AudioFormatException;
import dev.odinreactive.audio.Signals;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

class OpusCodecTest {

    @Test
    void defaultsAreOdins() {
        OpusConfig c = OpusConfig.defaults();
        assertThat(c).isEqualTo(new OpusConfig(48_000, 1, 20, OpusApplication.VOIP, 32_000, true, true, 15, 10));
        assertThat(c.frameLength()).isEqualTo(960);
        assertThat(c.withChannels(2).frameLength()).isEqualTo(1920);
        assertThatThrownBy(() -> c.withSampleRate(44_100)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("44100");
        assertThatThrownBy(() -> c.withBitrate(1000)).hasMessageContaining("bitrate");
        assertThatThrownBy(() -> c.withFrameMillis(25)).hasMessageContaining("25");
    }

    static List<float[]> frames(float[] s, int len) {
        List<float[]> out = new ArrayList<>();
        for (int i = 0; i + len <= s.length; i += len) {
            out.add(Arrays.copyOfRange(s, i, i + len));
        }
        return out;
    }

    static float[] concat(List<float[]> parts) {
        int n = parts.stream().mapToInt(p -> p.length).sum();
        float[] out = new float[n];
        int off = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, out, off, p.length);
            off += p.length;
        }
        return out;
    }

    @Test
    void monoRoundTripMatchesSource() {
        float[] src = Signals.speechLike(48_000, 48_000);
        List<float[]> decoded = Flux.fromIterable(frames(src, 960))
                .transform(OpusEncoder.encoding(OpusConfig.defaults()))
                .transform(OpusDecoder.decoding(AudioFormat.OPUS_MONO))
                .collectList().block();
        assertThat(decoded).hasSize(50).allSatisfy(f -> assertThat(f).hasSize(960));
        float[] out = concat(decoded);
        int lag = Signals.bestLag(out, src, 600);
        double corr = Signals.correlation(out, src, lag);
        System.out.printf("opus mono 32k round trip: lag %d, correlation %.4f%n", lag, corr);
        assertThat(corr).isGreaterThan(0.9);
    }

    @Test
    void stereoKeepsChannelsApart() {
        OpusConfig cfg = OpusConfig.defaults().withChannels(2).withApplication(OpusApplication.AUDIO)
                .withBitrate(96_000).withFec(false, 0);
        float[] l = Signals.sine(AudioFormat.OPUS_MONO, 440, 0.4, 24_000);
        float[] r = Signals.sine(AudioFormat.OPUS_MONO, 1250, 0.4, 24_000);
        float[] src = new float[48_000];
        for (int i = 0; i < 24_000; i++) {
            src[2 * i] = l[i];
            src[2 * i + 1] = r[i];
        }
        OpusEncoder enc = new OpusEncoder(cfg);
        OpusDecoder dec = new OpusDecoder(AudioFormat.OPUS_STEREO);
        List<float[]> out = new ArrayList<>();
        for (float[] f : frames(src, 1920)) {
            out.add(dec.decode(enc.encode(f)));
        }
        float[] all = concat(out);
        float[] outL = Signals.channel(all, 2, 0);
        float[] outR = Signals.channel(all, 2, 1);
        assertThat(amplitude(outL, 440)).isCloseTo(0.4, org.assertj.core.api.Assertions.within(0.02));
        assertThat(amplitude(outR, 1250)).isCloseTo(0.4, org.assertj.core.api.Assertions.within(0.02));
        assertThat(amplitude(outL, 1250)).isLessThan(0.01);
        assertThat(amplitude(outR, 440)).isLessThan(0.01);
    }

    /** Amplitude of the {@code hz} component (48 kHz), skipping the first 100 ms. */
    static double amplitude(float[] x, double hz) {
        double s = 0, c = 0;
        int from = 4800;
        for (int i = from; i < x.length; i++) {
            s += x[i] * Math.sin(2 * Math.PI * hz * i / 48_000);
            c += x[i] * Math.cos(2 * Math.PI * hz * i / 48_000);
        }
        return 2 * Math.hypot(s, c) / (x.length - from);
    }

    @Test
    void dtxShrinksSilence() {
        OpusEncoder enc = OpusEncoder.createDefault();
        int last = 0;
        for (int i = 0; i < 30; i++) {
            last = enc.encode(new float[960], new byte[OpusEncoder.MAX_PACKET], 0);
        }
        assertThat(last).isLessThanOrEqualTo(3);
        OpusEncoder noDtx = new OpusEncoder(OpusConfig.defaults().withDtx(false));
        for (int i = 0; i < 30; i++) {
            last = noDtx.encode(new float[960], new byte[OpusEncoder.MAX_PACKET], 0);
        }
        assertThat(last).isGreaterThan(3);
    }

    @Test
    void fecRecoversALostFrameBetterThanConcealment() {
        float[] src = Signals.speechLike(48_000, 48_000);
        OpusEncoder enc = OpusEncoder.createDefault();
        List<byte[]> packets = new ArrayList<>();
        for (float[] f : frames(src, 960)) {
            packets.add(enc.encode(f));
        }
        OpusDecoder reference = OpusDecoder.createDefault();
        List<float[]> clean = new ArrayList<>();
        for (byte[] p : packets) {
            clean.add(reference.decode(p));
        }
        double fecWins = 0;
        int trials = 0;
        for (int lost = 10; lost < 45; lost += 7) {
            float[] plc = decodeWithLoss(packets, lost, false);
            float[] fec = decodeWithLoss(packets, lost, true);
            double snrPlc = Signals.snrDb(clean.get(lost), plc, 0, 960);
            double snrFec = Signals.snrDb(clean.get(lost), fec, 0, 960);
            System.out.printf("lost frame %d: PLC %.1f dB, FEC %.1f dB%n", lost, snrPlc, snrFec);
            fecWins += snrFec > snrPlc + 1 ? 1 : 0;
            trials++;
        }
        assertThat(fecWins).isGreaterThanOrEqualTo(trials - 1);
    }

    private static float[] decodeWithLoss(List<byte[]> packets, int lost, boolean useFec) {
        OpusDecoder dec = OpusDecoder.createDefault();
        float[] buf = new float[dec.maxFrameLength()];
        for (int i = 0; i < lost; i++) {
            dec.decode(packets.get(i), 0, packets.get(i).length, buf);
        }
        int n;
        if (useFec) {
            byte[] next = packets.get(lost + 1);
            n = dec.recover(next, 0, next.length, buf, 960);
        } else {
            n = dec.conceal(buf, 960);
        }
        assertThat(n).isEqualTo(960);
        return Arrays.copyOf(buf, 960);
    }

    @Test
    void concealmentContinuesThenFades() {
        float[] src = Signals.speechLike(48_000, 9600);
        OpusEncoder enc = OpusEncoder.createDefault();
        OpusDecoder dec = OpusDecoder.createDefault();
        for (float[] f : frames(src, 960)) {
            dec.decode(enc.encode(f));
        }
        float[] buf = new float[960];
        assertThat(dec.conceal(buf, 960)).isEqualTo(960);
        double first = Signals.energy(buf, 0, 960);
        for (int i = 0; i < 10; i++) {
            dec.conceal(buf, 960);
        }
        double later = Signals.energy(buf, 0, 960);
        assertThat(first).isGreaterThan(1e-3);
        assertThat(later).isLessThan(first / 10);
    }

    /**
     * Concentus's SILK PLC falls to about -66 dBFS within 10 ms after the quieter, inactive/unvoiced
     * frames of speech (libopus 1.3.1 holds the level on the same packets), and those frames carry
     * no LBRR, so recover() falls back to that PLC: the second frame of a double loss went silent.
     * Double losses every 7 frames (all phases of the 4 Hz syllables), LocalMedia's encoder settings;
     * the second lost frame alternately concealed and "recovered" from the next packet.
     */
    @Test
    void aDoubleLossNeverGoesSilent() {
        float[] src = Signals.voice(5, 140);
        OpusEncoder enc = new OpusEncoder(OpusConfig.defaults().withComplexity(3).withFec(true, 10));
        List<byte[]> packets = new ArrayList<>();
        for (float[] f : frames(src, 960)) {
            packets.add(enc.encode(f));
        }
        OpusDecoder dec = OpusDecoder.createDefault();
        float[] buf = new float[dec.maxFrameLength()];
        int concealed = 0;
        List<Integer> silent = new ArrayList<>();
        for (int i = 0; i < packets.size(); i++) {
            int pos = i % 7;
            if (i >= 10 && i + 1 < packets.size() && (pos == 3 || pos == 4)) {
                if (pos == 3 || i / 7 % 2 == 0) {
                    dec.conceal(buf, 960);
                } else {
                    byte[] next = packets.get(i + 1);
                    dec.recover(next, 0, next.length, buf, 960);
                }
                concealed++;
                if (Signals.rms(Arrays.copyOf(buf, 960)) < 0.001) { // -60 dBFS; the signal's quietest frame is ~0.02
                    silent.add(i);
                }
            } else {
                dec.decode(packets.get(i), 0, packets.get(i).length, buf);
            }
        }
        assertThat(concealed).isEqualTo(69);
        assertThat(silent).as("lost frames played as silence").isEmpty();
    }

    @Test
    void badInputIsRejectedClearly() {
        OpusEncoder enc = OpusEncoder.createDefault();
        assertThatThrownBy(() -> enc.encode(new float[100])).isInstanceOf(AudioFormatException.class)
                .hasMessageContaining("960");
        byte[] garbage = {(byte) 0xff, (byte) 0xff, 1, 2, 3};
        assertThat(OpusDecoder.packetSamples(garbage, 0, garbage.length, 48_000)).isEqualTo(-1);
        assertThat(OpusDecoder.packetSamples(new byte[0], 0, 0, 48_000)).isEqualTo(-1);
        byte[] good = enc.encode(new float[960]);
        assertThat(OpusDecoder.packetSamples(good, 0, good.length, 48_000)).isEqualTo(960);
        OpusDecoder dec = OpusDecoder.createDefault();
        assertThatThrownBy(() -> dec.decode(garbage)).isInstanceOf(OpusCodecException.class)
                .hasMessageContaining("corrupt Opus packet");
        assertThatThrownBy(() -> new OpusDecoder(AudioFormat.of(44_100, 1))).isInstanceOf(OpusCodecException.class);
        StepVerifier.create(Flux.just(garbage).transform(OpusDecoder.decoding(AudioFormat.OPUS_MONO)))
                .expectError(OpusCodecException.class).verify();
    }
}

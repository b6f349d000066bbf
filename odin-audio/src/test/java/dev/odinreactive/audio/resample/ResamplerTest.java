package dev.odinreactive.audio.resample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.odinreactive.audio.AudioFormat;
import dev.odinreactive.audio.AudioFormatException;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

/**
 * Quality of the resampler, measured on real signals: THD+N of a 1 kHz sine, passband ripple
 * up to 0.45 × the lower rate, stopband attenuation. Figures are printed for docs/audio.md.
 */
class ResamplerTest {

    static double[] sine(int rate, double hz, double amp, int n) {
        double[] s = new double[n];
        for (int i = 0; i < n; i++) {
            s[i] = amp * Math.sin(2 * Math.PI * hz * i / rate);
        }
        return s;
    }

    static float[] toFloat(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    /** Streams {@code in} through a resampler in uneven chunks, then flushes. */
    static float[] stream(Resampler r, float[] in) {
        int[] chunks = {1, 441, 17, 960, 1023, 5, 2048};
        List<float[]> parts = new ArrayList<>();
        int pos = 0;
        int c = 0;
        while (pos < in.length) {
            int n = Math.min(chunks[c++ % chunks.length] * r.channels(), in.length - pos);
            parts.add(r.process(Arrays.copyOfRange(in, pos, pos + n)));
            pos += n;
        }
        parts.add(r.flush());
        int total = parts.stream().mapToInt(p -> p.length).sum();
        float[] out = new float[total];
        int o = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, out, o, p.length);
            o += p.length;
        }
        return out;
    }

    /** Least-squares fit of a sine at {@code hz} over [from, to); returns {amplitude, residual power}. */
    static double[] fit(float[] x, int rate, double hz, int from, int to) {
        double scc = 0, sss = 0, ssc = 0, sxs = 0, sxc = 0, n = to - from;
        for (int i = from; i < to; i++) {
            double s = Math.sin(2 * Math.PI * hz * i / rate);
            double c = Math.cos(2 * Math.PI * hz * i / rate);
            sss += s * s;
            scc += c * c;
            ssc += s * c;
            sxs += x[i] * s;
            sxc += x[i] * c;
        }
        double det = sss * scc - ssc * ssc;
        double a = (sxs * scc - sxc * ssc) / det;
        double b = (sxc * sss - sxs * ssc) / det;
        double res = 0;
        for (int i = from; i < to; i++) {
            double e = x[i] - a * Math.sin(2 * Math.PI * hz * i / rate) - b * Math.cos(2 * Math.PI * hz * i / rate);
            res += e * e;
        }
        return new double[] {Math.hypot(a, b), res / n};
    }

    static double thdN(int from, int to) {
        Resampler r = new Resampler(from, to, 1);
        float[] out = stream(r, toFloat(sine(from, 1000, 0.5, from)));
        assertThat(out.length).isEqualTo((int) Math.ceil((double) from * to / from));
        int skip = r.taps() * to / from + 10;
        double[] f = fit(out, to, 1000, skip, out.length - skip);
        double db = 10 * Math.log10(f[1] / (f[0] * f[0] / 2));
        System.out.printf("%d -> %d Hz: 1 kHz sine at -6 dBFS: THD+N %.1f dB (taps %d, amplitude %.6f)%n",
                from, to, db, r.taps(), f[0]);
        assertThat(f[0]).isCloseTo(0.5, org.assertj.core.api.Assertions.within(0.0005));
        return db;
    }

    @Test
    void thdPlusNoiseBelowMinus90dB() {
        assertThat(thdN(44_100, 48_000)).isLessThanOrEqualTo(-90);
        assertThat(thdN(48_000, 16_000)).isLessThanOrEqualTo(-90);
        assertThat(thdN(16_000, 48_000)).isLessThanOrEqualTo(-90);
        assertThat(thdN(48_000, 44_100)).isLessThanOrEqualTo(-90);
    }

    static double ripple(int from, int to) {
        double edge = 0.45 * Math.min(from, to);
        double min = 1e9, max = -1e9;
        for (int i = 0; i <= 24; i++) {
            double hz = 20 + (edge - 20) * i / 24.0;
            Resampler r = new Resampler(from, to, 1);
            float[] out = stream(r, toFloat(sine(from, hz, 0.5, from / 4)));
            int skip = r.taps() * to / from + 10;
            double g = 20 * Math.log10(fit(out, to, hz, skip, out.length - skip)[0] / 0.5);
            min = Math.min(min, g);
            max = Math.max(max, g);
        }
        System.out.printf("%d -> %d Hz: passband 20..%.0f Hz gain %.5f..%.5f dB (ripple %.5f dB)%n",
                from, to, edge, min, max, max - min);
        return Math.max(max, -min);
    }

    @Test
    void passbandRippleWithinTenthOfDb() {
        assertThat(ripple(44_100, 48_000)).isLessThanOrEqualTo(0.1);
        assertThat(ripple(48_000, 16_000)).isLessThanOrEqualTo(0.1);
    }

    @Test
    void stopbandAtLeast90dB() {
        // measured on the signal: tones above the output Nyquist must not alias into 48 -> 16 kHz output
        for (double hz : new double[] {8_300, 10_000, 15_000, 23_000}) {
            Resampler r = new Resampler(48_000, 16_000, 1);
            float[] out = stream(r, toFloat(sine(48_000, hz, 0.5, 24_000)));
            int skip = r.taps() / 3 + 10;
            double e = 0;
            for (int i = skip; i < out.length - skip; i++) {
                e += (double) out[i] * out[i];
            }
            double db = 10 * Math.log10(e / (out.length - 2 * skip) / (0.5 * 0.5 / 2));
            System.out.printf("48000 -> 16000 Hz: %.0f Hz tone leaks at %.1f dB%n", hz, db);
            assertThat(db).isLessThanOrEqualTo(-90);
        }
        // and on the prototype filter: every frequency from the stopband edge up
        for (int[] rates : new int[][] {{44_100, 48_000}, {48_000, 16_000}}) {
            Resampler r = new Resampler(rates[0], rates[1], 1);
            PolyphaseFilter f = r.filter();
            double stopEdge = 0.5 * Math.min(rates[0], rates[1]) / rates[0];
            double worst = 0;
            for (double fr = stopEdge; fr < Math.min(f.phases / 2.0, 2.0); fr += 0.001) {
                worst = Math.max(worst, f.response(fr));
            }
            double pass = f.response(0.45 * Math.min(rates[0], rates[1]) / rates[0]);
            System.out.printf("%d -> %d Hz: prototype filter %d taps x %d phases, stopband >= %.1f dB, gain at passband edge %.5f dB%n",
                    rates[0], rates[1], r.taps(), f.phases, -20 * Math.log10(worst), 20 * Math.log10(pass));
            assertThat(-20 * Math.log10(worst)).isGreaterThanOrEqualTo(90);
        }
    }

    @Test
    void chunkingDoesNotChangeOutputAndStereoWorks() {
        float[] in = new float[2 * 9_000];
        for (int i = 0; i < 9_000; i++) {
            in[2 * i] = (float) Math.sin(i * 0.05);
            in[2 * i + 1] = (float) Math.cos(i * 0.031);
        }
        float[] whole = Resampler.resample(in, AudioFormat.of(22_050, 2), 48_000);
        float[] streamed = stream(new Resampler(22_050, 48_000, 2), in);
        assertThat(streamed).containsExactly(whole);
        assertThat(whole.length).isEqualTo(2 * (int) Math.ceil(9_000 * 48_000 / 22_050.0));
        List<float[]> viaFlux = Flux.range(0, 18).map(i -> Arrays.copyOfRange(in, i * 1000, i * 1000 + 1000))
                .transform(Resampler.resampling(AudioFormat.of(22_050, 2), 48_000)).collectList().block();
        float[] joined = new float[whole.length];
        int o = 0;
        for (float[] p : viaFlux) {
            System.arraycopy(p, 0, joined, o, p.length);
            o += p.length;
        }
        assertThat(o).isEqualTo(whole.length);
        assertThat(joined).containsExactly(whole);
        // no time shift: output n is input time n * 22050 / 48000 (checked away from the start transient)
        for (int n = 2000; n < 2010; n++) {
            double t = n * 22_050.0 / 48_000;
            assertThat((double) whole[2 * n]).isCloseTo(Math.sin(t * 0.05), org.assertj.core.api.Assertions.within(1e-4));
            assertThat((double) whole[2 * n + 1]).isCloseTo(Math.cos(t * 0.031), org.assertj.core.api.Assertions.within(1e-4));
        }
    }

    @Test
    void oddRatiosUseInterpolatedPhasesAndStayAccurate() {
        // 8001 -> 48000: interpolation factor 48000 > MAX_PHASES, rows are interpolated
        Resampler r = new Resampler(8_001, 48_000, 1);
        float[] out = stream(r, toFloat(sine(8_001, 1000, 0.5, 8_001)));
        int skip = r.taps() * 6 + 10;
        double[] f = fit(out, 48_000, 1000, skip, out.length - skip);
        double db = 10 * Math.log10(f[1] / (f[0] * f[0] / 2));
        System.out.printf("8001 -> 48000 Hz (interpolated phases): THD+N %.1f dB%n", db);
        assertThat(db).isLessThanOrEqualTo(-90);
    }

    @Test
    void validatesInput() {
        assertThatThrownBy(() -> new Resampler(7_000, 48_000, 1)).isInstanceOf(AudioFormatException.class);
        assertThatThrownBy(() -> new Resampler(48_000, 16_000, 3)).isInstanceOf(AudioFormatException.class);
        Resampler r = new Resampler(48_000, 16_000, 2);
        assertThatThrownBy(() -> r.process(new float[3])).isInstanceOf(AudioFormatException.class);
        assertThatThrownBy(() -> r.process(new float[960], 0, 960, new float[10], 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs");
        Resampler same = new Resampler(48_000, 48_000, 1);
        assertThat(same.process(new float[] {1f, 2f})).containsExactly(1f, 2f);
        r.close();
        assertThatThrownBy(() -> r.process(new float[2])).isInstanceOf(IllegalStateException.class);
    }
}

package dev.odinreactive.audio.apm.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class RealFftTest {
    @Test
    void matchesTheDftAndInvertsExactly() {
        int n = 64;
        RealFft fft = new RealFft(n);
        Random r = new Random(1);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) r.nextGaussian();
        }
        float[] re = new float[n / 2 + 1], im = new float[n / 2 + 1];
        fft.forward(x, re, im);
        for (int k = 0; k <= n / 2; k++) {
            double sr = 0, si = 0;
            for (int i = 0; i < n; i++) {
                sr += x[i] * Math.cos(2 * Math.PI * k * i / n);
                si -= x[i] * Math.sin(2 * Math.PI * k * i / n);
            }
            assertThat((double) re[k]).isCloseTo(sr, within(1e-3));
            assertThat((double) im[k]).isCloseTo(si, within(1e-3));
        }
        float[] back = new float[n];
        fft.inverse(re, im, back);
        for (int i = 0; i < n; i++) {
            assertThat(back[i]).isCloseTo(x[i], within(1e-5f));
        }
    }

    @Test
    void stftWithUnitGainsReconstructsTheSignalOneBlockLate() {
        Stft stft = new Stft();
        Random r = new Random(2);
        float[] x = new float[480 * 6];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian() * 0.1f;
        }
        float[] y = new float[x.length];
        float[] b = new float[480];
        for (int o = 0; o < x.length; o += 480) {
            System.arraycopy(x, o, b, 0, 480);
            stft.analyse(b);
            stft.synthesise(b);
            System.arraycopy(b, 0, y, o, 480);
        }
        for (int i = 480; i < x.length; i++) {
            assertThat(y[i]).isCloseTo(x[i - 480], within(1e-5f));
        }
    }

    @Test
    void rejectsSizesThatAreNotPowersOfTwo() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new RealFft(1000))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

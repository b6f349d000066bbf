package dev.odinreactive.audio.apm.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class RealFftTest {
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(ints = {8, 16, 32, 64, 128, 256, 512, 1024, 2048})
    void matchesTheDftAndInvertsExactly(int n) {
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
            assertThat((double) re[k]).as("re[%d]", k).isCloseTo(sr, within(1e-4));
            assertThat((double) im[k]).as("im[%d]", k).isCloseTo(si, within(1e-4));
        }
        float[] back = new float[n];
        fft.inverse(re, im, back);
        for (int i = 0; i < n; i++) {
            assertThat(back[i]).isCloseTo(x[i], within(1e-5f));
        }
    }

    @Test
    void aSineLandsInItsBinAndTheTransformReusesItsBuffersAcrossCalls() {
        RealFft fft = new RealFft(1024);
        float[] re = new float[513], im = new float[513], x = new float[1024], back = new float[1024];
        for (int bin : new int[] {1, 37, 256, 511}) {
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) Math.cos(2 * Math.PI * bin * i / 1024);
            }
            fft.forward(x, re, im);
            for (int k = 0; k < 513; k++) {
                double mag = Math.hypot(re[k], im[k]);
                assertThat(mag).as("bin %d of a sine in bin %d", k, bin).isCloseTo(k == bin ? 512 : 0, within(2e-3));
            }
            fft.inverse(re, im, back);
            assertThat(back).containsExactly(x, within(1e-5f));
        }
    }

    @Test
    void rejectsBuffersTooSmallForItsSize() {
        RealFft fft = new RealFft(64);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> fft.forward(new float[32], new float[33], new float[33]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("64");
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
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new RealFft(4))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

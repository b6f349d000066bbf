package dev.odinreactive.audio.apm.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The voice activity detector's classifier: a multilayer perceptron with one tanh hidden layer and
 * a logistic output over standardised {@link VadFeatures}, followed by fast-attack/slow-release
 * smoothing of the logit. Its weights are trained by {@code VadTrainer} (odin-audio test sources,
 * see docs/audio.md) and shipped as the text resource {@value #RESOURCE}. Immutable and shared.
 */
final class VadModel {
    static final String RESOURCE = "vad-model.txt";

    final int inputs;
    final int hidden;
    final float[] mean;
    final float[] scale;
    /** Hidden weights, row per hidden unit ({@code hidden x inputs}). */
    final float[] w1;
    final float[] b1;
    final float[] w2;
    final float b2;
    /** Logit smoothing: weight of the new logit when it rises / falls. */
    final float attack;
    final float release;

    VadModel(int inputs, int hidden, float[] mean, float[] scale, float[] w1, float[] b1, float[] w2, float b2,
             float attack, float release) {
        this.inputs = inputs;
        this.hidden = hidden;
        this.mean = mean;
        this.scale = scale;
        this.w1 = w1;
        this.b1 = b1;
        this.w2 = w2;
        this.b2 = b2;
        this.attack = attack;
        this.release = release;
    }

    /** The shipped model (loaded on first use). */
    static VadModel standard() {
        return Holder.MODEL;
    }

    private static final class Holder {
        static final VadModel MODEL = load();
    }

    /**
     * The raw (unsmoothed) logit for one feature vector; {@code z} (length {@link #inputs}) and
     * {@code h} (length {@link #hidden}) are scratch.
     */
    float logit(float[] x, float[] z, float[] h) {
        for (int i = 0; i < inputs; i++) {
            z[i] = (x[i] - mean[i]) * scale[i];
        }
        float out = b2;
        for (int j = 0; j < hidden; j++) {
            float a = b1[j];
            int row = j * inputs;
            for (int i = 0; i < inputs; i++) {
                a += w1[row + i] * z[i];
            }
            h[j] = tanh(a);
            out += w2[j] * h[j];
        }
        return out;
    }

    /** tanh via exp (cheaper than Math.tanh and exact enough here). */
    static float tanh(float a) {
        if (a > 15) {
            return 1;
        }
        if (a < -15) {
            return -1;
        }
        float e = (float) Math.exp(2 * a);
        return (e - 1) / (e + 1);
    }

    private static VadModel load() {
        try (InputStream in = VadModel.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCE);
            }
            return parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static VadModel parse(BufferedReader r) throws IOException {
        Map<String, float[]> v = new HashMap<>();
        String line;
        while ((line = r.readLine()) != null) {
            line = line.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] t = line.split("\\s+");
            float[] a = new float[t.length - 1];
            for (int i = 1; i < t.length; i++) {
                a[i - 1] = Float.parseFloat(t[i]);
            }
            v.put(t[0], a);
        }
        int inputs = (int) get(v, "inputs", 1)[0];
        int hidden = (int) get(v, "hidden", 1)[0];
        if (inputs != VadFeatures.COUNT) {
            throw new IllegalStateException("model has " + inputs + " inputs, features " + VadFeatures.COUNT);
        }
        float[] smooth = get(v, "smooth", 2);
        return new VadModel(inputs, hidden, get(v, "mean", inputs), get(v, "scale", inputs),
                get(v, "w1", hidden * inputs), get(v, "b1", hidden), get(v, "w2", hidden), get(v, "b2", 1)[0],
                smooth[0], smooth[1]);
    }

    private static float[] get(Map<String, float[]> v, String key, int n) {
        float[] a = v.get(key);
        if (a == null || a.length != n) {
            throw new IllegalStateException("vad model: '" + key + "' needs " + n + " values");
        }
        return a;
    }
}

package dev.odinreactive.audio.apm.internal;

import dev.odinreactive.audio.io.WavReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Trains the voice activity detector's perceptron ({@link VadModel}) and writes {@code vad-model.txt}.
 * Not a test: a command-line tool kept with the tests so that it sees the package-private feature
 * extractor and is built by {@code mvn test-compile}. Usage (docs/audio.md):
 * <pre>
 * odin-audio/src/test/vad/make-corpus.sh /tmp/vad-corpus
 * mvn -B -q -pl odin-audio -am test-compile
 * java -Xmx3g -cp odin-audio/target/classes:odin-audio/target/test-classes \
 *     dev.odinreactive.audio.apm.internal.VadTrainer --corpus /tmp/vad-corpus \
 *     --out odin-audio/src/main/resources/dev/odinreactive/audio/apm/internal/vad-model.txt \
 *     [--dev /path/to/apm-harness/signals/dev] [--seed 1] [--clips 200] [--hidden 16] [--epochs 10]
 * </pre>
 * Mixtures are made from the corpus like the harness makes its own: clips of 3-5 sentences of one
 * voice with 0.4-1.4 s pauses at an active level around -26 dBFS, labelled speech where the clean
 * block is within 30 dB of the active level (gaps up to 100 ms bridged), mixed with a training noise
 * at a random SNR (-5..30 dB) or over a white floor (-100..-60 dBFS). The validation set uses other
 * voices, sentences and noise recordings, at 0/10/20 dB and over a -76 dBFS floor; the harness's dev
 * set (--dev) is only evaluated, never trained on.
 */
public final class VadTrainer {
    static final int FS = 48000;
    static final int F = Stage.BLOCK;
    static final int N = VadFeatures.COUNT;

    private final SplittableRandom rng;
    private final Map<String, List<float[]>> trainVoices = new LinkedHashMap<>();
    private final Map<String, List<float[]>> valVoices = new LinkedHashMap<>();
    private final Map<String, float[]> trainNoises = new TreeMap<>();
    private final Map<String, float[]> valNoises = new TreeMap<>();

    VadTrainer(long seed) {
        rng = new SplittableRandom(seed);
    }

    /** Frames of many sequences: features, labels, sequence starts and a condition per sequence. */
    static final class Data {
        final List<float[]> x = new ArrayList<>();
        final List<Boolean> y = new ArrayList<>();
        final List<Integer> starts = new ArrayList<>();
        final List<String> cond = new ArrayList<>();

        void add(float[] signal, boolean[] labels, String condition) {
            starts.add(x.size());
            cond.add(condition);
            VadFeatures fe = new VadFeatures();
            float[] block = new float[F];
            int n = Math.min(signal.length / F, labels.length);
            for (int f = 0; f < n; f++) {
                System.arraycopy(signal, f * F, block, 0, F);
                float[] row = new float[N];
                fe.compute(block, row);
                x.add(row);
                y.add(labels[f]);
            }
        }

        int end(int s) {
            return s + 1 < starts.size() ? starts.get(s + 1) : x.size();
        }
    }

    public static void main(String[] args) throws IOException {
        Path corpus = null;
        Path out = null;
        Path dev = null;
        long seed = 1;
        int clips = 200;
        int hidden = 16;
        int epochs = 10;
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--corpus" -> corpus = Path.of(args[i + 1]);
                case "--out" -> out = Path.of(args[i + 1]);
                case "--dev" -> dev = Path.of(args[i + 1]);
                case "--seed" -> seed = Long.parseLong(args[i + 1]);
                case "--clips" -> clips = Integer.parseInt(args[i + 1]);
                case "--hidden" -> hidden = Integer.parseInt(args[i + 1]);
                case "--epochs" -> epochs = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (corpus == null) {
            throw new IllegalArgumentException("--corpus DIR is required (see make-corpus.sh)");
        }
        VadTrainer t = new VadTrainer(seed);
        t.loadCorpus(corpus);
        long t0 = System.nanoTime();
        Data train = t.trainingSet(clips);
        Data val = t.validationSet();
        Data devSet = dev != null ? devSet(dev) : null;
        System.out.printf(Locale.ROOT, "features: train %d frames, val %d, dev %d (%.0f s)%n", train.x.size(),
                val.x.size(), devSet == null ? 0 : devSet.x.size(), (System.nanoTime() - t0) / 1e9);
        Mlp m = new Mlp(N, hidden, seed);
        m.standardise(train);
        m.train(train, epochs, val, t.rng);
        float[] best = m.tuneSmoothing(val);
        VadModel model = m.toModel(best[0], best[1]);
        System.out.println("validation (own voices/noises):");
        report(model, val);
        if (devSet != null) {
            System.out.println("dev (harness signals, evaluation only):");
            report(model, devSet);
        }
        if (out != null) {
            m.write(out, best[0], best[1]);
            System.out.println("wrote " + out);
        }
    }

    // ------------------------------------------------------------------ corpus and mixtures

    void loadCorpus(Path dir) throws IOException {
        for (String line : Files.readAllLines(dir.resolve("voices.txt"))) {
            String[] t = line.trim().split("\\s+");
            if (t.length < 2) {
                continue;
            }
            List<float[]> files = new ArrayList<>();
            try (Stream<Path> s = Files.list(dir.resolve("speech"))) {
                for (Path p : s.filter(p -> p.getFileName().toString().startsWith(t[0] + "_")).sorted().toList()) {
                    files.add(trim(read(p)));
                }
            }
            (t[1].equals("train") ? trainVoices : valVoices).put(t[0], files);
        }
        try (Stream<Path> s = Files.list(dir.resolve("noise"))) {
            for (Path p : s.sorted().toList()) {
                String name = p.getFileName().toString().replace(".wav", "");
                float[] x = read(p);
                scale(x, 1 / Math.sqrt(power(x, 0, x.length)));
                (name.startsWith("train_") ? trainNoises : valNoises).put(name, x);
            }
        }
        System.out.printf("corpus: %d training voices, %d validation voices, noises %s / %s%n",
                trainVoices.size(), valVoices.size(), trainNoises.keySet(), valNoises.keySet());
    }

    Data trainingSet(int clips) {
        Data d = new Data();
        List<String> voices = new ArrayList<>(trainVoices.keySet());
        List<String> noises = new ArrayList<>(trainNoises.keySet());
        for (int c = 0; c < clips; c++) {
            List<float[]> v = trainVoices.get(voices.get(rng.nextInt(voices.size())));
            // mostly the harness's -26 dBFS, a quarter anywhere in -45..-12 so that level is not all it learns
            double levelDb = rng.nextInt(4) == 0 ? uni(-45, -12) : -26 + Math.max(-8, Math.min(8, 3 * gauss()));
            float[] clean = clip(v, 3 + rng.nextInt(3), levelDb);
            boolean[] lab = labels(clean);
            // near-clean: white floor, mostly around -76 dBFS, sometimes near digital silence
            double floorDb = rng.nextInt(4) == 0 ? -76 : uni(-100, -60);
            d.add(quantise(add(clean, white(clean.length, floorDb), 1)), lab, "train");
            for (int k = 0; k < 3; k++) {
                float[] noise = excerpt(trainNoises.get(noises.get(rng.nextInt(noises.size()))), clean.length);
                double snr = uni(-5, 30);
                d.add(quantise(mixAtSnr(clean, lab, noise, snr)), lab, "train");
            }
            if (c % 4 == 0) {
                // noise alone, 8 s at -70..-15 dBFS: never speech however loud
                float[] noise = excerpt(trainNoises.get(noises.get(rng.nextInt(noises.size()))), 8 * FS);
                scale(noise, Math.pow(10, uni(-70, -15) / 20));
                d.add(quantise(noise), new boolean[noise.length / F], "train");
            }
        }
        return d;
    }

    /** Built like the harness's dev set: 4-sentence clips at -26 dBFS; 0/10/20 dB per noise; a -76 floor. */
    Data validationSet() {
        Data d = new Data();
        for (List<float[]> v : valVoices.values()) {
            for (int c = 0; c < 3; c++) {
                float[] clean = clip(v, 4, -26);
                boolean[] lab = labels(clean);
                d.add(quantise(add(clean, white(clean.length, -76), 1)), lab, "snr=50");
                for (float[] n : valNoises.values()) {
                    float[] noise = excerpt(n, clean.length);
                    for (int snr : new int[] {0, 10, 20}) {
                        d.add(quantise(mixAtSnr(clean, lab, noise, snr)), lab, "snr=" + snr);
                    }
                }
            }
        }
        return d;
    }

    static Data devSet(Path dev) throws IOException {
        Data d = new Data();
        for (int k = 0; ; k++) {
            Path lab = dev.resolve("labels/clip" + k + ".lab");
            if (!Files.exists(lab)) {
                break;
            }
            List<String> lines = Files.readAllLines(lab);
            boolean[] l = new boolean[lines.size()];
            for (int i = 0; i < l.length; i++) {
                l[i] = lines.get(i).startsWith("1");
            }
            d.add(read(dev.resolve("ns/clip" + k + "_floor_snr50.wav")), l, "snr=50");
            for (String n : new String[] {"white", "pink", "brown", "babble", "fan"}) {
                for (int snr : new int[] {0, 10, 20}) {
                    d.add(read(dev.resolve("ns/clip" + k + "_" + n + "_snr" + snr + ".wav")), l, "snr=" + snr);
                }
            }
        }
        return d;
    }

    float[] clip(List<float[]> sentences, int count, double levelDb) {
        List<float[]> parts = new ArrayList<>();
        parts.add(new float[(int) (FS * uni(0.5, 1.0))]);
        for (int j = 0; j < count; j++) {
            parts.add(sentences.get(rng.nextInt(sentences.size())));
            parts.add(new float[(int) (FS * uni(0.4, 1.4))]);
        }
        parts.add(new float[FS / 2]);
        float[] x = concat(parts);
        x = Arrays.copyOf(x, (x.length + F - 1) / F * F);
        scale(x, Math.pow(10, (levelDb - activeLevelDb(x)) / 20));
        return quantise(x);
    }

    float[] excerpt(float[] noise, int len) {
        float[] r = new float[len];
        int off = rng.nextInt(noise.length);
        for (int i = 0; i < len; i++) {
            r[i] = noise[(off + i) % noise.length];
        }
        return r;
    }

    static float[] mixAtSnr(float[] clean, boolean[] lab, float[] noise, double snrDb) {
        double sp = activePower(clean, lab);
        double np = power(noise, 0, noise.length);
        return add(clean, noise, Math.sqrt(sp / np / Math.pow(10, snrDb / 10)));
    }

    float[] white(int len, double dbfs) {
        double g = Math.pow(10, dbfs / 20);
        float[] w = new float[len];
        for (int i = 0; i < len; i++) {
            w[i] = (float) (g * gauss());
        }
        return w;
    }

    // ------------------------------------------------------------------ labels (the harness's definition)

    /**
     * Speech where the block RMS is within 30 dB of the active level (the mean power of blocks within
     * 40 dB of the loudest), gaps of up to 100 ms between speech blocks bridged.
     */
    static boolean[] labels(float[] x) {
        int nf = x.length / F;
        double[] db = new double[nf];
        double max = -400;
        for (int f = 0; f < nf; f++) {
            db[f] = 10 * Math.log10(power(x, f * F, (f + 1) * F) + 1e-20);
            max = Math.max(max, db[f]);
        }
        double p = 0;
        int n = 0;
        for (int f = 0; f < nf; f++) {
            if (db[f] > max - 40) {
                p += Math.pow(10, db[f] / 10);
                n++;
            }
        }
        double act = 10 * Math.log10(p / Math.max(1, n));
        boolean[] s = new boolean[nf];
        for (int f = 0; f < nf; f++) {
            s[f] = db[f] > act - 30;
        }
        int last = -1;
        for (int f = 0; f < nf; f++) {
            if (s[f]) {
                if (last >= 0 && f - last - 1 <= 10) {
                    for (int g = last + 1; g < f; g++) {
                        s[g] = true;
                    }
                }
                last = f;
            }
        }
        return s;
    }

    static double activeLevelDb(float[] x) {
        return 10 * Math.log10(activePower(x, labels(x)));
    }

    static double activePower(float[] x, boolean[] lab) {
        double e = 0;
        int n = 0;
        for (int f = 0; f < lab.length; f++) {
            if (lab[f]) {
                e += power(x, f * F, (f + 1) * F) * F;
                n += F;
            }
        }
        return e / Math.max(1, n);
    }

    // ------------------------------------------------------------------ evaluation

    static void report(VadModel model, Data d) {
        Map<String, List<float[]>> probs = new TreeMap<>();
        Map<String, List<boolean[]>> truth = new TreeMap<>();
        for (int s = 0; s < d.starts.size(); s++) {
            int a = d.starts.get(s);
            int b = d.end(s);
            float[] p = probabilities(model, d, a, b);
            boolean[] t = new boolean[b - a];
            for (int i = a; i < b; i++) {
                t[i - a] = d.y.get(i);
            }
            probs.computeIfAbsent(d.cond.get(s), k -> new ArrayList<>()).add(p);
            truth.computeIfAbsent(d.cond.get(s), k -> new ArrayList<>()).add(t);
        }
        for (String c : probs.keySet()) {
            float[] p = catF(probs.get(c));
            boolean[] t = catB(truth.get(c));
            int tp = 0;
            int fp = 0;
            int tn = 0;
            int fn = 0;
            for (int i = 0; i < p.length; i++) {
                boolean on = p[i] >= 0.5f;
                if (t[i]) {
                    if (on) {
                        tp++;
                    } else {
                        fn++;
                    }
                } else if (on) {
                    fp++;
                } else {
                    tn++;
                }
            }
            double prec = tp / (double) Math.max(1, tp + fp);
            double rec = tp / (double) Math.max(1, tp + fn);
            System.out.printf(Locale.ROOT, "  %-7s auc %.4f  accuracy %.4f  f1 %.4f%n", c, auc(p, t),
                    (tp + tn) / (double) p.length, 2 * prec * rec / (prec + rec));
        }
    }

    static float[] probabilities(VadModel model, Data d, int a, int b) {
        float[] h = new float[model.hidden];
        float[] z = new float[model.inputs];
        float[] p = new float[b - a];
        float sm = Float.NaN;
        for (int i = a; i < b; i++) {
            float l = model.logit(d.x.get(i), z, h);
            sm = Float.isNaN(sm) ? l : sm + (l > sm ? model.attack : model.release) * (l - sm);
            p[i - a] = (float) (1 / (1 + Math.exp(-sm)));
        }
        return p;
    }

    /** ROC AUC with ties counted one half (as the harness computes it). */
    static double auc(float[] p, boolean[] t) {
        int n = p.length;
        Integer[] idx = new Integer[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, (x, y) -> Float.compare(p[x], p[y]));
        double rankSum = 0;
        long pos = 0;
        for (int i = 0; i < n; ) {
            int j = i;
            while (j < n && p[idx[j]] == p[idx[i]]) {
                j++;
            }
            double r = (i + j + 1) / 2.0;
            for (int k = i; k < j; k++) {
                if (t[idx[k]]) {
                    rankSum += r;
                    pos++;
                }
            }
            i = j;
        }
        long neg = n - pos;
        return (rankSum - pos * (pos + 1) / 2.0) / ((double) pos * neg);
    }

    // ------------------------------------------------------------------ the perceptron

    static final class Mlp {
        final int in;
        final int hid;
        final float[] mean;
        final float[] scale;
        final double[] w1;
        final double[] b1;
        final double[] w2;
        double b2;

        Mlp(int in, int hid, long seed) {
            this.in = in;
            this.hid = hid;
            mean = new float[in];
            scale = new float[in];
            w1 = new double[hid * in];
            b1 = new double[hid];
            w2 = new double[hid];
            SplittableRandom r = new SplittableRandom(seed * 7919);
            for (int i = 0; i < w1.length; i++) {
                w1[i] = r.nextGaussian() / Math.sqrt(in);
            }
            for (int j = 0; j < hid; j++) {
                w2[j] = r.nextGaussian() / Math.sqrt(hid);
            }
        }

        void standardise(Data d) {
            double[] s = new double[in];
            double[] s2 = new double[in];
            for (float[] x : d.x) {
                for (int i = 0; i < in; i++) {
                    s[i] += x[i];
                    s2[i] += (double) x[i] * x[i];
                }
            }
            int n = d.x.size();
            for (int i = 0; i < in; i++) {
                double m = s[i] / n;
                double v = s2[i] / n - m * m;
                mean[i] = (float) m;
                scale[i] = (float) (1 / Math.sqrt(Math.max(v, 1e-6)));
            }
        }

        /** Adam on the cross-entropy of the raw logit, minibatches of 256, step size decayed per epoch. */
        void train(Data d, int epochs, Data val, SplittableRandom rng) {
            int n = d.x.size();
            int[] order = new int[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            int np = w1.length + b1.length + w2.length + 1;
            double[] g = new double[np];
            double[] m1 = new double[np];
            double[] m2 = new double[np];
            double[] z = new double[in];
            double[] h = new double[hid];
            int batch = 256;
            long step = 0;
            for (int ep = 0; ep < epochs; ep++) {
                for (int i = n - 1; i > 0; i--) {
                    int j = rng.nextInt(i + 1);
                    int tmp = order[i];
                    order[i] = order[j];
                    order[j] = tmp;
                }
                double lr = 3e-3 * Math.pow(0.7, ep);
                double loss = 0;
                for (int b0 = 0; b0 < n; b0 += batch) {
                    Arrays.fill(g, 0);
                    int b1n = Math.min(n, b0 + batch);
                    for (int q = b0; q < b1n; q++) {
                        float[] x = d.x.get(order[q]);
                        double y = d.y.get(order[q]) ? 1 : 0;
                        for (int i = 0; i < in; i++) {
                            z[i] = (x[i] - mean[i]) * scale[i];
                        }
                        double o = b2;
                        for (int j = 0; j < hid; j++) {
                            double a = b1[j];
                            int row = j * in;
                            for (int i = 0; i < in; i++) {
                                a += w1[row + i] * z[i];
                            }
                            h[j] = Math.tanh(a);
                            o += w2[j] * h[j];
                        }
                        double p = 1 / (1 + Math.exp(-o));
                        loss += -(y * Math.log(p + 1e-12) + (1 - y) * Math.log(1 - p + 1e-12));
                        double dout = p - y;
                        int gw2 = w1.length + b1.length;
                        for (int j = 0; j < hid; j++) {
                            g[gw2 + j] += dout * h[j];
                            double dh = dout * w2[j] * (1 - h[j] * h[j]);
                            g[w1.length + j] += dh;
                            int row = j * in;
                            for (int i = 0; i < in; i++) {
                                g[row + i] += dh * z[i];
                            }
                        }
                        g[np - 1] += dout;
                    }
                    step++;
                    double inv = 1.0 / (b1n - b0);
                    double c1 = 1 - Math.pow(0.9, step);
                    double c2 = 1 - Math.pow(0.999, step);
                    for (int k = 0; k < np; k++) {
                        double gk = g[k] * inv;
                        m1[k] = 0.9 * m1[k] + 0.1 * gk;
                        m2[k] = 0.999 * m2[k] + 0.001 * gk * gk;
                        double upd = lr * (m1[k] / c1) / (Math.sqrt(m2[k] / c2) + 1e-8);
                        if (k < w1.length) {
                            w1[k] -= upd;
                        } else if (k < w1.length + b1.length) {
                            b1[k - w1.length] -= upd;
                        } else if (k < np - 1) {
                            w2[k - w1.length - b1.length] -= upd;
                        } else {
                            b2 -= upd;
                        }
                    }
                }
                System.out.printf(Locale.ROOT, "epoch %d: loss %.4f%n", ep, loss / n);
                if (ep == epochs - 1 || ep % 3 == 2) {
                    report(toModel(1, 1), val);
                }
            }
        }

        /** Picks the logit smoothing (attack, release weights) with the best mean validation AUC. */
        float[] tuneSmoothing(Data val) {
            float[] best = {1, 1};
            double bestScore = -1;
            for (float a : new float[] {1f, 0.7f, 0.5f}) {
                for (float r : new float[] {1f, 0.5f, 0.3f, 0.2f, 0.1f, 0.05f}) {
                    double score = meanAuc(toModel(a, r), val);
                    if (score > bestScore) {
                        bestScore = score;
                        best = new float[] {a, r};
                    }
                }
            }
            System.out.printf(Locale.ROOT, "smoothing: attack %.2f release %.2f (mean validation auc %.4f)%n",
                    best[0], best[1], bestScore);
            return best;
        }

        static double meanAuc(VadModel model, Data d) {
            Map<String, List<float[]>> probs = new TreeMap<>();
            Map<String, List<boolean[]>> truth = new TreeMap<>();
            for (int s = 0; s < d.starts.size(); s++) {
                int a = d.starts.get(s);
                int b = d.end(s);
                boolean[] t = new boolean[b - a];
                for (int i = a; i < b; i++) {
                    t[i - a] = d.y.get(i);
                }
                probs.computeIfAbsent(d.cond.get(s), k -> new ArrayList<>()).add(probabilities(model, d, a, b));
                truth.computeIfAbsent(d.cond.get(s), k -> new ArrayList<>()).add(t);
            }
            double sum = 0;
            for (String c : probs.keySet()) {
                sum += auc(catF(probs.get(c)), catB(truth.get(c)));
            }
            return sum / probs.size();
        }

        VadModel toModel(float attack, float release) {
            float[] fw1 = new float[w1.length];
            for (int i = 0; i < w1.length; i++) {
                fw1[i] = (float) w1[i];
            }
            float[] fb1 = new float[hid];
            float[] fw2 = new float[hid];
            for (int j = 0; j < hid; j++) {
                fb1[j] = (float) b1[j];
                fw2[j] = (float) w2[j];
            }
            return new VadModel(in, hid, mean.clone(), scale.clone(), fw1, fb1, fw2, (float) b2, attack, release);
        }

        void write(Path out, float attack, float release) throws IOException {
            try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(out))) {
                w.println("# voice activity detector weights, written by VadTrainer (odin-audio test sources)");
                w.println("# features: " + String.join(" ", VadFeatures.NAMES));
                w.println("inputs " + in);
                w.println("hidden " + hid);
                w.println("smooth " + attack + " " + release);
                w.println("mean" + join(mean));
                w.println("scale" + join(scale));
                float[] f = new float[w1.length];
                for (int i = 0; i < f.length; i++) {
                    f[i] = (float) w1[i];
                }
                w.println("w1" + join(f));
                float[] fb = new float[hid];
                float[] fw = new float[hid];
                for (int j = 0; j < hid; j++) {
                    fb[j] = (float) b1[j];
                    fw[j] = (float) w2[j];
                }
                w.println("b1" + join(fb));
                w.println("w2" + join(fw));
                w.println("b2 " + (float) b2);
            }
        }

        private static String join(float[] a) {
            StringBuilder sb = new StringBuilder();
            for (float v : a) {
                sb.append(' ').append(v);
            }
            return sb.toString();
        }
    }

    // ------------------------------------------------------------------ small helpers

    static float[] read(Path p) throws IOException {
        try (WavReader r = WavReader.open(p)) {
            if (r.format().sampleRate() != FS || r.format().channels() != 1) {
                throw new IOException(p + ": expected 48 kHz mono, got " + r.format());
            }
            return r.readAll();
        }
    }

    static float[] trim(float[] x) {
        int a = 0;
        int b = x.length;
        while (a < b && Math.abs(x[a]) < 1e-4f) {
            a++;
        }
        while (b > a && Math.abs(x[b - 1]) < 1e-4f) {
            b--;
        }
        return Arrays.copyOfRange(x, a, b);
    }

    static float[] quantise(float[] x) {
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = Math.max(-32768, Math.min(32767, Math.round(x[i] * 32768f))) / 32768f;
        }
        return y;
    }

    static float[] add(float[] a, float[] b, double gb) {
        float[] y = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            y[i] = (float) (a[i] + gb * b[i]);
        }
        return y;
    }

    static void scale(float[] x, double g) {
        for (int i = 0; i < x.length; i++) {
            x[i] *= (float) g;
        }
    }

    static double power(float[] x, int from, int to) {
        double p = 0;
        for (int i = from; i < to; i++) {
            p += (double) x[i] * x[i];
        }
        return p / Math.max(1, to - from);
    }

    static float[] concat(List<float[]> parts) {
        int n = 0;
        for (float[] p : parts) {
            n += p.length;
        }
        float[] r = new float[n];
        int o = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, r, o, p.length);
            o += p.length;
        }
        return r;
    }

    static float[] catF(List<float[]> l) {
        return concat(l);
    }

    static boolean[] catB(List<boolean[]> l) {
        int n = 0;
        for (boolean[] b : l) {
            n += b.length;
        }
        boolean[] r = new boolean[n];
        int o = 0;
        for (boolean[] b : l) {
            System.arraycopy(b, 0, r, o, b.length);
            o += b.length;
        }
        return r;
    }

    double uni(double a, double b) {
        return a + (b - a) * rng.nextDouble();
    }

    double gauss() {
        return rng.nextGaussian();
    }
}

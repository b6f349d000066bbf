package dev.odinreactive.bench.apm;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@link ApmBenchmark}'s operations timed in <em>thread CPU time</em> (ThreadMXBean), which stays
 * meaningful when other jobs steal the cores (wall-clock figures then mostly measure waiting).
 * Per operation: warm-up (20 passes over the 6 s workload: on a loaded machine the JIT compiler
 * threads need that long to finish), then {@code rounds} timed passes of 600 frames; prints the median and the best pass in us per 10 ms frame, and the real-time factor.
 * Run: {@code java -cp benchmarks/target/benchmarks.jar dev.odinreactive.bench.apm.ApmCpuHarness [rounds] [name...]}
 */
public final class ApmCpuHarness {
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    private ApmCpuHarness() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        ApmBenchmark b = new ApmBenchmark();
        b.setup();
        Map<String, Supplier<Object>> ops = new LinkedHashMap<>();
        ops.put("preAmplifier", b::preAmplifier);
        ops.put("highPass", b::highPass);
        ops.put("echoCanceller", b::echoCanceller);
        ops.put("transientSuppressor", b::transientSuppressor);
        ops.put("noiseSuppressor", b::noiseSuppressor);
        ops.put("voiceActivity", b::voiceActivity);
        ops.put("volumeGate", b::volumeGate);
        ops.put("gainController", b::gainController);
        ops.put("fullChain", b::fullChain);
        ops.put("defaultChain", b::defaultChain);
        var only = Arrays.asList(args).subList(Math.min(1, args.length), args.length);
        System.out.printf(Locale.ROOT, "%-22s %12s %12s %10s%n", "operation", "median us", "best us", "RTF");
        for (var e : ops.entrySet()) {
            if (!only.isEmpty() && !only.contains(e.getKey())) {
                continue;
            }
            double[] us = time(e.getValue(), rounds);
            System.out.printf(Locale.ROOT, "%-22s %12.1f %12.1f %10.4f%n", e.getKey(), us[0], us[1], us[0] / 10_000);
        }
    }

    /** Median and best CPU microseconds per frame over {@code rounds} passes of the workload. */
    static double[] time(Supplier<Object> op, int rounds) {
        int n = ApmWorkload.BLOCKS;
        Object sink = null;
        for (int i = 0; i < 20 * n; i++) {
            sink = op.get();
        }
        double[] pass = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            long t0 = CPU.getCurrentThreadCpuTime();
            for (int i = 0; i < n; i++) {
                sink = op.get();
            }
            pass[r] = (CPU.getCurrentThreadCpuTime() - t0) / 1e3 / n;
        }
        if (sink == null) {
            throw new AssertionError();
        }
        Arrays.sort(pass);
        return new double[] {pass[rounds / 2], pass[0]};
    }
}

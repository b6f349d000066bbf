package dev.odinreactive.it.media;

import static org.assertj.core.api.Assertions.assertThat;

import dev.odinreactive.audio.opus.OpusConfig;
import dev.odinreactive.audio.opus.OpusDecoder;
import dev.odinreactive.audio.opus.OpusEncoder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The encoder's in-band FEC setting against loss, offline (codec only, no network, no clock): the
 * speech-like signal encoded like a {@code LocalMedia} (32 kbit/s VOIP, complexity 3) with FEC off
 * or tuned for an expected loss, packets lost at random (seeded), decoded the way the jitter
 * buffer does it (FEC from the next packet when it is there, else PLC) and compared with
 * {@link SpeechQuality}. A measurement, run on demand ({@code -Dodin.fecSweep=true}); it chose
 * {@code DefaultLocalMedia.FEC_EXPECTED_LOSS_PERCENT} (docs/benchmarks.md).
 */
@EnabledIfSystemProperty(named = "odin.fecSweep", matches = "true")
class FecSweepIT {

    static final int[] EXPECTED = {-1, 5, 10, 15}; // -1: FEC off
    static final int[] LOSS = {0, 5, 10, 20};
    static final long SEED = 20_261_126L;

    @Test
    void fecSettingAgainstLoss() {
        float[] sent = SpeechQuality.voice(6, 140);
        StringBuilder out = new StringBuilder("FecSweepIT: mean LSD dB / bad frames % by expected loss (rows) and actual loss (columns)\n");
        double[][] lsd = new double[EXPECTED.length][LOSS.length];
        for (int e = 0; e < EXPECTED.length; e++) {
            out.append(EXPECTED[e] < 0 ? "  FEC off " : String.format(Locale.ROOT, "  FEC %2d %%", EXPECTED[e]));
            for (int l = 0; l < LOSS.length; l++) {
                SpeechQuality.Report q = SpeechQuality.compare(sent, decodeWithLoss(sent, EXPECTED[e], LOSS[l]));
                lsd[e][l] = q.meanLsdDb();
                out.append(String.format(Locale.ROOT, " | %2d %%: %.2f / %4.1f", LOSS[l], q.meanLsdDb(), q.badPercent()));
            }
            out.append('\n');
        }
        System.out.print(out);
        for (int e = 0; e < EXPECTED.length; e++) {
            assertThat(lsd[e][3]).as("20 %% loss is worse than none").isGreaterThan(lsd[e][0]);
        }
    }

    static List<float[]> decodeWithLoss(float[] signal, int expectedLoss, int lossPercent) {
        OpusConfig config = OpusConfig.defaults().withComplexity(3).withFec(expectedLoss >= 0, Math.max(0, expectedLoss));
        OpusEncoder enc = new OpusEncoder(config);
        List<byte[]> packets = new ArrayList<>();
        for (int i = 0; i + 960 <= signal.length; i += 960) {
            packets.add(enc.encode(Arrays.copyOfRange(signal, i, i + 960)));
        }
        SplittableRandom random = new SplittableRandom(SEED + lossPercent);
        boolean[] lost = new boolean[packets.size()];
        for (int i = 10; i < packets.size() - 10; i++) {
            lost[i] = random.nextDouble() < lossPercent / 100.0;
        }
        OpusDecoder dec = OpusDecoder.createDefault();
        List<float[]> heard = new ArrayList<>();
        for (int i = 0; i < packets.size(); i++) {
            float[] f = new float[960];
            if (!lost[i]) {
                dec.decode(packets.get(i), 0, packets.get(i).length, f);
            } else if (i + 1 < packets.size() && !lost[i + 1]) {
                dec.recover(packets.get(i + 1), 0, packets.get(i + 1).length, f, 960);
            } else {
                dec.conceal(f, 960);
            }
            heard.add(f);
        }
        return heard;
    }
}

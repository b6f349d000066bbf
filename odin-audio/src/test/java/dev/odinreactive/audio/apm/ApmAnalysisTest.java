package dev.odinreactive.audio.apm;

import static dev.odinreactive.audio.apm.Signals.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ApmAnalysisTest {

    @Test
    void volumeGateHasHysteresisAndHangOver() {
        // 0.5 s at -20 dBFS (open), 0.5 s at -35 (between release and attack: stays open),
        // 1 s at -60 (closes after the 300 ms hang-over)
        float[] x = concat(sine(300, -20, FS / 2), sine(300, -35, FS / 2), sine(300, -60, FS));
        List<ApmFrame> out = frames(x, F).transform(Apm.volumeGate(-30, -40)).collectList().block();
        assertThat(out).hasSize(200);
        int pre = 2;   // frames leave 20 ms late (pre-roll)
        assertThat(out.get(10 + pre).talking()).isTrue();
        assertThat(out.get(90 + pre).talking()).isTrue();
        assertThat(out.get(100 + 25 + pre).talking()).as("within the hang-over").isTrue();
        assertThat(out.get(100 + 35 + pre).talking()).as("after the hang-over").isFalse();
        assertThat(out.get(10 + pre).rmsDbfs()).isBetween(-21f, -19f);
    }

    @Test
    void gateDoesNotOpenBetweenReleaseAndAttack() {
        float[] x = sine(300, -35, FS);
        List<ApmFrame> out = frames(x, F).transform(Apm.volumeGate(-30, -40)).collectList().block();
        assertThat(out).noneMatch(ApmFrame::talking);
    }

    @Test
    void voiceActivityFollowsSpeechWithHangOverAndPreRoll() {
        float[] x = concat(noise(1, -60, FS), add(voiced(-25, FS), noise(2, -60, FS)), noise(3, -60, FS * 2));
        List<ApmFrame> out = frames(x, F).transform(Apm.voiceActivity(0.9f, 0.8f)).collectList().block();
        assertThat(out).hasSize(400);
        int pre = 2;
        double pNoise = out.subList(30 + pre, 95 + pre).stream().mapToDouble(ApmFrame::speechProbability).average().orElseThrow();
        double pSpeech = out.subList(110 + pre, 195 + pre).stream().mapToDouble(ApmFrame::speechProbability).average().orElseThrow();
        assertThat(pNoise).isLessThan(0.3);
        assertThat(pSpeech).isGreaterThan(0.8);
        assertThat(out.get(150 + pre).talking()).isTrue();
        // still talking 200 ms after the end (hang-over), silent 1 s after
        assertThat(out.get(220 + pre).talking()).isTrue();
        assertThat(out.get(320 + pre).talking()).isFalse();
        // pre-roll: the decision is on at least one frame before the first frame that triggered it
        int first = -1;
        for (int i = 0; i < out.size(); i++) {
            if (out.get(i).talking()) {
                first = i;
                break;
            }
        }
        assertThat(first).isBetween(95, 125);
        assertThat(out.get(first).speechProbability()).isLessThan(0.9f);
    }

    @Test
    void configValidatesAndHasOdinDefaults() {
        ApmConfig d = ApmConfig.defaults();
        assertThat(d.voiceActivityDetection()).isTrue();
        assertThat(d.voiceActivityDetectionAttackProbability()).isEqualTo(0.9f);
        assertThat(d.voiceActivityDetectionReleaseProbability()).isEqualTo(0.8f);
        assertThat(d.volumeGate()).isFalse();
        assertThat(d.volumeGateAttackLoudness()).isEqualTo(-30f);
        assertThat(d.volumeGateReleaseLoudness()).isEqualTo(-40f);
        assertThat(d.echoCanceller()).isTrue();
        assertThat(d.highPassFilter()).isFalse();
        assertThat(d.preAmplifier()).isFalse();
        assertThat(d.noiseSuppressionLevel()).isEqualTo(NoiseSuppressionLevel.MODERATE);
        assertThat(d.transientSuppressor()).isFalse();
        assertThat(d.gainController()).isTrue();
        assertThatThrownBy(() -> d.withVoiceActivityDetection(true, 1.5f, 0.8f))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[0, 1]");
        assertThatThrownBy(() -> d.withVoiceActivityDetection(true, 0.5f, 0.8f))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("above attack");
        assertThatThrownBy(() -> d.withVolumeGate(true, -40f, -30f))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("above attack");
        assertThatThrownBy(() -> d.withVolumeGate(true, 3f, -30f))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dBFS");
        assertThatThrownBy(() -> d.withVolumeGate(true, Float.NaN, -30f)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> d.withNoiseSuppressionLevel(null)).isInstanceOf(NullPointerException.class);
    }
}

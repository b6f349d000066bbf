package dev.odinreactive.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

class FramesTest {

    @Test
    void formatIsValidated() {
        assertThat(AudioFormat.of(48_000, 2).frameLength(20)).isEqualTo(1920);
        assertThat(AudioFormat.of(44_100, 1).samplesPerChannel(10)).isEqualTo(441);
        assertThatThrownBy(() -> AudioFormat.of(7_999, 1)).isInstanceOf(AudioFormatException.class)
                .hasMessageContaining("7999");
        assertThatThrownBy(() -> AudioFormat.of(192_001, 1)).isInstanceOf(AudioFormatException.class);
        assertThatThrownBy(() -> AudioFormat.of(48_000, 3)).isInstanceOf(AudioFormatException.class)
                .hasMessageContaining("channel count 3");
        assertThatThrownBy(() -> AudioFormat.of(11_025, 1).samplesPerChannel(10))
                .isInstanceOf(AudioFormatException.class);
    }

    @Test
    void reframesAnyChunkingAndCarriesRemainder() {
        AudioFormat fmt = AudioFormat.of(8_000, 2); // 20 ms = 320 interleaved samples
        int total = 320 * 3 + 100;
        float[] ramp = new float[total];
        for (int i = 0; i < total; i++) {
            ramp[i] = i;
        }
        List<float[]> chunks = new ArrayList<>();
        int[] sizes = {2, 500, 38, 400, 6, 114};
        int pos = 0;
        for (int s : sizes) {
            float[] c = new float[s];
            System.arraycopy(ramp, pos, c, 0, s);
            chunks.add(c);
            pos += s;
        }
        assertThat(pos).isEqualTo(total);

        List<float[]> out = Flux.fromIterable(chunks).transform(Frames.reframe(fmt, 20, Frames.Tail.PAD))
                .collectList().block();
        assertThat(out).hasSize(4).allSatisfy(f -> assertThat(f).hasSize(320));
        for (int i = 0; i < total; i++) {
            assertThat(out.get(i / 320)[i % 320]).isEqualTo(i);
        }
        assertThat(out.get(3)[100]).isZero();
        assertThat(out.get(3)[319]).isZero();

        StepVerifier.create(Flux.fromIterable(chunks).transform(Frames.reframe(fmt, 20, Frames.Tail.SHORT)))
                .expectNextCount(3).assertNext(f -> assertThat(f).hasSize(100)).verifyComplete();
        StepVerifier.create(Flux.fromIterable(chunks).transform(Frames.reframe(fmt, 20, Frames.Tail.DROP)))
                .expectNextCount(3).verifyComplete();
        StepVerifier.create(Flux.fromIterable(chunks).transform(Frames.reframe(fmt, 10, Frames.Tail.DROP)))
                .expectNextCount(6).verifyComplete();
    }

    @Test
    void reframeRejectsBadInput() {
        assertThatThrownBy(() -> Frames.reframe(AudioFormat.OPUS_MONO, 30, Frames.Tail.PAD))
                .isInstanceOf(AudioFormatException.class);
        StepVerifier.create(Flux.just(new float[3]).transform(Frames.reframe(AudioFormat.OPUS_STEREO)))
                .expectError(AudioFormatException.class).verify();
    }

    @Test
    void convertsChannels() {
        float[] mono = {0.5f, -0.25f};
        float[] stereo = Frames.convertChannels(mono, 1, 2);
        assertThat(stereo).containsExactly(0.5f, 0.5f, -0.25f, -0.25f);
        assertThat(Frames.convertChannels(new float[] {1f, 0f, -0.5f, 0.5f}, 2, 1)).containsExactly(0.5f, 0f);
        StepVerifier.create(Flux.just(mono).transform(Frames.convertChannels(1, 2)))
                .assertNext(f -> assertThat(f).containsExactly(stereo)).verifyComplete();
        assertThatThrownBy(() -> Frames.convertChannels(1, 3)).isInstanceOf(AudioFormatException.class);
    }
}

package dev.odinreactive.client.internal.media;

import dev.odinreactive.audio.AudioFormat;
import dev.odinreactive.audio.Frames;
import dev.odinreactive.audio.resample.Resampler;

/** Streaming conversion between 48 kHz mono (the media plane) and another format. Not thread-safe. */
final class OutputConverter {

    private final AudioFormat target;
    private final Resampler resampler;

    OutputConverter(AudioFormat target) {
        this.target = target;
        this.resampler = target.sampleRate() == 48_000 ? null : new Resampler(48_000, target.sampleRate(), 1);
    }

    /** 48 kHz mono in, {@code target} out (a fresh array unless no conversion is needed). */
    float[] convert(float[] mono48k) {
        float[] s = resampler == null ? mono48k : resampler.process(mono48k);
        return target.channels() == 1 ? s : Frames.convertChannels(s, 1, target.channels());
    }

    /** The other way: {@code from} to 48 kHz mono. */
    static float[] toMono48k(float[] samples, AudioFormat from, Resampler resampler) {
        float[] mono = from.channels() == 1 ? samples : Frames.convertChannels(samples, from.channels(), 1);
        return resampler == null ? mono : resampler.process(mono);
    }
}

package dev.odinreactive.cli.internal;

import dev.odinreactive.audio.AudioClip;
import dev.odinreactive.audio.io.OggOpusFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The speech clips bundled with the CLI ({@code clips/clip0..2.opus}, spoken by espeak-ng; see
 * {@code examples/odin-cli/tools/make-clips.sh}), decoded to 48 kHz mono.
 */
public final class SpeechClips {

    /** Number of bundled clips. */
    public static final int COUNT = 3;

    private SpeechClips() {
    }

    /** Clip {@code index % COUNT}, decoded (48 kHz mono). */
    public static AudioClip load(int index) {
        String name = "/dev/odinreactive/cli/clips/clip" + Math.floorMod(index, COUNT) + ".opus";
        try (InputStream in = SpeechClips.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("bundled clip " + name + " is missing from the jar");
            }
            return OggOpusFile.read(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read bundled clip " + name + ": " + e.getMessage(), e);
        }
    }
}

package dev.odinreactive.audio.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file that is not valid WAV or Ogg Opus, or uses a variant odin-audio does not support.
 * The message names the file and says what is wrong, in one line.
 */
public class AudioFileException extends IOException {
    private static final long serialVersionUID = 1L;

    /** @param file the offending file (may be null for streams) @param problem what is wrong */
    public AudioFileException(Path file, String problem) {
        super((file == null ? "" : file + ": ") + problem);
    }

    /** @param file the offending file @param problem what is wrong @param cause the underlying error */
    public AudioFileException(Path file, String problem, Throwable cause) {
        super((file == null ? "" : file + ": ") + problem, cause);
    }
}

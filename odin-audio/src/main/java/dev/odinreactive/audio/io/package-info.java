/**
 * Audio files: WAV ({@link dev.odinreactive.audio.io.WavFile}) and Ogg Opus
 * ({@link dev.odinreactive.audio.io.OggOpusFile}, RFC 7845), whole-file and as Flux sources and
 * sinks. All file access is blocking and the reactive forms run it on
 * {@code Schedulers.boundedElastic()}. Bad files raise
 * {@link dev.odinreactive.audio.io.AudioFileException}.
 */
package dev.odinreactive.audio.io;

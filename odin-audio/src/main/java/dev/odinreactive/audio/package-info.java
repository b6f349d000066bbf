/**
 * Pure audio for voice rooms: frames ({@code float[]}, interleaved, in [-1, 1]), Opus, resampler,
 * jitter buffer, mixer, APM operators, WAV and Ogg Opus files. No networking.
 */
package dev.odinreactive.audio;

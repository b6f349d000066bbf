/**
 * Sample-rate conversion: {@link dev.odinreactive.audio.resample.Resampler}, a streaming
 * band-limited polyphase windowed-sinc converter, as an object and as a Flux operator.
 */
package dev.odinreactive.audio.resample;

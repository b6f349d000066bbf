/**
 * Opus encoding and decoding on Concentus (pure Java) with ODIN's defaults
 * ({@link dev.odinreactive.audio.opus.OpusConfig#defaults()}), loss concealment and in-band FEC
 * recovery ({@link dev.odinreactive.audio.opus.OpusDecoder}).
 */
package dev.odinreactive.audio.opus;

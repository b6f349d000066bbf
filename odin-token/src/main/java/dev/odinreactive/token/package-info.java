/**
 * ODIN access keys and room tokens: {@code AccessKey}, {@code TokenGenerator} (returns {@code Mono}),
 * {@code TokenVerifier}. Pure computation, no networking.
 */
package dev.odinreactive.token;

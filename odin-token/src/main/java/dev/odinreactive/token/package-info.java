/**
 * ODIN access keys and room tokens, byte-compatible with {@code @4players/odin-tokens} 1.4.0.
 *
 * <ul>
 *   <li>{@link dev.odinreactive.token.AccessKey}: generate, parse ({@link dev.odinreactive.token.InvalidAccessKeyException}
 *       names the failed rule), key id, public key, JWK and TOML export;</li>
 *   <li>{@link dev.odinreactive.token.TokenGenerator}: {@code createToken(room, user[, options])} returns
 *       {@code Mono<String>}; {@link dev.odinreactive.token.TokenOptions} holds customer, audience, subject, lifetime;</li>
 *   <li>{@link dev.odinreactive.token.TokenVerifier}: key set, signature, time window, audience; returns
 *       {@code Mono<TokenClaims>} or signals a {@link dev.odinreactive.token.TokenException} with a reason.</li>
 * </ul>
 * Pure computation, no networking, no blocking; everything runs on the subscribing thread.
 */
package dev.odinreactive.token;

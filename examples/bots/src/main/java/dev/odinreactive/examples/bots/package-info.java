/**
 * Voice bots on the public client API: {@link dev.odinreactive.examples.bots.EchoBot},
 * {@link dev.odinreactive.examples.bots.RecorderBot} and
 * {@link dev.odinreactive.examples.bots.AnnouncerBot}; each has a {@code main}
 * ({@code GATEWAY_URL (ACCESS_KEY ROOM | TOKEN) ...}).
 */
package dev.odinreactive.examples.bots;

/** Helpers of the {@code odin} commands (duration parsing, bundled clips, level and latency meters); not an API. */
package dev.odinreactive.cli.internal;

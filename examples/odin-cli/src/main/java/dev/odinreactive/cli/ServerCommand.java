package dev.odinreactive.cli;

import dev.odinreactive.server.OdinServer;
import dev.odinreactive.server.RunningServer;
import dev.odinreactive.server.ServerConfig;
import dev.odinreactive.token.AccessKey;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code odin server}: runs the standalone server (gateway, control WebSocket, optional metrics)
 * until SIGINT/SIGTERM, then shuts down cleanly (peers get {@code Left{server_shutdown}}).
 */
@Command(name = "server",
        mixinStandardHelpOptions = true,
        description = {
                "Run a standalone odin-reactive server: gateway (POST /), control WebSocket (GET /v1/room)",
                "and, with --metrics or [metrics] enabled, Prometheus metrics (GET /metrics). Stops on Ctrl-C/SIGTERM."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:stopped by a signal", "2:bad input (bad key, bad config file, port in use)"})
final class ServerCommand implements Callable<Integer> {

    /** The server the last run started (tests stop it through this). */
    static final AtomicReference<RunningServer> RUNNING = new AtomicReference<>();

    @Spec
    private CommandSpec spec;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "server.toml (keys as in ODIN's config.toml; see docs/protocol.md section 7). Default: built-in defaults.")
    private Path config;

    @Option(names = {"-p", "--port"}, paramLabel = "PORT",
            description = "TCP port, overriding [http] binding (0 = any free port). Default: the config's, else 4433.")
    private Integer port;

    @Option(names = {"-k", "--access-key"}, paramLabel = "KEY", defaultValue = "${env:" + TokenCommand.ACCESS_KEY_ENV + "}",
            description = "Also trust tokens signed with this access key (default: the environment variable "
                    + TokenCommand.ACCESS_KEY_ENV + "). Only its key id is logged.")
    private String accessKey;

    @Option(names = "--metrics", description = "Serve Prometheus metrics at GET /metrics.")
    private boolean metrics;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        ServerConfig cfg;
        try {
            cfg = config != null ? ServerConfig.load(config) : ServerConfig.defaults()
                    .withHttp(ServerConfig.Http.defaults().withBinding("127.0.0.1", 4433));
        } catch (java.io.UncheckedIOException e) {
            throw new IllegalArgumentException("cannot read " + config + ": " + rootMessage(e), e);
        }
        if (port != null) {
            cfg = cfg.withHttp(cfg.http().withBinding(cfg.http().host(), port));
        }
        if (metrics) {
            cfg = cfg.withMetricsEnabled(true);
        }
        OdinServer.Builder builder = OdinServer.builder().config(cfg);
        String keyInfo;
        if (accessKey != null && !accessKey.isBlank()) {
            AccessKey key = AccessKey.parse(accessKey.trim());
            builder.trust(key);
            keyInfo = "trusting key id " + key.keyId();
        } else if (!cfg.authorization().keys().isEmpty()) {
            keyInfo = "trusting key ids " + cfg.authorization().keys().stream().map(k -> k.getOrDefault("kid", "(derived)")).toList();
        } else {
            keyInfo = "WARNING: no keys configured, no token will be accepted (give --access-key or [[authorization.keys]])";
        }
        RunningServer server;
        try {
            server = builder.start().block(Duration.ofSeconds(30));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("cannot start the server: " + rootMessage(e), e);
        }
        RUNNING.set(server);
        Thread hook = new Thread(() -> server.disposeNow(Duration.ofSeconds(10)), "odin-server-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        out.println("odin server listening on " + server.gatewayUrl() + " (gateway), " + server.controlUrl()
                + " (control)" + (cfg.metricsEnabled() ? ", " + server.gatewayUrl() + "metrics" : ""));
        out.println("public address " + server.publicAddress() + "; " + keyInfo);
        out.flush();
        server.onDispose().block();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is already running the hook: fine
        }
        out.println("odin server stopped");
        out.flush();
        return 0;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() != null ? t.getMessage() : t.toString();
    }
}

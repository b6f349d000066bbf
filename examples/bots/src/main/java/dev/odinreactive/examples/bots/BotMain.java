package dev.odinreactive.examples.bots;

import dev.odinreactive.client.OdinClient;
import dev.odinreactive.client.Room;
import dev.odinreactive.token.AccessKey;
import dev.odinreactive.token.TokenGenerator;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;

/**
 * The {@code main} the bots share: {@code GATEWAY_URL (ACCESS_KEY ROOM | TOKEN) [ARGS...]}. An
 * access key (no dots) signs a token for ROOM as the bot's user id; a token (a JWT, with dots) is
 * used as it is. Runs the bot until Ctrl-C or until the room closes, then stops it and leaves.
 */
final class BotMain {

    static final Duration TIMEOUT = Duration.ofSeconds(15);

    private BotMain() {
    }

    /**
     * Joins, starts the bot with the remaining arguments and waits. {@code start} returns how to
     * stop the bot (a {@code Mono} that completes once its files, if any, are final).
     */
    static void run(String[] args, String user, String usage, BiFunction<Room, List<String>, Supplier<Mono<?>>> start) {
        if (args.length < 2 || (!args[1].contains(".") && args.length < 3)) {
            System.err.println("usage: " + usage);
            System.exit(2);
        }
        boolean token = args[1].contains(".");
        List<String> rest = Arrays.asList(args).subList(token ? 2 : 3, args.length);
        OdinClient client = OdinClient.create();
        try {
            String jwt = token ? args[1] : TokenGenerator.create(AccessKey.parse(args[1])).createToken(args[2], user).block(TIMEOUT);
            Room room = client.room().join(args[0], jwt).block(TIMEOUT);
            System.out.println(user + " joined room " + room.id() + " as peer " + room.ownPeerId() + "; Ctrl-C to leave");
            Supplier<Mono<?>> stop = start.apply(room, rest);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                stop.get().onErrorResume(e -> Mono.empty()).block(TIMEOUT);   // finalise files before leaving
                client.disposeLater().block(TIMEOUT);
            }, user + "-shutdown"));
            room.events().blockLast(); // completes when the room closes (kicked, reconnect gave up)
            System.err.println(user + ": the room closed");
            System.exit(1);
        } catch (RuntimeException e) {
            System.err.println(user + ": " + e.getMessage());
            client.disposeLater().block(TIMEOUT);
            System.exit(1);
        }
    }
}

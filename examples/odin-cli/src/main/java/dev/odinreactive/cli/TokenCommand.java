package dev.odinreactive.cli;

import dev.odinreactive.token.AccessKey;
import dev.odinreactive.token.Audience;
import dev.odinreactive.token.TokenGenerator;
import dev.odinreactive.token.TokenOptions;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code odin token}: signs a room token with an access key and prints it alone on stdout. */
@Command(name = "token",
        mixinStandardHelpOptions = true,
        description = {
                "Create a room token signed with an access key and print it alone on stdout.",
                "The token is byte-identical to one from @4players/odin-tokens 1.4.0 for the same inputs."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:token printed", "2:bad input (e.g. an invalid access key; one line on stderr names the rule)"})
final class TokenCommand implements Callable<Integer> {

    /** The environment variable read when --access-key is not given. */
    static final String ACCESS_KEY_ENV = "ODIN_ACCESS_KEY";

    @Spec
    private CommandSpec spec;

    @Option(names = {"-k", "--access-key"}, paramLabel = "KEY", defaultValue = "${env:" + ACCESS_KEY_ENV + "}",
            description = "The access key that signs the token (default: the environment variable "
                    + ACCESS_KEY_ENV + "). Prefer the variable: options show up in process lists.")
    private String accessKey;

    @Option(names = {"-r", "--room"}, paramLabel = "ROOM", required = true,
            description = "The room id (claim rid). Repeat for a multi-room token (rid becomes an array).")
    private List<String> rooms;

    @Option(names = {"-u", "--user"}, paramLabel = "USER", required = true,
            description = "The user id (claim uid).")
    private String user;

    @Option(names = {"-c", "--customer"}, paramLabel = "CUSTOMER",
            description = "The customer id (claim cid); set it for tokens that go straight to a server. Default: none.")
    private String customer;

    @Option(names = {"-a", "--audience"}, paramLabel = "AUDIENCE", defaultValue = "none",
            completionCandidates = AudienceNames.class,
            description = "Who accepts the token (claim aud): ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE} (no aud claim).")
    private Audience audience;

    @Option(names = {"-l", "--lifetime"}, paramLabel = "SECONDS", defaultValue = "300",
            description = "How long the token is valid (exp - nbf), in whole seconds > 0. Default: ${DEFAULT-VALUE}.")
    private long lifetime;

    @Option(names = {"-s", "--subject"}, paramLabel = "SUBJECT",
            description = "The RPC method the token allows (claim sub). Repeat for several (sub becomes an array). "
                    + "Default: connect.")
    private List<String> subjects;

    /** The audience names as users type them: none, gateway, sfu. */
    static final class AudienceNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return java.util.Arrays.stream(Audience.values())
                    .map(a -> a.name().toLowerCase(java.util.Locale.ROOT)).iterator();
        }
    }

    @Override
    public Integer call() {
        if (accessKey == null || accessKey.isBlank()) {
            throw new ParameterException(spec.commandLine(),
                    "Missing access key: give --access-key KEY or set " + ACCESS_KEY_ENV);
        }
        if (lifetime <= 0) {
            throw new ParameterException(spec.commandLine(), "--lifetime must be a whole number of seconds > 0");
        }
        AccessKey key = AccessKey.parse(accessKey); // InvalidAccessKeyException -> exit 2 (OdinCli)
        TokenOptions.Builder options = TokenOptions.builder()
                .customer(customer)
                .audience(audience)
                .lifetime(Duration.ofSeconds(lifetime));
        if (subjects != null && subjects.size() == 1) {
            options.subject(subjects.get(0));
        } else if (subjects != null) {
            options.subjects(subjects);
        }
        TokenGenerator generator = TokenGenerator.create(key);
        String token = (rooms.size() == 1
                ? generator.createToken(rooms.get(0), user, options.build())
                : generator.createToken(rooms, user, options.build())).block();
        PrintWriter out = spec.commandLine().getOut();
        out.println(token);
        out.flush();
        return 0;
    }
}

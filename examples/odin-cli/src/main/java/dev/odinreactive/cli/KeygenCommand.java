package dev.odinreactive.cli;

import dev.odinreactive.token.AccessKey;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code odin keygen}: makes a new access key (or describes an existing one). */
@Command(name = "keygen",
        mixinStandardHelpOptions = true,
        description = {
                "Generate a new ODIN access key and print it with its key id and public key:",
                "  access_key: <44 chars, SECRET: signs room tokens>",
                "  key_id: <12 chars, the 'kid' of every token it signs>",
                "  public_key: <base64url Ed25519 public key, the JWK 'x'>"})
final class KeygenCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @ArgGroup(exclusive = true)
    private Format format = new Format();

    static final class Format {
        @Option(names = "--jwk",
                description = "Print the private JWK {\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"kid\",\"x\",\"d\"} instead "
                        + "(one line; \"d\" is the secret seed, so keep it as secret as the access key).")
        boolean jwk;

        @Option(names = "--toml",
                description = "Print the [[authorization.keys]] block for an ODIN server config instead "
                        + "(public part only). A freshly generated access key is then printed to stderr.")
        boolean toml;
    }

    @Option(names = "--access-key", paramLabel = "KEY",
            description = "Describe this existing access key instead of generating a new one.")
    private String accessKey;

    @Override
    public Integer call() {
        AccessKey key = accessKey == null ? AccessKey.generate() : AccessKey.parse(accessKey);
        PrintWriter out = spec.commandLine().getOut();
        if (format.jwk) {
            out.println(key.privateJwk());
        } else if (format.toml) {
            out.print(key.tomlBlock());
            if (accessKey == null) {
                spec.commandLine().getErr().println("access_key: " + key.encoded());
            }
        } else {
            out.println("access_key: " + key.encoded());
            out.println("key_id: " + key.keyId());
            out.println("public_key: " + key.publicKeyBase64Url());
        }
        out.flush();
        return 0;
    }
}

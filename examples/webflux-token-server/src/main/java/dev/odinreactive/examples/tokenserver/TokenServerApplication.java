package dev.odinreactive.examples.tokenserver;

import dev.odinreactive.token.AccessKey;
import dev.odinreactive.token.TokenGenerator;
import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.validation.annotation.Validated;

/**
 * A token service for ODIN rooms: {@code POST /token} with {@code {"room":…,"user":…}} answers
 * {@code {"token":…}} (see {@link TokenController}). The access key comes from the property
 * {@code odin.access-key} (or the environment variable {@code ODIN_ACCESS_KEY}), never from code.
 *
 * <pre>ODIN_ACCESS_KEY=$(odin keygen | sed -n 's/^access_key: //p') java -jar target/webflux-token-server.jar</pre>
 */
@SpringBootApplication
@EnableConfigurationProperties(TokenServerApplication.OdinProperties.class)
public class TokenServerApplication {

    public static void main(String[] args) {
        SpringApplication.run(TokenServerApplication.class, args);
    }

    /** Signs every token with the configured key; an invalid key stops start-up with the failed rule. */
    @Bean
    TokenGenerator tokenGenerator(OdinProperties properties) {
        return TokenGenerator.create(AccessKey.parse(properties.accessKey()));
    }

    /** Configuration under {@code odin.*}. */
    @Validated
    @ConfigurationProperties("odin")
    record OdinProperties(@NotBlank(message = "set odin.access-key or ODIN_ACCESS_KEY") String accessKey) {
        @Override
        public String toString() {
            return "OdinProperties[accessKey=<secret>]"; // never log the key
        }
    }
}

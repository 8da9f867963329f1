package dev.netportal.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The refusal catalogue and {@code docs/errors.md}, which is generated from it: the file must be what the catalogue
 * says. After a change to {@link Refusal}, write it anew with
 * {@code ./mvnw test -Dtest=ErrorCatalogueTest -Dnetportal.write-docs=true}.
 */
class ErrorCatalogueTest {

    static final Path DOC = Path.of("docs/errors.md");

    @Test
    void docsErrorsMdIsGeneratedFromTheCatalogue() throws IOException {
        String expected = document();
        if (Boolean.getBoolean("netportal.write-docs")) {
            Files.writeString(DOC, expected);
        }
        assertThat(Files.readString(DOC)).as("docs/errors.md is out of date: regenerate it (see this test's comment)")
                .isEqualTo(expected);
    }

    @Test
    void messagesFillTheTemplateInOrderAndRefuseAWrongNumberOfValues() {
        assertThat(Refusal.S5_PARTITION.message("web", "nbg-1", "fra-1"))
                .isEqualTo("Network web is in partition nbg-1, not in fra-1; networks are used only in their own partition (S5).");
        assertThatThrownBy(() -> Refusal.S5_PARTITION.message("web")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Refusal.S5_PARTITION.message("a", "b", "c", "d")).isInstanceOf(IllegalArgumentException.class);
        DomainException refused = Refusal.I1_IP_TAKEN.with("10.0.0.7", "web");
        assertThat(refused.code()).isEqualTo("I1-ip-taken");
        assertThat(refused.kind()).isEqualTo(DomainException.Kind.CONFLICT);
        assertThat(refused.field()).contains("ip");
        assertThat(refused.refusal().rule()).contains("I1");
        assertThat(Refusal.PAGING.rule()).isEmpty();
    }

    @Test
    void statusesFollowTheKindAndRuleRefusalsNameARule() {
        for (Refusal refusal : Refusal.values()) {
            assertThat(refusal.status()).as(refusal.name()).isEqualTo(switch (refusal.kind()) {
                case NOT_FOUND -> 404;
                case FORBIDDEN -> 403;
                case CONFLICT -> 409;
                case INVALID -> 400;
                case RULE -> 422;
            });
            // the API's own rule (an idempotency key is for one request) is not a product rule
            if (refusal.kind() == DomainException.Kind.RULE && refusal != Refusal.IDEMPOTENCY_KEY_REUSED) {
                assertThat(refusal.rule()).as(refusal.name() + " is refused by a rule: its code starts with the rule id").isPresent();
            }
            assertThat(refusal.code()).matches("[A-Za-z0-9-]+");
        }
    }

    static String document() {
        String rows = Arrays.stream(Refusal.values())
                .map(r -> "| `" + r.code() + "` | " + r.status() + " | " + r.rule().orElse("") + " | "
                        + r.field().map(f -> "`" + f + "`").orElse("") + " | " + r.template().replace("|", "\\|") + " |")
                .collect(Collectors.joining("\n"));
        return """
                # Errors

                Every refusal the portal answers, generated from the catalogue `dev.netportal.common.Refusal` (a test
                keeps this file equal to it). In the API a refusal is an RFC 9457 problem (`application/problem+json`)
                whose `type` ends in the code, with the HTTP status below, the message as `detail` and the `requestId`.
                The UI shows the message at the form field named in the field column, or as a notice. The rule column
                names the product rule that refuses; a `{}` in a message stands for the object or value it names.

                | code | HTTP status | rule | field | message |
                |---|---|---|---|---|
                """ + rows + "\n";
    }
}

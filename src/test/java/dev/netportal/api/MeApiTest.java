package dev.netportal.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netportal.testing.Api;
import dev.netportal.testing.PkceLogin;
import dev.netportal.testing.TestPortal;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/** {@code GET /api/v1/me} with tokens obtained like a script does: netportal-cli, PKCE, the real login form. */
class MeApiTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            admin | Ada Admin      | true  |
            alice | Alice Storage  | false | storage:Storage:owner
            bob   | Bob Tenant-A   | false | tenant-a:Tenant A:owner
            carol | Carol Tenant-A | false | tenant-a:Tenant A:member
            dave  | Dave Tenant-B  | false | tenant-b:Tenant B:owner
            vera  | Vera Viewer    | false | tenant-a:Tenant A:viewer
            """)
    void answersTheCallersIdentityProjectsAndRoles(String user, String name, boolean admin, String projects) {
        TestPortal portal = TestPortal.shared();
        String token = PkceLogin.accessToken(portal.issuer(), user, user);

        Api.Answer me = Api.get(portal.apiUrl() + "/api/v1/me", token);

        assertThat(me.status()).isEqualTo(200);
        assertThat(me.json().get("subject").asString()).isEqualTo(user);
        assertThat(me.json().get("name").asString()).isEqualTo(name);
        assertThat(me.json().get("admin").asBoolean()).isEqualTo(admin);
        List<String> listed = new ArrayList<>();
        for (JsonNode project : me.json().get("projects")) {
            listed.add(project.get("id").asString() + ":" + project.get("name").asString() + ":" + project.get("role").asString());
        }
        assertThat(listed).isEqualTo(projects == null ? List.of() : List.of(projects));
    }
}

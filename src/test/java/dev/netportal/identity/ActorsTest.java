package dev.netportal.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ActorsTest {

    private final Actors actors = new Actors(new IdentitySettings("groups", "netportal-admin"));

    @Test
    void readsAdminAndProjectRolesFromTheRoleClaim() {
        Actor actor = actors.fromClaims(Map.of("sub", "u1", "name", "Bob",
                "groups", List.of("netportal-admin", "project:tenant-a:owner", "project:storage:viewer")));

        assertThat(actor.subject()).isEqualTo("u1");
        assertThat(actor.name()).isEqualTo("Bob");
        assertThat(actor.admin()).isTrue();
        assertThat(actor.roles()).containsExactly(
                Map.entry(new ProjectId("storage"), ProjectRole.VIEWER),
                Map.entry(new ProjectId("tenant-a"), ProjectRole.OWNER));
    }

    @Test
    void aTokenWithoutSubjectNamesNoOne() {
        assertThatThrownBy(() -> actors.fromClaims(Map.of("name", "Nobody")))
                .hasMessageContaining("without subject");
        assertThatThrownBy(() -> actors.fromClaims(Map.of("sub", " ")))
                .hasMessageContaining("without subject");
    }

    @Test
    void ignoresGroupsThatAreNotRoles() {
        Actor actor = actors.fromClaims(Map.of("sub", "u1", "groups", List.of("developers", "project:tenant-a",
                "project:tenant-a:king", "project:Not_A_Slug:owner", "project:a:b:owner", "netportal-admins")));

        assertThat(actor.admin()).isFalse();
        assertThat(actor.roles()).isEmpty();
    }

    @Test
    void keepsTheHighestRoleWhenAProjectIsNamedTwice() {
        Actor actor = actors.fromClaims(Map.of("sub", "u1",
                "groups", List.of("project:tenant-a:member", "project:tenant-a:owner", "project:tenant-a:viewer")));

        assertThat(actor.roleIn(new ProjectId("tenant-a"))).contains(ProjectRole.OWNER);
    }

    @Test
    void readsAConfiguredClaimAndAdminGroup() {
        Actors custom = new Actors(new IdentitySettings("roles", "cloud-admins"));

        Actor actor = custom.fromClaims(Map.of("sub", "u1", "roles", "cloud-admins project:x:member",
                "groups", List.of("netportal-admin")));

        assertThat(actor.admin()).isTrue();
        assertThat(actor.roles()).containsExactly(Map.entry(new ProjectId("x"), ProjectRole.MEMBER));
    }

    @Test
    void fallsBackFromNameToUserNameToSubject() {
        assertThat(actors.fromClaims(Map.of("sub", "u1", "preferred_username", "bob")).name()).isEqualTo("bob");
        assertThat(actors.fromClaims(Map.of("sub", "u1", "name", " ")).name()).isEqualTo("u1");
    }

    @Test
    void rolesIncludeTheWeakerOnes() {
        Actor member = new Actor("u", "U", false, Map.of(new ProjectId("p"), ProjectRole.MEMBER));

        assertThat(member.has(ProjectRole.VIEWER, new ProjectId("p"))).isTrue();
        assertThat(member.has(ProjectRole.MEMBER, new ProjectId("p"))).isTrue();
        assertThat(member.has(ProjectRole.OWNER, new ProjectId("p"))).isFalse();
        assertThat(member.has(ProjectRole.VIEWER, new ProjectId("other"))).isFalse();
        assertThat(Actor.system().has(ProjectRole.OWNER, new ProjectId("other"))).isTrue();
    }
}

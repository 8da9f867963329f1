package dev.netportal.project;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netportal.common.DomainException;
import dev.netportal.identity.Actor;
import dev.netportal.identity.ProjectId;
import dev.netportal.identity.ProjectRole;
import dev.netportal.testing.TestPortal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Projects on the real PostgreSQL, after the migrations and the development demo data ran. */
class ProjectServiceTest {

    private final TestPortal portal = TestPortal.shared();
    private final ProjectService projects = portal.portal().core().getBean(ProjectService.class);

    @Test
    void demoDataIsSeededOnceAndIdempotent() throws Exception {
        boolean createdAgain = projects.createIfAbsent(Actor.system(), new ProjectId("storage"), "Storage", "").block();

        assertThat(createdAgain).isFalse();
        try (Connection c = portal.database().connect(); Statement s = c.createStatement();
                ResultSet rows = s.executeQuery("SELECT string_agg(id, ',' ORDER BY id) FROM project "
                        + "WHERE id IN ('storage', 'tenant-a', 'tenant-b')")) {
            rows.next();
            assertThat(rows.getString(1)).isEqualTo("storage,tenant-a,tenant-b");
        }
    }

    @Test
    void membershipsCarryProjectNamesAndFallBackToTheIdForUnknownProjects() {
        Actor actor = new Actor("u", "U", false, Map.of(new ProjectId("tenant-b"), ProjectRole.MEMBER,
                new ProjectId("not-yet-known"), ProjectRole.VIEWER));

        assertThat(projects.memberships(actor).block()).containsExactly(
                new ProjectMembership(new ProjectId("not-yet-known"), "not-yet-known", ProjectRole.VIEWER),
                new ProjectMembership(new ProjectId("tenant-b"), "Tenant B", ProjectRole.MEMBER));
    }

    @Test
    void membershipsShowARenameAndANewProjectAtOnce() {
        String suffix = Long.toString(System.nanoTime(), 36);
        ProjectId renamed = new ProjectId("named-" + suffix);
        ProjectId later = new ProjectId("later-" + suffix);
        Actor admin = Actor.system();
        projects.create(admin, renamed, "Before", "", new Project.Quotas(null, null, null, null)).block();
        Actor member = new Actor("u", "U", false, Map.of(renamed, ProjectRole.MEMBER, later, ProjectRole.VIEWER));
        assertThat(projects.memberships(member).block()).extracting(ProjectMembership::name).containsExactly("later-" + suffix, "Before");

        projects.update(admin, renamed, "After", "", new Project.Quotas(null, null, null, null)).block();
        projects.create(admin, later, "Later", "", new Project.Quotas(null, null, null, null)).block();

        assertThat(projects.memberships(member).block()).extracting(ProjectMembership::name).containsExactly("Later", "After");
    }

    @Test
    void onlyAdminsCreateProjects() {
        Actor owner = new Actor("u", "U", false, Map.of(new ProjectId("tenant-a"), ProjectRole.OWNER));

        assertThatThrownBy(() -> projects.createIfAbsent(owner, new ProjectId("sneaky"), "Sneaky", "").block())
                .isInstanceOfSatisfying(DomainException.class, e -> assertThat(e.kind()).isEqualTo(DomainException.Kind.FORBIDDEN));
        assertThat(projects.names(java.util.List.of(new ProjectId("sneaky"))).block()).isEmpty();
    }
}

package dev.netportal.idp;

import java.util.List;
import java.util.Optional;

/** A user of the development sign-in; the password is the user name. */
record DemoUser(String username, String name, String email, List<String> groups) {

    static final List<DemoUser> ALL = List.of(
            new DemoUser("admin", "Ada Admin", "admin@netportal.test", List.of("netportal-admin")),
            new DemoUser("alice", "Alice Storage", "alice@netportal.test", List.of("project:storage:owner")),
            new DemoUser("bob", "Bob Tenant-A", "bob@netportal.test", List.of("project:tenant-a:owner")),
            new DemoUser("carol", "Carol Tenant-A", "carol@netportal.test", List.of("project:tenant-a:member")),
            new DemoUser("dave", "Dave Tenant-B", "dave@netportal.test", List.of("project:tenant-b:owner")),
            new DemoUser("vera", "Vera Viewer", "vera@netportal.test", List.of("project:tenant-a:viewer")),
            // the other kinds of caller that the authorization tests try every endpoint with
            new DemoUser("ingrid", "Ingrid Tenant-A", "ingrid@netportal.test", List.of("project:tenant-a:owner")),
            new DemoUser("quentin", "Quentin Tenant-B", "quentin@netportal.test", List.of("project:tenant-b:member")),
            new DemoUser("wanda", "Wanda Viewer-B", "wanda@netportal.test", List.of("project:tenant-b:viewer")),
            new DemoUser("hazel", "Hazel Admin-Viewer", "hazel@netportal.test",
                    List.of("netportal-admin", "project:tenant-a:viewer")),
            new DemoUser("norbert", "Norbert No-Role", "norbert@netportal.test", List.of()));

    static Optional<DemoUser> find(String username) {
        return ALL.stream().filter(u -> u.username().equals(username)).findFirst();
    }
}

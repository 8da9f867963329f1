package dev.netportal.project;

import dev.netportal.identity.ProjectId;
import dev.netportal.identity.ProjectRole;

/** One project the caller belongs to, with its display name and the caller's role in it. */
public record ProjectMembership(ProjectId id, String name, ProjectRole role) {
}

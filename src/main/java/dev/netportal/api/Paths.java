package dev.netportal.api;

import dev.netportal.common.DomainException;
import dev.netportal.identity.ProjectId;

/** Path segments read once: a project id that cannot exist is "not found", like one the caller cannot see. */
final class Paths {

    private Paths() {
    }

    static ProjectId project(String project) {
        if (!ProjectId.isValid(project)) {
            throw DomainException.notFound("Project " + project);
        }
        return new ProjectId(project);
    }
}

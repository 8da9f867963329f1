package dev.netportal.api;

import dev.netportal.common.DomainException;
import dev.netportal.common.Refusal;
import dev.netportal.identity.ProjectId;
import java.util.UUID;

/** Path segments read once: a project id that cannot exist is "not found", like one the caller cannot see. */
final class Paths {

    private Paths() {
    }

    /** A required id of the request body; missing is a refusal that names the field. */
    static UUID required(UUID value, String field) {
        if (value == null) {
            throw Refusal.NETWORK_REQUIRED.with(field);
        }
        return value;
    }

    static ProjectId project(String project) {
        if (!ProjectId.isValid(project)) {
            throw DomainException.notFound("Project " + project);
        }
        return new ProjectId(project);
    }
}

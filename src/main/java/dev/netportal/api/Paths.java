package dev.netportal.api;

import dev.netportal.common.DomainException;
import dev.netportal.common.Refusal;
import dev.netportal.identity.ProjectId;
import java.util.ArrayList;
import java.util.List;
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

    /** A machine size is required; a missing one is refused like an unknown one (M1), naming the field. */
    static String size(String size, String partition) {
        if (size == null) {
            throw Refusal.M1_SIZE.with(partition, "(none)");
        }
        return size;
    }

    /**
     * The addresses asked for in a network: {@code ip} (one) and {@code ips} (one per family), as sent; the rules
     * (at most one per family, each of a family the network has, M2) are the services'.
     */
    static List<String> addresses(String ip, List<String> ips) {
        List<String> all = new ArrayList<>();
        if (ip != null) {
            all.add(ip);
        }
        if (ips != null) {
            all.addAll(ips);
        }
        if (all.size() > 2) {
            throw Refusal.M2_IPS_COUNT.with(all.size());
        }
        return all;
    }

    static ProjectId project(String project) {
        if (!ProjectId.isValid(project)) {
            throw DomainException.notFound("Project " + project);
        }
        return new ProjectId(project);
    }
}

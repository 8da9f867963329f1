package dev.netportal.project;

import dev.netportal.identity.ProjectId;

/** A project with its quotas (null = unlimited) and current usage. */
public record Project(ProjectId id, String name, String description, Quotas quotas, Quotas usage) {

    /** Networks, machines, firewalls and IPs; in quotas a null means unlimited. */
    public record Quotas(Integer networks, Integer machines, Integer firewalls, Integer ips) {
    }
}

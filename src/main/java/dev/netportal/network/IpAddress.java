package dev.netportal.network;

import dev.netportal.ipam.Address;
import dev.netportal.identity.ProjectId;
import java.time.OffsetDateTime;
import java.util.UUID;

/** An allocated IP address (I2: {@code STATIC} reserved by a project, {@code EPHEMERAL} bound to a machine). */
public record IpAddress(Address ip, NetworkId network, ProjectId project, IpKind kind, String name, String description,
                        OffsetDateTime createdAt) {
}

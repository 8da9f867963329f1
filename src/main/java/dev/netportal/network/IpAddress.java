package dev.netportal.network;

import dev.netportal.identity.ProjectId;
import dev.netportal.ipam.Address;
import java.time.OffsetDateTime;

/** An allocated IP address (I2: {@code STATIC} reserved by a project, {@code EPHEMERAL} bound to a machine). */
public record IpAddress(Address ip, NetworkId network, ProjectId project, IpKind kind, String name, String description,
                        OffsetDateTime createdAt) {
}

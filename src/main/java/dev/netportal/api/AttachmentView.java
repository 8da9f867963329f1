package dev.netportal.api;

import dev.netportal.common.NatType;
import dev.netportal.machine.Machine;
import dev.netportal.network.NetworkType;
import java.util.List;
import java.util.UUID;

/**
 * One network of a machine or firewall as the API shows it: {@code ips} holds its address of each family of the
 * network (IPv4 first), {@code ip} the first of them.
 */
record AttachmentView(UUID network, String name, NetworkType type, String project, NatType natType, String ip,
                      List<String> ips, boolean primary) {

    static AttachmentView of(Machine.Attachment a) {
        return new AttachmentView(a.network().value(), a.name(), a.type(), a.project(), a.natType(), a.ip(), a.ips(),
                a.primary());
    }
}

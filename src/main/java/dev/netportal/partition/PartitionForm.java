package dev.netportal.partition;

import dev.netportal.common.NatType;
import dev.netportal.common.Refusal;
import dev.netportal.ipam.Family;
import dev.netportal.ipam.Prefix;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What an admin types or sends to create or change a partition, read once by the rules of P1: the API and the
 * admin page hand over the text as given and get a {@link PartitionSpec} or a refusal, so both check the same way.
 */
public final class PartitionForm {

    /** The default prefix length of a partition's private networks when none is given. */
    public static final int DEFAULT_CHILD_LENGTH = 22;

    private PartitionForm() {
    }

    /** An external network as given: name, prefixes for firewall IPs, destinations and the NAT type's name. */
    public record External(String name, List<String> prefixes, List<String> destinations, String natType) {
    }

    /**
     * P1: a new partition; the first IPv4 pool is its pool, the first IPv6 one its IPv6 pool. Lengths not given
     * are /22 and /64, none shorter than the pool of their family.
     */
    public static PartitionSpec spec(String id, String name, String description, List<String> pools, Integer childLength,
            Integer minChildLength, Integer childLengthV6, Integer minChildLengthV6, List<External> externals,
            Optional<PartitionSpec.Proxy> proxy, Map<String, Integer> inventory) {
        return spec(id, name, description, pools, childLength, minChildLength, childLengthV6, minChildLengthV6, externals, proxy,
                inventory, FabricSettings.FabricChange.NONE);
    }

    /**
     * P1: a new partition with fabric settings; those not given are the defaults (3 s keepalive, 9 s hold time,
     * tenant prefixes to external networks marked no-export).
     */
    public static PartitionSpec spec(String id, String name, String description, List<String> pools, Integer childLength,
            Integer minChildLength, Integer childLengthV6, Integer minChildLengthV6, List<External> externals,
            Optional<PartitionSpec.Proxy> proxy, Map<String, Integer> inventory, FabricSettings.FabricChange fabric) {
        if (id == null || !id.matches("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?") || name == null || name.isBlank()) {
            throw Refusal.P1_PARTITION_ID.with();
        }
        List<Prefix> parsed = prefixes(pools);
        Prefix v4 = parsed.stream().filter(p -> p.family() == Family.IPV4).findFirst()
                .orElseThrow(() -> Refusal.P1_POOL_REQUIRED.with(id));
        Optional<Prefix> v6 = parsed.stream().filter(p -> p.family() == Family.IPV6).findFirst();
        return new PartitionSpec(id, name.strip(), description == null ? "" : description, v4, v6,
                childLength == null ? DEFAULT_CHILD_LENGTH : childLength,
                minChildLength == null ? v4.length() : minChildLength,
                childLengthV6 == null ? PartitionSpec.DEFAULT_CHILD_LENGTH_V6 : childLengthV6,
                minChildLengthV6 == null ? v6.map(Prefix::length).orElse(PartitionSpec.DEFAULT_CHILD_LENGTH_V6) : minChildLengthV6,
                inventory == null ? Map.of() : inventory, externals(externals), proxy, FabricSettings.DEFAULTS.with(fabric));
    }

    /**
     * Fabric settings as given: timers in seconds, and how tenant prefixes go to external networks by name
     * ({@code NO_EXPORT}, {@code EXPORT}); absent ones are null (P1). The timers are checked with the values they
     * end up beside, when a partition is created or changed.
     */
    public static FabricSettings.FabricChange fabric(Integer keepalive, Integer holdTime, String externalExport) {
        return new FabricSettings.FabricChange(keepalive, holdTime,
                externalExport == null ? null : FabricSettings.ExternalExport.parse(externalExport.strip()));
    }

    /**
     * P1: a change as given; absent values stay. A proxy and its removal together are refused; pools and external
     * networks, when given, list the existing ones too (the service checks that none is removed or changed).
     */
    public static PartitionChange change(String name, String description, Integer childLength, Integer minChildLength,
            Integer childLengthV6, Integer minChildLengthV6, Proxy given, boolean removeProxy, Map<String, Integer> inventory, List<String> pools,
            List<External> externals) {
        return change(name, description, childLength, minChildLength, childLengthV6, minChildLengthV6, given, removeProxy, inventory,
                pools, externals, FabricSettings.FabricChange.NONE);
    }

    /** P1: a change as given, with fabric settings to change ({@link #fabric}). */
    public static PartitionChange change(String name, String description, Integer childLength, Integer minChildLength,
            Integer childLengthV6, Integer minChildLengthV6, Proxy given, boolean removeProxy, Map<String, Integer> inventory, List<String> pools,
            List<External> externals, FabricSettings.FabricChange fabric) {
        if (given != null && removeProxy) {
            throw Refusal.P1_PROXY_OR_REMOVE.with();
        }
        Optional<PartitionSpec.Proxy> proxy = givenProxy(given);
        return new PartitionChange(Optional.ofNullable(name), Optional.ofNullable(description),
                Optional.ofNullable(childLength), Optional.ofNullable(minChildLength), Optional.ofNullable(childLengthV6),
                Optional.ofNullable(minChildLengthV6), proxy, removeProxy,
                inventory == null ? Map.of() : inventory, Optional.ofNullable(pools),
                Optional.ofNullable(externals).map(PartitionForm::externals), fabric);
    }

    /** External networks as given; each needs a name and a known NAT type (P1). */
    public static List<PartitionSpec.ExternalNetworkSpec> externals(List<External> given) {
        return given == null ? List.of() : given.stream().map(e -> {
            if (e.name() == null || e.name().isBlank()) {
                throw Refusal.P1_EXTERNAL_NAME.with();
            }
            NatType nat = NatType.parse(e.natType()).orElseThrow(() -> Refusal.P1_NAT_TYPE.with(e.name(), e.natType()));
            List<Prefix> prefixes = prefixes(e.prefixes());
            // firewalls take an address of each family there (M2): one prefix per family, each with room for one
            if (prefixes.isEmpty() || prefixes.stream().map(Prefix::family).distinct().count() < prefixes.size()
                    || prefixes.stream().anyMatch(p -> p.allocatable().isEmpty())) {
                throw Refusal.P1_EXTERNAL_PREFIXES.with(e.name().strip());
            }
            return new PartitionSpec.ExternalNetworkSpec(e.name().strip(), prefixes, prefixes(e.destinations()), nat);
        }).toList();
    }

    /**
     * A proxy typed in a form: none when the host is empty (whatever the port says); else a host and a port from 1
     * to 65535 (P1, M4).
     */
    public static Optional<PartitionSpec.Proxy> proxy(String host, Integer port) {
        if (host == null || host.isBlank()) {
            return Optional.empty();
        }
        if (port == null || port < 1 || port > 65535) {
            throw Refusal.P1_PROXY_PORT.with(host.strip());
        }
        return Optional.of(new PartitionSpec.Proxy(host.strip(), port));
    }

    /** A proxy sent as such (P1, M4): it needs a host and a port from 1 to 65535; absent means none. */
    public static Optional<PartitionSpec.Proxy> givenProxy(Proxy given) {
        if (given == null) {
            return Optional.empty();
        }
        if (given.host() == null || given.host().isBlank() || given.port() == null || given.port() < 1
                || given.port() > 65535) {
            throw Refusal.P1_PROXY.with();
        }
        return Optional.of(new PartitionSpec.Proxy(given.host().strip(), given.port()));
    }

    /** A proxy as sent: its host and port, either possibly missing. */
    public record Proxy(String host, Integer port) {
    }

    /** Prefixes separated by commas or spaces, in one text (as the admin page takes them). */
    public static List<String> split(String text) {
        return Arrays.stream(text == null ? new String[0] : text.split("[,\\s]+")).filter(part -> !part.isBlank()).toList();
    }

    /** An inventory typed as {@code size=count, ...} (or {@code size:count}). */
    public static Map<String, Integer> inventory(String text) {
        Map<String, Integer> sizes = new LinkedHashMap<>();
        for (String entry : text == null ? new String[0] : text.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            String[] parts = entry.split("[=:]");
            try {
                sizes.put(parts[0].strip(), Integer.parseInt(parts[1].strip()));
            } catch (RuntimeException malformed) {
                throw Refusal.P1_INVENTORY_SYNTAX.with(entry.strip());
            }
        }
        return sizes;
    }

    private static List<Prefix> prefixes(List<String> texts) {
        return texts == null ? List.of() : texts.stream().map(Prefix::parse).toList();
    }
}

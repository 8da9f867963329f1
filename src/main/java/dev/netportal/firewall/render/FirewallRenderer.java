package dev.netportal.firewall.render;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Renders a firewall's routing and filtering from its networks (R1-R4), as a pure function: one BGP VRF per
 * network with {@code import vrf} filtered by route-maps that match the source VRF and its prefixes, and one
 * nftables table with a forward policy of drop, the allowed flows and the masquerading. The same inputs always
 * give the same text: networks are ordered by role and VRF, and nothing depends on time or order of arrival.
 */
public final class FirewallRenderer {

    /** The private AS the firewall's BGP instances run in; they only import between VRFs, they have no peers. */
    static final int AS = 65000;

    private FirewallRenderer() {
    }

    public static Rendered render(FirewallInput input) {
        List<FirewallInput.Leg> legs = input.legs().stream()
                .sorted(Comparator.comparing(FirewallInput.Leg::role).thenComparingInt(FirewallInput.Leg::vrf)).toList();
        FirewallInput.Leg primary = legs.stream().filter(l -> l.role() == FirewallInput.Role.PRIMARY).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("firewall " + input.firewall() + " has no primary network"));
        String frr = frr(input.firewall(), primary, legs);
        String nftables = nftables(input.firewall(), primary, legs);
        return new Rendered(frr, nftables, sha256(frr + "\u0000" + nftables));
    }

    // ---------------------------------------------------------------- FRR (R1)

    private static String frr(String firewall, FirewallInput.Leg primary, List<FirewallInput.Leg> legs) {
        boolean dualStack = legs.stream().anyMatch(l -> l.prefixes().stream().anyMatch(FirewallRenderer::v6)
                || l.destinations().stream().anyMatch(FirewallRenderer::v6));
        StringBuilder out = new StringBuilder();
        out.append("! Netportal firewall ").append(safe(firewall)).append(": rendered, do not edit\n");
        out.append("frr defaults traditional\n");
        out.append("hostname ").append(hostname(firewall)).append("\n");
        if (dualStack) {
            // IPv6 forwarding is off on a Linux host by default; zebra turns it on
            out.append("ipv6 forwarding\n");
        }
        out.append("!\n");
        for (FirewallInput.Leg leg : legs) {
            out.append("vrf ").append(vrf(leg)).append("\n");
            if (leg.role() == FirewallInput.Role.EXTERNAL) {
                for (String destination : leg.destinations()) {
                    of(v6(destination), leg.gateways()).stream().findFirst().ifPresent(gateway -> out.append(v6(destination) ? " ipv6 route " : " ip route ")
                            .append(destination).append(" ").append(gateway).append("\n"));
                }
            }
            out.append("exit-vrf\n!\n");
        }
        // what each VRF offers to the others, per family
        for (FirewallInput.Leg leg : legs) {
            int seq = 5;
            for (String prefix : of(false, offered(leg))) {
                out.append("ip prefix-list ").append(prefixList(leg, false)).append(" seq ").append(seq).append(" permit ")
                        .append(prefix).append(prefix.endsWith("/0") ? "" : " le 32").append("\n");
                seq += 5;
            }
            seq = 5;
            for (String prefix : of(true, offered(leg))) {
                out.append("ipv6 prefix-list ").append(prefixList(leg, true)).append(" seq ").append(seq).append(" permit ")
                        .append(prefix).append(prefix.endsWith("/0") ? "" : " le 128").append("\n");
                seq += 5;
            }
        }
        out.append("!\n");
        // the primary VRF imports every shared network's prefixes and the external destinations;
        // every shared and external VRF imports the primary's prefixes (the way back); external ones mark them no-export
        out.append(routeMap(primary, legs.stream().filter(l -> l != primary).toList(), false));
        for (FirewallInput.Leg leg : legs) {
            if (leg != primary) {
                out.append(routeMap(leg, List.of(primary), leg.role() == FirewallInput.Role.EXTERNAL));
            }
        }
        String routerId = of(false, primary.ips()).stream().findFirst().orElse(null);
        for (FirewallInput.Leg leg : legs) {
            List<FirewallInput.Leg> sources = leg == primary ? legs.stream().filter(l -> l != primary).toList() : List.of(primary);
            out.append("router bgp ").append(AS).append(" vrf ").append(vrf(leg)).append("\n");
            String id = of(false, leg.ips()).stream().findFirst().orElse(routerId);
            if (id != null) {
                out.append(" bgp router-id ").append(id).append("\n");
            }
            addressFamily(out, "ipv4", leg, sources);
            if (dualStack) {
                addressFamily(out, "ipv6", leg, sources);
            }
            out.append("exit\n!\n");
        }
        return out.toString();
    }

    private static void addressFamily(StringBuilder out, String family, FirewallInput.Leg leg, List<FirewallInput.Leg> sources) {
        out.append(" address-family ").append(family).append(" unicast\n");
        out.append("  redistribute connected\n");
        if (leg.role() == FirewallInput.Role.EXTERNAL) {
            out.append("  redistribute static\n");
        }
        for (FirewallInput.Leg source : sources) {
            out.append("  import vrf ").append(vrf(source)).append("\n");
        }
        if (!sources.isEmpty()) {
            out.append("  import vrf route-map ").append(importMap(leg)).append("\n");
        }
        out.append(" exit-address-family\n");
    }

    /** What a VRF offers the others: its prefixes, or an external network's destinations. */
    private static List<String> offered(FirewallInput.Leg leg) {
        return leg.role() == FirewallInput.Role.EXTERNAL ? leg.destinations() : leg.prefixes();
    }

    private static String routeMap(FirewallInput.Leg into, List<FirewallInput.Leg> sources, boolean noExport) {
        StringBuilder out = new StringBuilder();
        int seq = 10;
        for (FirewallInput.Leg source : sources) {
            for (boolean ipv6 : new boolean[] {false, true}) {
                if (of(ipv6, offered(source)).isEmpty()) {
                    continue;
                }
                out.append("route-map ").append(importMap(into)).append(" permit ").append(seq).append("\n");
                out.append(" description ").append(safe(source.network())).append(" into ").append(safe(into.network()))
                        .append(ipv6 ? " (IPv6)" : "").append("\n");
                out.append(" match source-vrf ").append(vrf(source)).append("\n");
                out.append(ipv6 ? " match ipv6 address prefix-list " : " match ip address prefix-list ")
                        .append(prefixList(source, ipv6)).append("\n");
                if (noExport) {
                    out.append(" set community no-export\n");
                }
                out.append("exit\n");
                seq += 10;
            }
        }
        if (!sources.isEmpty()) {
            out.append("route-map ").append(importMap(into)).append(" deny ").append(seq).append("\nexit\n!\n");
        }
        return out.toString();
    }

    // ---------------------------------------------------------------- nftables (R2, R3)

    private static String nftables(String firewall, FirewallInput.Leg primary, List<FirewallInput.Leg> legs) {
        StringBuilder out = new StringBuilder();
        out.append("# Netportal firewall ").append(safe(firewall)).append(": rendered, do not edit\n");
        out.append("table inet netportal\n");
        out.append("delete table inet netportal\n");
        out.append("table inet netportal {\n");
        out.append("\tchain forward {\n");
        out.append("\t\ttype filter hook forward priority filter; policy drop;\n");
        out.append("\t\tct state established,related counter accept comment \"replies\"\n");
        out.append("\t\tct state invalid counter drop comment \"invalid\"\n");
        for (boolean ipv6 : new boolean[] {false, true}) {
            List<String> primaryPrefixes = of(ipv6, primary.prefixes());
            if (primaryPrefixes.isEmpty()) {
                continue;
            }
            for (FirewallInput.Leg leg : legs) {
                if (leg == primary || of(ipv6, leg.ips()).isEmpty()) {
                    continue;
                }
                out.append("\t\tiifname ").append(ingress(primary)).append(" oifname \"").append(device(leg))
                        .append("\" ").append(saddr(ipv6)).append(" ").append(set(primaryPrefixes)).append(" counter accept comment \"")
                        .append(safe(primary.network())).append(" to ").append(kind(leg)).append(" ").append(safe(leg.network()))
                        .append(ipv6 ? " (IPv6)" : "").append("\"\n");
            }
        }
        for (boolean ipv6 : new boolean[] {false, true}) {
            List<String> primaryPrefixes = of(ipv6, primary.prefixes());
            for (FirewallInput.Leg leg : legs) {
                List<String> sharedPrefixes = of(ipv6, leg.prefixes());
                if (leg.role() == FirewallInput.Role.SHARED && !leg.masquerade() && !primaryPrefixes.isEmpty()
                        && !sharedPrefixes.isEmpty()) {
                    out.append("\t\tiifname ").append(ingress(leg)).append(" oifname \"").append(device(primary))
                            .append("\" ").append(saddr(ipv6)).append(" ").append(set(sharedPrefixes))
                            .append(ipv6 ? " ip6 daddr " : " ip daddr ").append(set(primaryPrefixes))
                            .append(" counter accept comment \"shared ").append(safe(leg.network())).append(" to ")
                            .append(safe(primary.network())).append(" (NAT NONE").append(ipv6 ? ", IPv6" : "").append(")\"\n");
                }
            }
        }
        out.append("\t\tcounter comment \"dropped: everything else\"\n");
        out.append("\t}\n\n");
        out.append("\tchain postrouting {\n");
        out.append("\t\ttype nat hook postrouting priority srcnat; policy accept;\n");
        // IPV4_MASQUERADE translates IPv4 only; IPv6 leaves with the machines' own addresses (no NAT66)
        List<String> primaryV4 = of(false, primary.prefixes());
        for (FirewallInput.Leg leg : legs) {
            List<String> legV4 = of(false, leg.ips());
            if (leg != primary && leg.masquerade() && !primaryV4.isEmpty() && !legV4.isEmpty()) {
                String ip = legV4.getFirst();
                out.append("\t\toifname \"").append(device(leg)).append("\" ip saddr ").append(set(primaryV4))
                        .append(" counter snat ip to ").append(ip).append(" comment \"").append(safe(primary.network()))
                        .append(" behind ").append(ip).append(" in ").append(safe(leg.network())).append("\"\n");
            }
        }
        out.append("\t}\n");
        out.append("}\n");
        return out.toString();
    }

    private static String saddr(boolean ipv6) {
        return ipv6 ? "ip6 saddr" : "ip saddr";
    }

    /** Whether a prefix or address is IPv6. */
    private static boolean v6(String text) {
        return text.indexOf(':') >= 0;
    }

    /** The prefixes or addresses of one family, in their order. */
    private static List<String> of(boolean ipv6, List<String> texts) {
        return texts.stream().filter(text -> v6(text) == ipv6).toList();
    }

    // ---------------------------------------------------------------- names

    /** The VRF of a network on the firewall. */
    public static String vrf(FirewallInput.Leg leg) {
        return "vrf-" + leg.vrf();
    }

    /** The firewall's interface in a network (within the 15 characters Linux allows). */
    public static String device(FirewallInput.Leg leg) {
        return "n" + leg.vrf();
    }

    /**
     * How forwarded traffic that arrived in a network is recognised: where the kernel has VRF devices, the forward
     * hook sees the VRF device as the input interface, not the network's own interface; where VRFs are emulated
     * by routing tables, it sees the interface. Each VRF holds exactly one interface, so both names mean the same.
     */
    private static String ingress(FirewallInput.Leg leg) {
        return "{ \"" + device(leg) + "\", \"" + vrf(leg) + "\" }";
    }

    private static String prefixList(FirewallInput.Leg leg, boolean ipv6) {
        return (ipv6 ? "pl6-" : "pl-") + leg.vrf();
    }

    private static String importMap(FirewallInput.Leg leg) {
        return "rm-into-" + leg.vrf();
    }

    private static String kind(FirewallInput.Leg leg) {
        return switch (leg.role()) {
            case PRIMARY -> "primary";
            case SHARED -> "shared";
            case EXTERNAL -> "external";
        };
    }

    private static String hostname(String firewall) {
        String name = firewall.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
        return "fw-" + (name.length() > 40 ? name.substring(0, 40) : name);
    }

    /**
     * Text from users (network and firewall names) as it may appear in a comment or description: letters, digits
     * and {@code . _ : / -} only, so that no name can end a comment or start a line of configuration.
     */
    static String safe(String text) {
        String cleaned = text == null ? "" : text.replaceAll("[^A-Za-z0-9._:/-]", "_");
        return cleaned.length() > 64 ? cleaned.substring(0, 64) : cleaned;
    }

    private static String set(List<String> prefixes) {
        return prefixes.size() == 1 ? prefixes.getFirst() : prefixes.stream().collect(Collectors.joining(", ", "{ ", " }"));
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}

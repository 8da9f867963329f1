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
 * network with {@code import vrf} filtered by route-maps that match the source VRF and its prefixes, a BGP
 * unnumbered session towards the fabric in every shared and external VRF with explicit route-maps each way, and one
 * nftables table with a forward policy of drop, the allowed flows and the masquerading. The same inputs always give
 * the same text: networks are ordered by role and VRF, and nothing depends on time or order of arrival.
 */
public final class FirewallRenderer {

    private FirewallRenderer() {
    }

    public static Rendered render(FirewallInput input) {
        List<FirewallInput.Leg> legs = input.legs().stream()
                .sorted(Comparator.comparing(FirewallInput.Leg::role).thenComparingInt(FirewallInput.Leg::vrf)).toList();
        FirewallInput.Leg primary = legs.stream().filter(l -> l.role() == FirewallInput.Role.PRIMARY).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("firewall " + input.firewall() + " has no primary network"));
        String frr = frr(input, primary, legs);
        String nftables = nftables(input.firewall(), primary, legs);
        return new Rendered(frr, nftables, sha256(frr + "\u0000" + nftables));
    }

    // ---------------------------------------------------------------- FRR (R1)

    /**
     * FRR's own keepalive and hold time under {@code frr defaults traditional}. Its running configuration leaves out
     * timers equal to them, so they are not rendered either: a reload would otherwise set them again every time.
     */
    private static final int FRR_KEEPALIVE = 60;
    private static final int FRR_HOLD = 180;

    private static String frr(FirewallInput input, FirewallInput.Leg primary, List<FirewallInput.Leg> legs) {
        boolean dualStack = legs.stream().anyMatch(l -> l.prefixes().stream().anyMatch(FirewallRenderer::v6)
                || l.destinations().stream().anyMatch(FirewallRenderer::v6));
        StringBuilder out = new StringBuilder();
        out.append("! Netportal firewall ").append(safe(input.firewall())).append(": rendered, do not edit\n");
        out.append("frr defaults traditional\n");
        out.append("hostname ").append(hostname(input.firewall())).append("\n");
        // both explicit: zebra shows a host's forwarding state in its running configuration, and a file without the
        // lines would turn it off on every reload; IPv6 forwarding is off on a Linux host by default
        out.append("ip forwarding\n");
        out.append("ipv6 forwarding\n");
        // route-map changes reach the peers a second after a reload, not five; 0 would switch that off altogether
        // ("no route updates happen when route-maps change"): a changed export policy would wait for a session reset
        out.append("bgp route-map delay-timer 1\n");
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
            prefixList(out, prefixList(leg, false), of(false, offered(leg)), true);
            prefixList(out, prefixList(leg, true), of(true, offered(leg)), true);
        }
        // what each VRF takes from the fabric: the same prefixes, exactly (no more specific route inside them)
        for (FirewallInput.Leg leg : legs) {
            if (leg.facesTheFabric()) {
                prefixList(out, fabricList(leg, false), of(false, offered(leg)), false);
                prefixList(out, fabricList(leg, true), of(true, offered(leg)), false);
            }
        }
        out.append("!\n");
        // the primary VRF imports every shared network's prefixes and the external destinations;
        // every shared and external VRF imports the primary's prefixes (the way back)
        out.append(routeMap(primary, legs.stream().filter(l -> l != primary).toList()));
        for (FirewallInput.Leg leg : legs) {
            if (leg != primary) {
                out.append(routeMap(leg, List.of(primary)));
            }
        }
        // what each VRF that faces the fabric takes from it and announces to it
        for (FirewallInput.Leg leg : legs) {
            if (leg.facesTheFabric()) {
                out.append(fabricIn(leg));
                out.append(fabricOut(leg, primary, input.fabric()));
            }
        }
        String routerId = of(false, primary.ips()).stream().findFirst().orElse(null);
        // the default instance: bgpd makes it anyway for "import vrf", and a reload that did not find it in the
        // file would try to delete it (and fail, since the VRF instances depend on it)
        out.append("router bgp ").append(input.asn()).append("\n");
        if (routerId != null) {
            out.append(" bgp router-id ").append(routerId).append("\n");
        }
        out.append("exit\n!\n");
        for (FirewallInput.Leg leg : legs) {
            List<FirewallInput.Leg> sources = leg == primary ? legs.stream().filter(l -> l != primary).toList() : List.of(primary);
            out.append("router bgp ").append(input.asn()).append(" vrf ").append(vrf(leg)).append("\n");
            String id = of(false, leg.ips()).stream().findFirst().orElse(routerId);
            if (id != null) {
                out.append(" bgp router-id ").append(id).append("\n");
            }
            if (leg.facesTheFabric()) {
                if (input.fabric().keepalive() != FRR_KEEPALIVE || input.fabric().hold() != FRR_HOLD) {
                    out.append(" timers bgp ").append(input.fabric().keepalive()).append(" ").append(input.fabric().hold()).append("\n");
                }
                // BGP unnumbered: the leaf is whoever speaks BGP on the network's interface, over IPv6 link-local
                out.append(" neighbor ").append(device(leg)).append(" interface remote-as external\n");
            }
            addressFamily(out, false, leg, sources);
            if (dualStack) {
                addressFamily(out, true, leg, sources);
            }
            out.append("exit\n!\n");
        }
        return out.toString();
    }

    private static void prefixList(StringBuilder out, String name, List<String> prefixes, boolean longer) {
        int seq = 5;
        for (String prefix : prefixes) {
            boolean ipv6 = v6(prefix);
            out.append(ipv6 ? "ipv6 prefix-list " : "ip prefix-list ").append(name).append(" seq ").append(seq).append(" permit ")
                    .append(prefix).append(!longer || prefix.endsWith("/0") ? "" : ipv6 ? " le 128" : " le 32").append("\n");
            seq += 5;
        }
    }

    private static void addressFamily(StringBuilder out, boolean ipv6, FirewallInput.Leg leg, List<FirewallInput.Leg> sources) {
        out.append(" address-family ").append(ipv6 ? "ipv6" : "ipv4").append(" unicast\n");
        out.append("  redistribute connected\n");
        if (leg.role() == FirewallInput.Role.EXTERNAL) {
            out.append("  redistribute static\n");
        }
        if (leg.facesTheFabric() && (!ipv6 || !of(true, leg.prefixes()).isEmpty())) {
            String neighbor = "  neighbor " + device(leg);
            if (ipv6) {
                // IPv4 unicast is on for every neighbour by default (frr defaults traditional), IPv6 is not
                out.append(neighbor).append(" activate\n");
            }
            out.append(neighbor).append(" route-map ").append(fabricInMap(leg)).append(" in\n");
            out.append(neighbor).append(" route-map ").append(fabricOutMap(leg)).append(" out\n");
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

    private static String routeMap(FirewallInput.Leg into, List<FirewallInput.Leg> sources) {
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
                out.append("exit\n");
                seq += 10;
            }
        }
        if (!sources.isEmpty()) {
            out.append("route-map ").append(importMap(into)).append(" deny ").append(seq).append("\nexit\n!\n");
        }
        return out.toString();
    }

    /**
     * What a VRF takes from the fabric: exactly what it offers the primary VRF anyway (a shared network's prefixes, an
     * external network's destinations), nothing else. Other firewalls' tenant prefixes, which the leaf passes on,
     * stay out, and so does any more specific route inside those prefixes: a speaker on the shared network that
     * announced a /32 of it would otherwise draw every consumer's traffic for that address to itself.
     */
    private static String fabricIn(FirewallInput.Leg leg) {
        StringBuilder out = new StringBuilder();
        int seq = 10;
        for (boolean ipv6 : new boolean[] {false, true}) {
            if (!of(ipv6, offered(leg)).isEmpty()) {
                seq = fabricEntry(out, fabricInMap(leg), seq, (leg.role() == FirewallInput.Role.EXTERNAL ? "destinations of " : "")
                        + safe(leg.network()) + " from the fabric", ipv6, fabricList(leg, ipv6), false);
            }
        }
        out.append("route-map ").append(fabricInMap(leg)).append(" deny ").append(seq).append("\nexit\n!\n");
        return out.toString();
    }

    /**
     * What a VRF announces to the fabric: the primary network's prefixes it imported (the way back to the primary
     * network), per family where the firewall has an address in the network, and nothing of the network itself: every
     * firewall in it would announce the same prefix, drawing traffic meant for the others (or for the network's owner)
     * to whichever the fabric picks; the fabric reaches the firewall's own address, to which masqueraded traffic
     * returns, on the network it is connected to. Masquerading
     * hides the primary's IPv4 prefixes behind the firewall's address, so they are not announced then; IPv6 is never
     * translated. Towards an external network the primary's prefixes are marked {@code no-export} where the partition
     * says so: the external routers use them and pass them on to no other AS.
     */
    private static String fabricOut(FirewallInput.Leg leg, FirewallInput.Leg primary, FirewallInput.Fabric fabric) {
        StringBuilder out = new StringBuilder();
        int seq = 10;
        boolean noExport = leg.role() == FirewallInput.Role.EXTERNAL && fabric.externalNoExport();
        for (boolean ipv6 : new boolean[] {false, true}) {
            if (!of(ipv6, leg.ips()).isEmpty() && !of(ipv6, primary.prefixes()).isEmpty() && (ipv6 || !leg.masquerade())) {
                seq = fabricEntry(out, fabricOutMap(leg), seq, safe(primary.network()) + " behind the firewall"
                        + (noExport ? ", to no other AS" : ""), ipv6, prefixList(primary, ipv6), noExport);
            }
        }
        out.append("route-map ").append(fabricOutMap(leg)).append(" deny ").append(seq).append("\nexit\n!\n");
        return out.toString();
    }

    private static int fabricEntry(StringBuilder out, String map, int seq, String description, boolean ipv6, String prefixList,
            boolean noExport) {
        out.append("route-map ").append(map).append(" permit ").append(seq).append("\n");
        out.append(" description ").append(description).append(ipv6 ? " (IPv6)" : "").append("\n");
        out.append(ipv6 ? " match ipv6 address prefix-list " : " match ip address prefix-list ").append(prefixList).append("\n");
        if (noExport) {
            out.append(" set community no-export additive\n");
        }
        out.append("exit\n");
        return seq + 10;
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

    /** What a VRF offers the others, exactly as offered: what it takes from the fabric. */
    private static String fabricList(FirewallInput.Leg leg, boolean ipv6) {
        return (ipv6 ? "pl6-fabric-" : "pl-fabric-") + leg.vrf();
    }

    private static String fabricInMap(FirewallInput.Leg leg) {
        return "rm-fabric-in-" + leg.vrf();
    }

    private static String fabricOutMap(FirewallInput.Leg leg) {
        return "rm-fabric-out-" + leg.vrf();
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

package dev.netportal.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netportal.testing.Api;
import dev.netportal.testing.PkceLogin;
import dev.netportal.testing.TestPortal;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Dual stack through the API (P1, N1, M2, R1-R3): a partition with both pools and a child length per family, a
 * network with a prefix of each, machines and firewalls with an address of each (given or automatic), and firewall
 * configurations that carry both families.
 */
class DualStackApiTest {

    private static final Map<String, String> TOKENS = new ConcurrentHashMap<>();

    private final TestPortal portal = TestPortal.shared();
    private final String partition = "dual-" + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 20), 36);

    private String token(String user) {
        return TOKENS.computeIfAbsent(user, u -> PkceLogin.accessToken(portal.issuer(), u, u));
    }

    private Api.Answer send(String method, String user, String path, String json) {
        return Api.send(method, portal.apiUrl() + path, token(user), json);
    }

    private static void assertProblem(Api.Answer answer, int status, String type) {
        assertThat(answer.status()).as(answer.raw().body()).isEqualTo(status);
        assertThat(answer.json().get("type").asString()).endsWith("/errors/" + type);
    }

    private static Api.Answer created(Api.Answer answer) {
        assertThat(answer.status()).as(answer.raw().body()).isEqualTo(201);
        return answer;
    }

    private String partitionJson(String id, String v6Pool, String lengths) {
        return "{\"id\":\"" + id + "\",\"name\":\"Dual\",\"superNetworks\":[\"10.77.0.0/16\",\"" + v6Pool + "\"],"
                + "\"childPrefixLength\":" + lengths + ",\"minChildPrefixLengthV6\":60,"
                + "\"externalNetworks\":[{\"name\":\"internet\",\"prefixes\":[\"185.77.0.0/24\",\"2001:db8:77::/64\"],"
                + "\"destinationPrefixes\":[\"0.0.0.0/0\",\"::/0\"],\"natType\":\"IPV4_MASQUERADE\"}],"
                + "\"inventory\":{\"c1\":6}}";
    }

    private static List<String> texts(JsonNode array) {
        return array.valueStream().map(JsonNode::asString).toList();
    }

    @Test
    void aDualStackJourneyGivesEveryNetworkMachineAndFirewallBothFamilies() {
        // P1: a pool must hold at least one child of each length a tenant may be given
        assertProblem(send("POST", "admin", "/api/v1/partitions", partitionJson(partition, "fd00:77::/72",
                "{\"ipv4\":24,\"ipv6\":64}").replace("\"minChildPrefixLengthV6\":60,", "")), 400, "P1-child-length");
        assertProblem(send("POST", "admin", "/api/v1/partitions", partitionJson(partition, "fd00:77::/56",
                "{\"ipv4\":24,\"ipv5\":64}")), 400, "P1-child-length");
        JsonNode dual = created(send("POST", "admin", "/api/v1/partitions", partitionJson(partition, "fd00:77::/56",
                "{\"ipv4\":24,\"ipv6\":64}"))).json();
        assertThat(dual.get("childPrefixLength").get("ipv6").asInt()).isEqualTo(64);
        assertThat(dual.get("minChildPrefixLengthV6").asInt()).isEqualTo(60);
        assertProblem(send("PATCH", "admin", "/api/v1/partitions/" + partition, "{\"childPrefixLength\":{\"ipv6\":127}}"),
                400, "P1-child-length");
        assertThat(send("PATCH", "admin", "/api/v1/partitions/" + partition, "{\"childPrefixLength\":{\"ipv6\":64}}")
                .status()).isEqualTo(200);

        // N1: one prefix of each family, the IPv6 one of the partition's length or the one asked for
        JsonNode network = created(send("POST", "bob", "/api/v1/projects/tenant-a/networks",
                "{\"name\":\"web-dual\",\"partition\":\"" + partition + "\"}")).json();
        assertThat(texts(network.get("prefixes"))).containsExactly("10.77.0.0/24", "fd00:77::/64");
        assertProblem(send("POST", "bob", "/api/v1/projects/tenant-a/networks",
                "{\"name\":\"too-big\",\"partition\":\"" + partition + "\",\"prefixLengthV6\":56}"), 400, "N1-prefix-length");
        assertProblem(send("POST", "bob", "/api/v1/projects/tenant-a/networks",
                "{\"name\":\"v4-only\",\"partition\":\"nbg-1\",\"prefixLengthV6\":64}"), 400, "N1-no-ipv6-pool");
        JsonNode wide = created(send("POST", "bob", "/api/v1/projects/tenant-a/networks",
                "{\"name\":\"wide\",\"partition\":\"" + partition + "\",\"prefixLengthV6\":62}")).json();
        assertThat(texts(wide.get("prefixes"))).containsExactly("10.77.1.0/24", "fd00:77:0:4::/62");
        String web = network.get("id").asString();
        // a static IPv6 address, written by the database in its short form, in the answer and the audit event alike
        String wideId = wide.get("id").asString();
        JsonNode v6 = created(send("POST", "bob", "/api/v1/networks/" + wideId + "/ips", "{\"ip\":\"FD00:77:0:4:0:0:0:A\"}")).json();
        assertThat(v6.get("ip").asString()).isEqualTo("fd00:77:0:4::a");
        JsonNode v6Event = send("GET", "bob", "/api/v1/audit-events?object=" + wideId + "&action=ip.", null).json().get("items").get(0);
        assertThat(v6Event.get("objectId").asString()).isEqualTo(wideId + "/fd00:77:0:4::a");
        assertThat(v6Event.get("after").get("ip").asString()).isEqualTo("fd00:77:0:4::a");
        assertThat(send("DELETE", "bob", "/api/v1/networks/" + wideId + "/ips/fd00:77:0:4::a", null).status()).isEqualTo(204);

        // M2: an address of each family; a given one per family at most, inside the network
        JsonNode machine = created(send("POST", "carol", "/api/v1/projects/tenant-a/machines", "{\"name\":\"db\","
                + "\"partition\":\"" + partition + "\",\"size\":\"c1\",\"network\":\"" + web + "\",\"ips\":[\"fd00:77::99\"]}")).json();
        assertThat(texts(machine.get("ips"))).containsExactly("10.77.0.2", "fd00:77::99");
        assertThat(machine.get("ip").asString()).isEqualTo("10.77.0.2");
        assertProblem(send("POST", "carol", "/api/v1/projects/tenant-a/machines", "{\"name\":\"x\",\"partition\":\"" + partition
                + "\",\"size\":\"c1\",\"network\":\"" + web + "\",\"ips\":[\"fd00:77::5\",\"fd00:77::6\"]}"), 400, "M2-one-per-family");
        assertProblem(send("POST", "carol", "/api/v1/projects/tenant-a/machines", "{\"name\":\"x\",\"partition\":\"" + partition
                + "\",\"size\":\"c1\",\"network\":\"" + web + "\",\"ips\":[\"fd00:78::5\"]}"), 400, "I1-outside");
        assertProblem(send("POST", "carol", "/api/v1/projects/tenant-a/machines", "{\"name\":\"x\",\"partition\":\"" + partition
                + "\",\"size\":\"c1\",\"network\":\"" + web + "\",\"ips\":[\"fd00:77::5%eth0\"]}"), 400, "ip-malformed");
        assertProblem(send("POST", "carol", "/api/v1/projects/tenant-a/machines", "{\"name\":\"x\",\"partition\":\"" + partition
                + "\",\"size\":\"c1\",\"network\":\"" + web + "\",\"ips\":[\"bad\",\"bad\",\"bad\"]}"), 400, "validation");   // more than two: refused before anything is read (V2)
        assertProblem(send("POST", "carol", "/api/v1/projects/tenant-a/machines", "{\"name\":\"x\",\"partition\":\"" + partition
                + "\",\"size\":\"c1\",\"network\":\"" + web + "\",\"ip\":\"fd00:77::99\"}"), 409, "I1-ip-taken");
        assertThat(send("GET", "bob", "/api/v1/networks/" + web + "/ips", null).json().get("total").asInt())
                .as("nothing half-allocated by the refused requests").isEqualTo(2);
        // freed and allocated again: both addresses come back
        assertThat(send("DELETE", "carol", "/api/v1/machines/" + machine.get("id").asString(), null).status()).isEqualTo(204);
        assertThat(send("GET", "bob", "/api/v1/networks/" + web + "/ips", null).json().get("total").asInt()).isZero();
        JsonNode again = created(send("POST", "carol", "/api/v1/projects/tenant-a/machines", "{\"name\":\"db\","
                + "\"partition\":\"" + partition + "\",\"size\":\"c1\",\"network\":\"" + web + "\",\"ip\":\"fd00:77::99\"}")).json();
        assertThat(texts(again.get("ips"))).containsExactly("10.77.0.2", "fd00:77::99");
        JsonNode usage = send("GET", "bob", "/api/v1/networks/" + web, null).json();
        assertThat(usage.get("usage").get("allocated").asLong()).isEqualTo(1);
        assertThat(usage.get("usageV6").get("allocated").asLong()).isEqualTo(1);
        assertThat(usage.get("usageV6").get("total").asString()).as("a /64 but its network and gateway addresses")
                .isEqualTo("18446744073709551614");

        // a shared dual-stack network of another project
        String storage = created(send("POST", "dave", "/api/v1/projects/tenant-b/networks",
                "{\"name\":\"storage-dual\",\"partition\":\"" + partition + "\"}")).json().get("id").asString();
        JsonNode filed = created(send("POST", "dave", "/api/v1/networks/" + storage + "/share-requests",
                "{\"reason\":\"for all\",\"natType\":\"IPV4_MASQUERADE\"}")).json();
        assertThat(texts(filed.get("prefixes"))).as("the review shows both prefixes").containsExactly("10.77.2.0/24", "fd00:77:0:1::/64");
        String request = filed.get("id").asString();
        assertThat(send("POST", "admin", "/api/v1/share-requests/" + request + "/approve", "{}").status()).isEqualTo(200);

        // F1: a firewall whose private leg has a fixed IPv6 address (was a 500), then the shared network attached
        String internet = dual.get("externalNetworks").get(0).get("id").asString();
        JsonNode firewall = created(send("POST", "carol", "/api/v1/projects/tenant-a/firewalls", "{\"name\":\"edge\","
                + "\"partition\":\"" + partition + "\",\"size\":\"c1\",\"networks\":[{\"network\":\"" + web + "\",\"ip\":\"fd00:77::1:1\"},"
                + "{\"network\":\"" + internet + "\"}]}")).json().get("firewall");
        JsonNode legs = firewall.get("networks");
        assertThat(texts(legs.get(0).get("ips"))).containsExactly("10.77.0.3", "fd00:77::1:1");
        assertThat(texts(legs.get(1).get("ips"))).containsExactly("185.77.0.2", "2001:db8:77::2");
        String id = firewall.get("id").asString();
        JsonNode attached = send("PUT", "carol", "/api/v1/firewalls/" + id + "/networks/" + storage,
                "{\"ips\":[\"fd00:77:0:1::9\"]}").json();
        assertThat(attached.get("networks").valueStream().filter(n -> n.get("network").asString().equals(storage))
                .map(n -> texts(n.get("ips"))).findFirst().orElseThrow()).containsExactly("10.77.2.2", "fd00:77:0:1::9");

        JsonNode config = send("GET", "carol", "/api/v1/firewalls/" + id + "/config", null).json();
        String frr = config.get("frr").asString();
        String nft = config.get("nftables").asString();
        assertThat(frr).contains(" address-family ipv6 unicast", "ipv6 route ::/0 2001:db8:77::1",
                "ipv6 prefix-list", "permit fd00:77::/64 le 128", "permit fd00:77:0:1::/64 le 128", "match ipv6 address prefix-list");
        assertThat(nft).contains("ip6 saddr fd00:77::/64", "ip saddr 10.77.0.0/24", "snat ip to 185.77.0.2",
                "snat ip to 10.77.2.2");
        assertThat(nft).as("IPv6 is never translated (no NAT66)").doesNotContain("snat ip6", "masquerade");

        // detached: both of the firewall's addresses there are released, and the configuration forgets the network
        JsonNode detached = send("DELETE", "carol", "/api/v1/firewalls/" + id + "/networks/" + storage, null).json();
        assertThat(detached.get("networks").size()).isEqualTo(2);
        assertThat(send("GET", "carol", "/api/v1/firewalls/" + id + "/config", null).json().get("frr").asString())
                .doesNotContain("fd00:77:0:1::/64");
        assertThat(send("GET", "dave", "/api/v1/networks/" + storage + "/ips", null).json().get("total").asInt()).isZero();
    }
}

package dev.netportal.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netportal.testing.Api;
import dev.netportal.testing.PkceLogin;
import dev.netportal.testing.TestPortal;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Every signed-in user reads the partitions: the development partitions as seeded. */
class PartitionApiTest {

    private final TestPortal portal = TestPortal.shared();

    @Test
    void anyUserSeesTheSeededPartitionWithPoolsExternalsProxyAndInventory() {
        String token = PkceLogin.accessToken(portal.issuer(), "vera", "vera");

        Api.Answer fra = Api.get(portal.apiUrl() + "/api/v1/partitions/fra-1", token);

        assertThat(fra.status()).isEqualTo(200);
        JsonNode p = fra.json();
        assertThat(p.get("superNetworks").get(0).asString()).isEqualTo("10.0.0.0/16");
        assertThat(p.get("childPrefixLength").get("ipv4").asInt()).isEqualTo(22);
        assertThat(p.get("childPrefixLength").has("ipv6")).isFalse();
        assertThat(p.get("minChildPrefixLength").asInt()).isEqualTo(16);
        JsonNode internet = p.get("externalNetworks").get(0);
        assertThat(internet.get("name").asString()).isEqualTo("internet");
        assertThat(internet.get("prefixes").get(0).asString()).isEqualTo("185.1.2.0/24");
        assertThat(internet.get("destinationPrefixes").get(0).asString()).isEqualTo("0.0.0.0/0");
        assertThat(internet.get("natType").asString()).isEqualTo("IPV4_MASQUERADE");
        assertThat(p.get("proxy").get("host").asString()).isEqualTo("proxy.fra-1.example");
        assertThat(p.get("proxy").get("port").asInt()).isEqualTo(31280);
        // seeded 20 and 5; other tests of this run may hold some of them
        assertThat(p.get("freeInventory").get("c1-large").asInt()).isBetween(1, 20);
        assertThat(p.get("freeInventory").get("s2-xlarge").asInt()).isBetween(1, 5);

        Api.Answer list = Api.get(portal.apiUrl() + "/api/v1/partitions", token);
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.json().get("items").valueStream().map(i -> i.get("id").asString()).toList()).contains("fra-1", "nbg-1");

        Api.Answer missing = Api.get(portal.apiUrl() + "/api/v1/partitions/mars-1", token);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().get("type").asString()).endsWith("/errors/not-found");
        assertThat(Api.get(portal.apiUrl() + "/api/v1/partitions", null).status()).isEqualTo(401);
    }

    private Api.Answer create(String user, String json) {
        return Api.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(portal.apiUrl() + "/api/v1/partitions"))
                .timeout(Api.TIMEOUT)
                .header("Authorization", "Bearer " + PkceLogin.accessToken(portal.issuer(), user, user))
                .header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(json)).build());
    }

    @Test
    void adminsCreatePartitionsAndTheDatabaseRefusesOverlappingPools() {
        Api.Answer created = create("admin", """
                {"id":"ham-1","name":"Hamburg 1","superNetworks":["10.2.0.0/16"],"childPrefixLength":{"ipv4":24},
                 "minChildPrefixLength":20,"externalNetworks":[{"name":"internet","prefixes":["185.1.3.0/24"],
                 "destinationPrefixes":["0.0.0.0/0"],"natType":"IPV4_MASQUERADE"}],
                 "proxy":{"host":"proxy.ham-1.example","port":31280},"inventory":{"c1-large":4}}""");

        assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
        assertThat(created.json().get("childPrefixLength").get("ipv4").asInt()).isEqualTo(24);
        assertThat(created.json().get("freeInventory").get("c1-large").asInt()).isEqualTo(4);

        Api.Answer overlapping = create("admin", """
                {"id":"ham-2","name":"Hamburg 2","superNetworks":["10.3.0.0/16"],"externalNetworks":[{"name":"clash",
                 "prefixes":["10.3.5.0/24"],"destinationPrefixes":["0.0.0.0/0"],"natType":"NONE"}]}""");
        assertThat(overlapping.status()).isEqualTo(409);
        assertThat(overlapping.json().get("type").asString()).endsWith("/errors/P2-prefix-overlap");
        assertThat(Api.get(portal.apiUrl() + "/api/v1/partitions/ham-2",
                PkceLogin.accessToken(portal.issuer(), "admin", "admin")).status()).as("nothing half-created").isEqualTo(404);

        assertThat(create("admin", "{\"id\":\"ham-3\",\"name\":\"H\",\"superNetworks\":[\"10.4.0.1/16\"]}").json()
                .get("type").asString()).endsWith("/errors/prefix-host-bits");
        assertThat(create("bob", "{\"id\":\"ham-4\",\"name\":\"H\",\"superNetworks\":[\"10.5.0.0/16\"]}").status())
                .isEqualTo(403);
        Api.Answer badProxy = create("admin",
                "{\"id\":\"ham-5\",\"name\":\"H\",\"superNetworks\":[\"10.6.0.0/16\"],\"proxy\":{\"host\":\"p.example\",\"port\":0}}");
        assertThat(badProxy.status()).as("an invalid proxy is named as such, not as overlapping pools").isEqualTo(400);
        assertThat(badProxy.json().get("type").asString()).endsWith("/errors/P1-proxy");
    }

    private Api.Answer patch(String user, String id, String json) {
        return Api.send("PATCH", portal.apiUrl() + "/api/v1/partitions/" + id, PkceLogin.accessToken(portal.issuer(), user, user), json);
    }

    @Test
    void adminsChangePartitionsAndAddPoolsButNeverRemoveThem() {
        assertThat(create("admin", """
                {"id":"muc-1","name":"Munich 1","superNetworks":["10.20.0.0/16"],"childPrefixLength":{"ipv4":24},
                 "externalNetworks":[{"name":"internet","prefixes":["185.1.20.0/24"],"destinationPrefixes":["0.0.0.0/0"],
                 "natType":"IPV4_MASQUERADE"}],"proxy":{"host":"proxy.muc-1.example","port":3128},
                 "inventory":{"c1-large":4,"s2-xlarge":2}}""").status()).isEqualTo(201);

        Api.Answer changed = patch("admin", "muc-1", """
                {"name":"Munich One","childPrefixLength":{"ipv4":23},"minChildPrefixLength":20,"removeProxy":true,
                 "inventory":{"c1-large":6,"s2-xlarge":0,"g1-gpu":2},"superNetworks":["10.20.0.0/16","10.21.0.0/16"],
                 "externalNetworks":[{"name":"internet","prefixes":["185.1.20.0/24"],"destinationPrefixes":["0.0.0.0/0"],
                 "natType":"IPV4_MASQUERADE"},{"name":"backbone","prefixes":["100.64.20.0/24"],
                 "destinationPrefixes":["100.64.0.0/10"],"natType":"NONE"}]}""");

        assertThat(changed.status()).as(changed.raw().body()).isEqualTo(200);
        JsonNode p = changed.json();
        assertThat(p.get("name").asString()).isEqualTo("Munich One");
        assertThat(p.get("childPrefixLength").get("ipv4").asInt()).isEqualTo(23);
        assertThat(p.get("minChildPrefixLength").asInt()).isEqualTo(20);
        assertThat(p.get("proxy").isNull()).isTrue();
        assertThat(p.get("freeInventory").properties().stream().map(java.util.Map.Entry::getKey).toList())
                .containsExactly("c1-large", "g1-gpu");
        assertThat(p.get("freeInventory").get("c1-large").asInt()).isEqualTo(6);
        assertThat(p.get("superNetworks").valueStream().map(JsonNode::asString).toList())
                .containsExactly("10.20.0.0/16", "10.21.0.0/16");
        assertThat(p.get("externalNetworks").valueStream().map(e -> e.get("name").asString()).toList())
                .containsExactly("backbone", "internet");

        Api.Answer removal = patch("admin", "muc-1", "{\"superNetworks\":[\"10.21.0.0/16\"]}");
        assertThat(removal.status()).isEqualTo(422);
        assertThat(removal.json().get("type").asString()).endsWith("/errors/P1-pool-removal");
        assertThat(removal.json().get("detail").asString()).contains("10.20.0.0/16");

        Api.Answer externalChange = patch("admin", "muc-1", """
                {"externalNetworks":[{"name":"internet","prefixes":["185.1.21.0/24"],"destinationPrefixes":["0.0.0.0/0"],
                 "natType":"IPV4_MASQUERADE"},{"name":"backbone","prefixes":["100.64.20.0/24"],
                 "destinationPrefixes":["100.64.0.0/10"],"natType":"NONE"}]}""");
        assertThat(externalChange.status()).isEqualTo(422);
        assertThat(externalChange.json().get("type").asString()).endsWith("/errors/P1-external-change");

        Api.Answer overlap = patch("admin", "muc-1",
                "{\"name\":\"Renamed\",\"superNetworks\":[\"10.20.0.0/16\",\"10.21.0.0/16\",\"10.21.128.0/17\"]}");
        assertThat(overlap.status()).isEqualTo(409);
        assertThat(overlap.json().get("type").asString()).endsWith("/errors/P2-prefix-overlap");
        Api.Answer after = Api.get(portal.apiUrl() + "/api/v1/partitions/muc-1", PkceLogin.accessToken(portal.issuer(), "vera", "vera"));
        assertThat(after.json().get("name").asString()).as("nothing half-changed").isEqualTo("Munich One");

        Api.Answer tooShort = patch("admin", "muc-1", "{\"minChildPrefixLength\":8}");
        assertThat(tooShort.status()).isEqualTo(400);
        assertThat(tooShort.json().get("type").asString()).endsWith("/errors/P1-child-length");
        assertThat(patch("bob", "muc-1", "{\"name\":\"Mine\"}").status()).isEqualTo(403);
        assertThat(patch("admin", "mars-9", "{\"name\":\"Mars\"}").status()).isEqualTo(404);

        Api.Answer created = Api.send("POST", portal.apiUrl() + "/api/v1/projects/tenant-a/networks",
                PkceLogin.accessToken(portal.issuer(), "bob", "bob"), "{\"name\":\"in-muc\",\"partition\":\"muc-1\"}");
        assertThat(created.json().get("prefix").asString()).as("new networks take the new default length").endsWith("/23");
    }

    @Test
    void fabricSettingsHaveDefaultsAreCheckedAndGiveEveryFirewallOfThePartitionANewRevision() throws Exception {
        String admin = PkceLogin.accessToken(portal.issuer(), "admin", "admin");
        String bob = PkceLogin.accessToken(portal.issuer(), "bob", "bob");
        Api.Answer created = create("admin", """
                {"id":"brm-1","name":"Bremen 1","superNetworks":["10.40.0.0/16"],"childPrefixLength":{"ipv4":24},
                 "externalNetworks":[{"name":"uplink","prefixes":["100.64.40.0/24"],"destinationPrefixes":["10.128.0.0/9"],
                 "natType":"NONE"}],"inventory":{"c1-large":3}}""");
        assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
        assertThat(created.json().get("bgpKeepalive").asInt()).as("default keepalive").isEqualTo(3);
        assertThat(created.json().get("bgpHoldTime").asInt()).as("default hold time").isEqualTo(9);
        assertThat(created.json().get("externalExport").asString()).isEqualTo("NO_EXPORT");
        assertThat(Api.get(portal.apiUrl() + "/api/v1/partitions/fra-1", bob).json().get("bgpHoldTime").asInt())
                .as("the demo partitions have the defaults").isEqualTo(9);

        // refusals name the field and the rule, before anything is stored
        Api.Answer shortHold = create("admin", "{\"id\":\"brm-2\",\"name\":\"B\",\"superNetworks\":[\"10.41.0.0/16\"],"
                + "\"bgpKeepalive\":5,\"bgpHoldTime\":10}");
        assertThat(shortHold.status()).isEqualTo(400);
        assertThat(shortHold.json().get("type").asString()).endsWith("/errors/P1-bgp-timers");
        assertThat(shortHold.json().get("detail").asString()).contains("(bgpHoldTime) of 10 s", "at least three keepalives (15 s)");
        assertThat(Api.get(portal.apiUrl() + "/api/v1/partitions/brm-2", admin).status()).isEqualTo(404);
        Api.Answer noKeepalive = create("admin", "{\"id\":\"brm-3\",\"name\":\"B\",\"superNetworks\":[\"10.42.0.0/16\"],"
                + "\"bgpKeepalive\":0}");
        assertThat(noKeepalive.json().get("type").asString()).endsWith("/errors/P1-bgp-timers");
        assertThat(noKeepalive.json().get("detail").asString()).contains("(bgpKeepalive) of 0 s");
        Api.Answer badExport = patch("admin", "brm-1", "{\"externalExport\":\"SOMETIMES\"}");
        assertThat(badExport.status()).isEqualTo(400);
        assertThat(badExport.json().get("type").asString()).endsWith("/errors/P1-external-export");
        assertThat(badExport.json().get("detail").asString()).contains("SOMETIMES", "externalExport");
        Api.Answer tooLong = patch("admin", "brm-1", "{\"bgpHoldTime\":70000}");
        assertThat(tooLong.json().get("type").asString()).endsWith("/errors/P1-bgp-timers");
        Api.Answer keepaliveAlone = patch("admin", "brm-1", "{\"bgpKeepalive\":4}");
        assertThat(keepaliveAlone.status()).as("checked against the hold time it ends up beside (9 s)").isEqualTo(400);
        Api.Answer huge = patch("admin", "brm-1", "{\"bgpKeepalive\":1000000000,\"bgpHoldTime\":65535}");
        assertThat(huge.status()).as("three keepalives of a billion seconds do not wrap around: " + huge.raw().body()).isEqualTo(400);
        assertThat(huge.json().get("type").asString()).endsWith("/errors/P1-bgp-timers");

        // a firewall in the partition: its own AS number, and its sessions as the partition says
        String network = Api.send("POST", portal.apiUrl() + "/api/v1/projects/tenant-a/networks", bob,
                "{\"name\":\"in-brm\",\"partition\":\"brm-1\"}").json().get("id").asString();
        // without NAT the tenant's prefix is announced to the uplink, marked no-export
        String internet = created.json().get("externalNetworks").get(0).get("id").asString();
        String body = "{\"name\":\"brm-edge-%s\",\"partition\":\"brm-1\",\"size\":\"c1-large\",\"networks\":[{\"network\":\""
                + network + "\"},{\"network\":\"" + internet + "\"}]}";
        JsonNode one = Api.send("POST", portal.apiUrl() + "/api/v1/projects/tenant-a/firewalls", bob, body.formatted("1"))
                .json().get("firewall");
        JsonNode two = Api.send("POST", portal.apiUrl() + "/api/v1/projects/tenant-a/firewalls", bob, body.formatted("2"))
                .json().get("firewall");
        long asn = one.get("asn").asLong();
        assertThat(asn).isBetween(4_200_000_000L, 4_294_967_294L);
        assertThat(two.get("asn").asLong()).as("one AS number per firewall").isNotEqualTo(asn).isBetween(4_200_000_000L, 4_294_967_294L);
        String id = one.get("id").asString();
        JsonNode config = Api.get(portal.apiUrl() + "/api/v1/firewalls/" + id + "/config", bob).json();
        assertThat(config.get("frr").asString()).contains("router bgp " + asn + "\n", "router bgp " + asn + " vrf ",
                " timers bgp 3 9\n", " set community no-export additive\n");
        int revision = config.get("revision").asInt();

        Api.Answer changed = patch("admin", "brm-1", "{\"bgpKeepalive\":10,\"bgpHoldTime\":30,\"externalExport\":\"EXPORT\"}");
        assertThat(changed.status()).as(changed.raw().body()).isEqualTo(200);
        assertThat(changed.json().get("bgpKeepalive").asInt()).isEqualTo(10);
        assertThat(changed.json().get("externalExport").asString()).isEqualTo("EXPORT");
        JsonNode after = Api.get(portal.apiUrl() + "/api/v1/firewalls/" + id + "/config", bob).json();
        assertThat(after.get("revision").asInt()).as("a new revision in the same transaction").isEqualTo(revision + 1);
        assertThat(after.get("frr").asString()).contains(" timers bgp 10 30\n", "router bgp " + asn + " vrf ").doesNotContain("no-export");
        assertThat(Api.get(portal.apiUrl() + "/api/v1/firewalls/" + id, bob).json().get("asn").asLong())
                .as("the AS number stays while the firewall is allocated").isEqualTo(asn);
        assertThat(patch("admin", "brm-1", "{\"name\":\"Bremen One\"}").status()).isEqualTo(200);
        assertThat(Api.get(portal.apiUrl() + "/api/v1/firewalls/" + id + "/config", bob).json().get("revision").asInt())
                .as("other partition changes render nothing").isEqualTo(revision + 1);

        // a firewall allocated while a change of the partition is under way waits for it, so none keeps the old settings
        try (java.sql.Connection db = portal.database().connect()) {
            db.setAutoCommit(false);
            db.createStatement().execute("SELECT id FROM partition WHERE id = 'brm-1' FOR UPDATE");
            java.util.concurrent.CompletableFuture<Api.Answer> third = java.util.concurrent.CompletableFuture.supplyAsync(() ->
                    Api.send("POST", portal.apiUrl() + "/api/v1/projects/tenant-a/firewalls", bob, body.formatted("3")));
            Thread.sleep(1_000);
            assertThat(third).as("the allocation waits for the partition's change").isNotDone();
            db.commit();
            assertThat(third.get(30, java.util.concurrent.TimeUnit.SECONDS).status()).isEqualTo(201);
        }

        // the database keeps the number whatever an UPDATE says
        try (java.sql.Connection db = portal.database().connect(); java.sql.Statement sql = db.createStatement()) {
            sql.executeUpdate("UPDATE machine SET asn = 1, name = name WHERE id = '" + id + "'");
        }
        assertThat(portal.database().column("SELECT asn FROM machine WHERE id = '" + id + "'")).containsExactly(Long.toString(asn));
    }

    @Test
    void partitionsArePagedInTheDatabaseById() {
        String token = PkceLogin.accessToken(portal.issuer(), "vera", "vera");

        JsonNode second = Api.get(portal.apiUrl() + "/api/v1/partitions?size=1&page=1", token).json();

        assertThat(second.get("items").valueStream().map(p -> p.get("id").asString()).toList()).as("the second by id")
                .containsExactlyElementsOf(portal.database().column("SELECT id FROM partition ORDER BY id OFFSET 1 LIMIT 1"));
        assertThat(second.get("items").get(0).get("superNetworks").size()).as("with its pools").isPositive();
        assertThat(second.get("items").get(0).has("freeInventory")).isTrue();
        assertThat(second.get("total").asLong()).isEqualTo(Long.parseLong(portal.database().column("SELECT count(*) FROM partition").getFirst()));
        JsonNode past = Api.get(portal.apiUrl() + "/api/v1/partitions?size=10&page=1000", token).json();
        assertThat(past.get("items").size()).isZero();
        assertThat(past.get("total").asLong()).as("past the end, still counted").isEqualTo(second.get("total").asLong());
    }
}

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
        assertThat(p.get("freeInventory").get("c1-large").asInt()).isEqualTo(20);
        assertThat(p.get("freeInventory").get("s2-xlarge").asInt()).isEqualTo(5);

        Api.Answer list = Api.get(portal.apiUrl() + "/api/v1/partitions", token);
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.json().get("items").valueStream().map(i -> i.get("id").asString()).toList()).contains("fra-1", "nbg-1");

        Api.Answer missing = Api.get(portal.apiUrl() + "/api/v1/partitions/mars-1", token);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().get("type").asString()).endsWith("/errors/not-found");
        assertThat(Api.get(portal.apiUrl() + "/api/v1/partitions", null).status()).isEqualTo(401);
    }
}

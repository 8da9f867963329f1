package dev.netportal.partition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netportal.common.DomainException;
import dev.netportal.common.NatType;
import dev.netportal.common.Refusal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** P1 as both edges read it: what an admin types on the page or sends to the API. */
class PartitionFormTest {

    @Test
    void aNewPartitionTakesItsPoolsByFamilyAndTheDefaults() {
        PartitionSpec spec = PartitionForm.spec("fra-9", " Frankfurt 9 ", null, List.of("fd00:9::/48", "10.9.0.0/16"), null, null, null,
                null, List.of(new PartitionForm.External("internet", List.of("185.9.0.0/24"), List.of("0.0.0.0/0"),
                        "IPV4_MASQUERADE")), Optional.empty(), null);
        assertThat(spec.name()).isEqualTo("Frankfurt 9");
        assertThat(spec.superNetworkV4()).hasToString("10.9.0.0/16");
        assertThat(spec.superNetworkV6()).get().hasToString("fd00:9::/48");
        assertThat(spec.childLengthV4()).isEqualTo(PartitionForm.DEFAULT_CHILD_LENGTH).isEqualTo(22);
        assertThat(spec.minChildLengthV4()).as("the pool's length").isEqualTo(16);
        assertThat(spec.childLengthV6()).isEqualTo(64);
        assertThat(spec.minChildLengthV6()).as("the IPv6 pool's length").isEqualTo(48);
        assertThat(spec.externalNetworks().getFirst().natType()).isEqualTo(NatType.IPV4_MASQUERADE);
    }

    @Test
    void refusalsNameTheRule() {
        refused(() -> PartitionForm.spec("Fra 9", "x", null, List.of("10.9.0.0/16"), null, null, null, null, null, Optional.empty(), null),
                Refusal.P1_PARTITION_ID);
        refused(() -> PartitionForm.spec("fra-9", "x", null, List.of("fd00:9::/48"), null, null, null, null, null, Optional.empty(), null),
                Refusal.P1_POOL_REQUIRED);
        refused(() -> PartitionForm.externals(List.of(new PartitionForm.External(" ", List.of(), List.of(), "NONE"))),
                Refusal.P1_EXTERNAL_NAME);
        refused(() -> PartitionForm.externals(List.of(new PartitionForm.External("x", List.of(), List.of(), "SNAT"))),
                Refusal.P1_NAT_TYPE);
        // firewalls take an address of each family in an external network: one prefix per family, each with room
        refused(() -> PartitionForm.externals(List.of(new PartitionForm.External("x", List.of(), List.of("0.0.0.0/0"), "NONE"))),
                Refusal.P1_EXTERNAL_PREFIXES);
        refused(() -> PartitionForm.externals(List.of(new PartitionForm.External("x", List.of("185.9.0.0/24", "2001:db8::/127"),
                List.of("0.0.0.0/0", "::/0"), "NONE"))), Refusal.P1_EXTERNAL_PREFIXES);
        refused(() -> PartitionForm.externals(List.of(new PartitionForm.External("x", List.of("185.9.0.0/24", "185.9.1.0/24"),
                List.of("0.0.0.0/0"), "NONE"))), Refusal.P1_EXTERNAL_PREFIXES);
        assertThat(PartitionForm.externals(List.of(new PartitionForm.External("x", List.of("185.9.0.0/30", "2001:db8::/126"),
                List.of("0.0.0.0/0", "::/0"), "NONE"))).getFirst().prefixes()).hasSize(2);
        refused(() -> PartitionForm.inventory("c1=3, c2"), Refusal.P1_INVENTORY_SYNTAX);
        assertThat(PartitionForm.inventory("c1=3, c2:0")).isEqualTo(Map.of("c1", 3, "c2", 0));
    }

    @Test
    void aProxyTypedOnThePageIsNoneWithoutAHostButOneSentNeedsBoth() {
        assertThat(PartitionForm.proxy(" ", 3128)).as("clearing the host removes the proxy, whatever the port says").isEmpty();
        assertThat(PartitionForm.proxy(" proxy.example ", 3128)).contains(new PartitionSpec.Proxy("proxy.example", 3128));
        refused(() -> PartitionForm.proxy("proxy.example", null), Refusal.P1_PROXY_PORT);
        assertThat(PartitionForm.givenProxy(null)).isEmpty();
        refused(() -> PartitionForm.givenProxy(new PartitionForm.Proxy("", 3128)), Refusal.P1_PROXY);
        refused(() -> PartitionForm.givenProxy(new PartitionForm.Proxy("proxy.example", 70000)), Refusal.P1_PROXY);
        refused(() -> PartitionForm.change(null, null, null, null, null, null, new PartitionForm.Proxy("p", 1), true, null, null, null),
                Refusal.P1_PROXY_OR_REMOVE);
        PartitionChange removal = PartitionForm.change(null, null, null, null, null, null, null, true, null, null, null);
        assertThat(removal.removeProxy()).isTrue();
        assertThat(removal.proxy()).isEmpty();
    }

    @Test
    void fabricSettingsDefaultAndAreCheckedWithTheValuesTheyEndUpBeside() {
        PartitionSpec spec = PartitionForm.spec("fra-9", "F", null, List.of("10.9.0.0/16"), null, null, null, null, null,
                Optional.empty(), null);
        assertThat(spec.fabric()).isEqualTo(FabricSettings.DEFAULTS).isEqualTo(new FabricSettings(3, 9, FabricSettings.ExternalExport.NO_EXPORT));
        assertThat(PartitionForm.spec("fra-9", "F", null, List.of("10.9.0.0/16"), null, null, null, null, null, Optional.empty(), null,
                PartitionForm.fabric(null, 60, " EXPORT ")).fabric()).isEqualTo(new FabricSettings(3, 60, FabricSettings.ExternalExport.EXPORT));
        refused(() -> PartitionForm.fabric(3, 9, "no-export"), Refusal.P1_EXTERNAL_EXPORT);
        refused(() -> new FabricSettings(0, 9, FabricSettings.ExternalExport.NO_EXPORT).check("fra-9"), Refusal.P1_BGP_KEEPALIVE);
        refused(() -> new FabricSettings(3, 8, FabricSettings.ExternalExport.NO_EXPORT).check("fra-9"), Refusal.P1_BGP_HOLD_TIME);
        refused(() -> new FabricSettings(3, 65536, FabricSettings.ExternalExport.NO_EXPORT).check("fra-9"), Refusal.P1_BGP_HOLD_TIME);
        new FabricSettings(1, 3, FabricSettings.ExternalExport.NO_EXPORT).check("fra-9");
        new FabricSettings(21845, 65535, FabricSettings.ExternalExport.EXPORT).check("fra-9");
        assertThat(FabricSettings.DEFAULTS.with(new FabricSettings.FabricChange(10, null, null)))
                .as("a keepalive alone keeps the hold time, and is then checked against it")
                .isEqualTo(new FabricSettings(10, 9, FabricSettings.ExternalExport.NO_EXPORT));
    }

    private static void refused(Runnable call, Refusal expected) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(DomainException.class,
                e -> assertThat(e.refusal()).isEqualTo(expected));
    }
}

package dev.netportal.ui.admin;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.H4;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.netportal.common.DomainException;
import dev.netportal.common.NatType;
import dev.netportal.partition.FabricSettings;
import dev.netportal.partition.Partition;
import dev.netportal.partition.PartitionForm;
import dev.netportal.partition.PartitionService;
import dev.netportal.partition.PartitionSpec;
import dev.netportal.ui.AdminOnly;
import dev.netportal.ui.LazyRows;
import dev.netportal.ui.Notices;
import dev.netportal.ui.UserSession;
import dev.netportal.ui.Widgets;
import jakarta.annotation.security.PermitAll;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Platform admins: the partitions with pools, child lengths, external networks, proxy, inventory and the firewalls'
 * fabric settings; create one, or change one (pools and external networks are only added, P1).
 */
@Route("admin/partitions")
@PageTitle("Partitions · Admin · Netportal")
@PermitAll
public class PartitionsAdminView extends VerticalLayout implements BeforeEnterObserver {

    private final UserSession session;
    private final PartitionService partitions;
    private final Grid<Partition> grid = new Grid<>(Partition.class, false);

    PartitionsAdminView(UserSession session, PartitionService partitions) {
        this.session = session;
        this.partitions = partitions;
        setSizeFull();
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        if (!AdminOnly.check(event, session) || !getChildren().toList().isEmpty()) {
            return;
        }
        HorizontalLayout header = Widgets.header("Partitions", Widgets.create("New partition", "new-partition", click -> create()));

        grid.setId("partitions-admin");
        grid.addThemeVariants(GridVariant.LUMO_ROW_STRIPES, GridVariant.LUMO_WRAP_CELL_CONTENT);
        // by id, a page at a time
        grid.addColumn(p -> p.id().value()).setHeader("Id").setAutoWidth(true);
        grid.addColumn(Partition::name).setHeader("Name");
        grid.addColumn(p -> String.join(", ", p.superNetworks())).setHeader("Pools").setFlexGrow(2);
        grid.addColumn(p -> "/" + p.childLengthV4() + " (shortest /" + p.minChildLengthV4() + ")" + (p.dualStack()
                ? ", /" + p.childLengthV6() + " (shortest /" + p.minChildLengthV6() + ")" : "")).setHeader("Child prefixes");
        grid.addColumn(p -> p.externalNetworks().stream()
                .map(e -> e.name() + " " + String.join(", ", e.prefixes()) + " → " + String.join(", ", e.destinationPrefixes())
                        + " (" + e.natType() + ")")
                .collect(Collectors.joining("; "))).setHeader("External networks").setFlexGrow(3);
        grid.addColumn(p -> p.proxy().map(x -> x.host() + ":" + x.port()).orElse("none")).setHeader("Proxy").setFlexGrow(2);
        grid.addColumn(p -> inventoryText(p.freeInventory())).setHeader("Inventory").setFlexGrow(2);
        grid.addColumn(p -> FabricFields.text(p.fabric())).setHeader("Fabric (BGP)").setFlexGrow(2);
        grid.addComponentColumn(p -> {
            Button edit = new Button("Edit", click -> edit(p));
            edit.addThemeVariants(ButtonVariant.LUMO_TERTIARY, ButtonVariant.LUMO_SMALL);
            edit.setId("edit-partition-" + p.id());
            return edit;
        }).setAutoWidth(true).setFlexGrow(0);
        add(header, grid);
        LazyRows.show(grid, partitions::list);
    }

    private void refresh() {
        grid.getDataProvider().refreshAll();
    }

    private void create() {
        Dialog dialog = new Dialog();
        dialog.setHeaderTitle("New partition");
        dialog.setWidth("48rem");
        TextField id = text("Id", "partition-id", "e.g. fra-2; lower-case letters, digits and '-'");
        TextField name = text("Name", "partition-name", "");
        TextField pools = text("Super networks", "partition-pools", "An IPv4 pool, optionally an IPv6 pool: 10.2.0.0/16, fd00:2::/48");
        IntegerField childLength = length("Default IPv4 child prefix", "partition-child-length", PartitionForm.DEFAULT_CHILD_LENGTH);
        IntegerField minLength = length("Shortest IPv4 child prefix", "partition-min-length", 16);
        IntegerField childLengthV6 = length("Default IPv6 child prefix", "partition-child-length-v6",
                PartitionSpec.DEFAULT_CHILD_LENGTH_V6);
        IntegerField minLengthV6 = length("Shortest IPv6 child prefix", "partition-min-length-v6", null);
        minLengthV6.setHelperText("Empty: the IPv6 pool's length");
        TextField inventory = text("Inventory", "partition-inventory", "size=count, ...: c1-large=20, s2-xlarge=5");
        TextField proxyHost = text("Proxy host", "partition-proxy-host", "For machines without a firewall (optional)");
        IntegerField proxyPort = new IntegerField("Proxy port");
        proxyPort.setId("partition-proxy-port");
        ExternalFields external = new ExternalFields();
        FabricFields fabric = new FabricFields(FabricSettings.DEFAULTS);
        dialog.add(new FormLayout(id, name, pools, childLength, minLength, childLengthV6, minLengthV6, inventory, proxyHost,
                proxyPort), new H4("External network"), external.layout(), new H4("Firewalls' sessions with the leaf switches"),
                fabric.layout());
        open(dialog, "Create", () -> {
            PartitionSpec spec = PartitionForm.spec(id.getValue().strip(), name.getValue(), "", PartitionForm.split(pools.getValue()),
                    childLength.getValue(), minLength.getValue(), childLengthV6.getValue(), minLengthV6.getValue(),
                    external.given().map(List::of).orElse(List.of()),
                    PartitionForm.proxy(proxyHost.getValue(), proxyPort.getValue()), PartitionForm.inventory(inventory.getValue()),
                    fabric.given());
            partitions.create(session.actor(), spec).block();
            return "Created partition " + spec.id() + ".";
        });
    }

    private void edit(Partition partition) {
        Dialog dialog = new Dialog();
        dialog.setHeaderTitle("Partition " + partition.id());
        dialog.setWidth("48rem");
        TextField name = text("Name", "partition-name", "");
        name.setValue(partition.name());
        TextField addPool = text("Add super network", "partition-add-pool",
                "Pools are only added: " + String.join(", ", partition.superNetworks()) + " stay.");
        IntegerField childLength = length("Default IPv4 child prefix", "partition-child-length", partition.childLengthV4());
        IntegerField minLength = length("Shortest IPv4 child prefix", "partition-min-length", partition.minChildLengthV4());
        IntegerField childLengthV6 = length("Default IPv6 child prefix", "partition-child-length-v6", partition.childLengthV6());
        IntegerField minLengthV6 = length("Shortest IPv6 child prefix", "partition-min-length-v6", partition.minChildLengthV6());
        TextField inventory = text("Inventory", "partition-inventory", "size=count; a count of 0 removes a size");
        inventory.setValue(inventoryText(partition.freeInventory()));
        TextField proxyHost = text("Proxy host", "partition-proxy-host", "Empty: no proxy");
        IntegerField proxyPort = new IntegerField("Proxy port");
        proxyPort.setId("partition-proxy-port");
        partition.proxy().ifPresent(p -> {
            proxyHost.setValue(p.host());
            proxyPort.setValue(p.port());
        });
        ExternalFields external = new ExternalFields();
        FabricFields fabric = new FabricFields(partition.fabric());
        dialog.add(new FormLayout(name, addPool, childLength, minLength, childLengthV6, minLengthV6, inventory, proxyHost,
                proxyPort),
                new H4("Add an external network (optional)"), external.layout(),
                new H4("Firewalls' sessions with the leaf switches"), fabric.layout());
        open(dialog, "Save", () -> {
            Optional<PartitionSpec.Proxy> proxy = PartitionForm.proxy(proxyHost.getValue(), proxyPort.getValue());
            Map<String, Integer> sizes = new LinkedHashMap<>();
            partition.freeInventory().keySet().forEach(size -> sizes.put(size, 0));
            sizes.putAll(PartitionForm.inventory(inventory.getValue()));
            List<String> pools = new ArrayList<>(partition.superNetworks());
            pools.addAll(PartitionForm.split(addPool.getValue()));
            List<PartitionForm.External> externals = external.given().map(added -> Stream.concat(
                    partition.externalNetworks().stream().map(e -> new PartitionForm.External(e.name(), e.prefixes(),
                            e.destinationPrefixes(), e.natType().name())), Stream.of(added)).toList()).orElse(null);
            PartitionForm.Proxy kept = proxy.map(p -> new PartitionForm.Proxy(p.host(), p.port())).orElse(null);
            partitions.update(session.actor(), partition.id(), PartitionForm.change(name.getValue(), null,
                    childLength.getValue(), minLength.getValue(), childLengthV6.getValue(), minLengthV6.getValue(), kept,
                    proxy.isEmpty(), sizes, pools, externals, fabric.given())).block();
            return "Saved partition " + partition.id() + ".";
        });
    }

    /**
     * Opens the dialog with Cancel and a button that runs {@code save}: on success its message shows and the grid
     * reloads; a refusal shows as a message and the dialog stays open with what was typed.
     */
    private void open(Dialog dialog, String action, Supplier<String> save) {
        Button button = new Button(action, click -> {
            try {
                Notices.success(save.get());
                dialog.close();
                refresh();
            } catch (DomainException refused) {
                Notices.error(refused.getMessage());
            }
        });
        button.setId("save-partition");
        button.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        dialog.getFooter().add(new Button("Cancel", click -> dialog.close()), button);
        dialog.open();
    }

    /** The fields of one external network; all empty means none. */
    private static final class ExternalFields {

        private final TextField name = text("Name", "external-name", "e.g. internet");
        private final TextField prefixes = text("Prefixes for firewall IPs", "external-prefixes", "e.g. 185.1.2.0/24");
        private final TextField destinations = text("Destinations", "external-destinations", "e.g. 0.0.0.0/0");
        private final Select<NatType> nat = new Select<>();

        ExternalFields() {
            nat.setLabel("NAT towards it");
            nat.setItems(NatType.IPV4_MASQUERADE, NatType.NONE);
            nat.setValue(NatType.IPV4_MASQUERADE);
            nat.setItemLabelGenerator(v -> v == NatType.NONE ? "None: private addresses are visible"
                    : "Masquerade: private addresses hide behind the firewall's");
        }

        Component layout() {
            return new FormLayout(name, nat, prefixes, destinations);
        }

        Optional<PartitionForm.External> given() {
            if (name.isEmpty() && prefixes.isEmpty() && destinations.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new PartitionForm.External(name.getValue(), PartitionForm.split(prefixes.getValue()),
                    PartitionForm.split(destinations.getValue()), nat.getValue().name()));
        }
    }

    /** The fabric settings: BGP keepalive and hold time, and how tenant prefixes go to external networks. */
    private static final class FabricFields {

        private final IntegerField keepalive = seconds("BGP keepalive", "partition-bgp-keepalive", "At least 1 s");
        private final IntegerField holdTime = seconds("BGP hold time", "partition-bgp-hold-time",
                "At least three keepalives, at most 65535 s");
        private final Select<FabricSettings.ExternalExport> externalExport = new Select<>();

        FabricFields(FabricSettings settings) {
            keepalive.setValue(settings.keepalive());
            holdTime.setValue(settings.holdTime());
            externalExport.setId("partition-external-export");
            externalExport.setLabel("Tenant prefixes to external networks");
            externalExport.setItems(FabricSettings.ExternalExport.values());
            externalExport.setValue(settings.externalExport());
            externalExport.setItemLabelGenerator(v -> v == FabricSettings.ExternalExport.NO_EXPORT
                    ? "Marked no-export: the external routers keep them" : "Unmarked: the external routers may pass them on");
        }

        Component layout() {
            return new FormLayout(keepalive, holdTime, externalExport);
        }

        /** What the fields say; an empty timer field keeps the current value (or the default). */
        FabricSettings.FabricChange given() {
            return new FabricSettings.FabricChange(keepalive.getValue(), holdTime.getValue(), externalExport.getValue());
        }

        /** The settings in a few words, for the grid. */
        static String text(FabricSettings settings) {
            return settings.keepalive() + " s / " + settings.holdTime() + " s, "
                    + (settings.externalExport() == FabricSettings.ExternalExport.NO_EXPORT ? "no-export" : "exported");
        }

        private static IntegerField seconds(String label, String id, String helper) {
            IntegerField field = new IntegerField(label);
            field.setId(id);
            field.setSuffixComponent(new Span("s"));
            field.setHelperText(helper);
            return field;
        }
    }

    private static TextField text(String label, String id, String helper) {
        TextField field = new TextField(label);
        field.setId(id);
        field.setHelperText(helper);
        return field;
    }

    private static IntegerField length(String label, String id, Integer value) {
        IntegerField field = new IntegerField(label);
        field.setId(id);
        field.setPrefixComponent(new Span("/"));
        field.setValue(value);
        return field;
    }

    private static String inventoryText(Map<String, Integer> inventory) {
        return inventory.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
    }
}

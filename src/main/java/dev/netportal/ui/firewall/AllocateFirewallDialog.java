package dev.netportal.ui.firewall;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.CheckboxGroup;
import com.vaadin.flow.component.combobox.MultiSelectComboBox;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.renderer.TextRenderer;
import dev.netportal.common.DomainException;
import dev.netportal.firewall.FirewallService;
import dev.netportal.identity.Actor;
import dev.netportal.machine.NetworkRequest;
import dev.netportal.network.Network;
import dev.netportal.network.NetworkId;
import dev.netportal.network.NetworkService;
import dev.netportal.network.NetworkType;
import dev.netportal.partition.Partition;
import dev.netportal.partition.PartitionId;
import dev.netportal.partition.PartitionService;
import dev.netportal.project.ProjectMembership;
import dev.netportal.sharing.ShareService;
import dev.netportal.sharing.SharedNetwork;
import dev.netportal.ui.Choices;
import dev.netportal.ui.FieldErrors;
import dev.netportal.ui.sharing.ShareTexts;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Allocates a firewall: partition and size, its primary network (a private network of the project, or its own
 * shared one), the external networks and any shared networks of the partition's catalogue. IPs are automatic.
 */
class AllocateFirewallDialog extends Dialog {

    AllocateFirewallDialog(Actor actor, ProjectMembership project, FirewallService firewalls, NetworkService networks,
            PartitionService partitions, ShareService shares, Runnable allocated) {
        setHeaderTitle("Allocate a firewall in " + project.name());
        setWidth("44rem");
        List<Network> own = networks.list(actor, project.id()).block();
        Map<String, Partition> byId = partitions.list().block().stream().collect(Collectors.toMap(p -> p.id().value(), p -> p));

        TextField name = new TextField("Name");
        name.setId("firewall-name");
        Select<String> partition = new Select<>();
        partition.setLabel("Partition");
        partition.setId("firewall-partition");
        partition.setItems(byId.keySet().stream().sorted().toList());
        Select<String> size = new Select<>();
        size.setLabel("Size");
        size.setId("firewall-size");
        Select<Network> primary = new Select<>();
        primary.setLabel("Primary network");
        primary.setId("firewall-primary");
        primary.setItemLabelGenerator(Choices::label);
        primary.setHelperText("One private network of your project, or your own shared network the firewall stands in front of (F1).");
        CheckboxGroup<Partition.ExternalNetwork> externals = new CheckboxGroup<>("External networks");
        externals.setId("firewall-externals");
        externals.setItemLabelGenerator(e -> e.name() + " (" + String.join(", ", e.destinationPrefixes()) + ")");
        MultiSelectComboBox<SharedNetwork> shared = new MultiSelectComboBox<>("Shared networks to attach");
        shared.setId("firewall-shared");
        shared.setItemLabelGenerator(s -> s.name() + " of " + s.projectName());
        shared.setHelperText("From the partition's catalogue; you can attach and detach them later too.");

        partition.addValueChangeListener(change -> {
            Partition chosen = byId.get(change.getValue());
            Choices.sizes(size, chosen);
            List<Network> candidates = Choices.privateAndShared(own, chosen);
            primary.setItems(candidates);
            candidates.stream().filter(n -> n.type() == NetworkType.CHILD).findFirst().or(() -> candidates.stream().findFirst())
                    .ifPresent(primary::setValue);
            externals.setItems(chosen.externalNetworks());
            externals.setValue(new HashSet<>(chosen.externalNetworks()));
            shared.setItems(shares.catalogue(chosen.id()).block().stream()
                    .filter(s -> !s.project().equals(project.id())).toList());
        });
        partition.getListDataView().getItems().findFirst().ifPresent(partition::setValue);

        add(new FormLayout(name, partition, size, primary, externals, shared));

        Button allocate = new Button("Allocate", click -> {
            List<NetworkRequest> requests = new ArrayList<>();
            Optional.ofNullable(primary.getValue()).ifPresent(p -> requests.add(new NetworkRequest(p.id(), Optional.empty())));
            shared.getValue().forEach(s -> requests.add(new NetworkRequest(s.id(), Optional.empty())));
            externals.getValue().forEach(e -> requests.add(new NetworkRequest(new NetworkId(e.id()), Optional.empty())));
            try {
                FirewallService.Allocated created = firewalls.allocate(actor, project.id(), name.getValue(),
                        new PartitionId(partition.getValue()), size.getValue(), requests).block();
                close();
                allocated.run();
                new CredentialDialog(created.firewall().name(), created.agentCredential()).open();
            } catch (DomainException refused) {
                FieldErrors.show(refused, Map.of("name", name, "externals", externals, "networks", primary, "network", primary,
                        "size", size, "partition", partition));
            }
        });
        allocate.setId("allocate");
        allocate.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        getFooter().add(new Button("Cancel", click -> close()), allocate);
        // labels of shared networks explain their NAT
        shared.setRenderer(new TextRenderer<>(s -> s.name() + " of " + s.projectName()
                + " · " + ShareTexts.nat(s.natType())));
    }
}

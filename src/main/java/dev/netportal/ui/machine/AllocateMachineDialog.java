package dev.netportal.ui.machine;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.radiobutton.RadioButtonGroup;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.value.ValueChangeMode;
import dev.netportal.common.DomainException;
import dev.netportal.identity.Actor;
import dev.netportal.ipam.Address;
import dev.netportal.ipam.Family;
import dev.netportal.ipam.Prefix;
import dev.netportal.machine.Machine;
import dev.netportal.machine.MachineService;
import dev.netportal.machine.NetworkRequest;
import dev.netportal.network.IpService;
import dev.netportal.network.Network;
import dev.netportal.network.NetworkService;
import dev.netportal.partition.Partition;
import dev.netportal.partition.PartitionId;
import dev.netportal.partition.PartitionService;
import dev.netportal.project.ProjectMembership;
import dev.netportal.ui.Choices;
import dev.netportal.ui.FieldErrors;
import dev.netportal.ui.Notices;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Allocates a machine step by step: partition, then a size with its free count, then one of the project's private
 * or shared networks there, then the IPs: automatic, or fixed ones checked as you type (one per family of the
 * network; a family left empty gets its lowest free address).
 */
class AllocateMachineDialog extends Dialog {

    private static final String AUTO = "Lowest free address";
    private static final String FIXED = "Fixed addresses";

    private final Actor actor;
    private final IpService ips;
    private final Select<Network> network = new Select<>();
    private final TextField ip = new TextField("Fixed IPv4 address");
    private final TextField ipV6 = new TextField("Fixed IPv6 address");
    private final RadioButtonGroup<String> mode = new RadioButtonGroup<>("IP address");
    private final Button allocate = new Button("Allocate");

    AllocateMachineDialog(Actor actor, ProjectMembership project, MachineService machines, NetworkService networks,
            IpService ips, PartitionService partitions, Runnable allocated) {
        this.actor = actor;
        this.ips = ips;
        setHeaderTitle("Allocate a machine in " + project.name());
        setWidth("40rem");
        List<Network> projectNetworks = networks.list(actor, project.id()).block();
        Map<String, Partition> byId = partitions.list().block().stream()
                .collect(Collectors.toMap(p -> p.id().value(), p -> p));

        TextField name = new TextField("Name");
        name.setId("machine-name");
        name.setRequired(true);
        Select<String> partition = new Select<>();
        partition.setLabel("Partition");
        partition.setId("machine-partition");
        partition.setItems(byId.keySet().stream().sorted().toList());
        Select<String> size = new Select<>();
        size.setLabel("Size");
        size.setId("machine-size");
        network.setLabel("Network");
        network.setId("machine-network");
        network.setItemLabelGenerator(Choices::label);
        network.setHelperText("Your project's private and shared networks of the partition; a machine has exactly one (M1).");

        partition.addValueChangeListener(change -> {
            Partition chosen = byId.get(change.getValue());
            Choices.sizes(size, chosen);
            List<Network> usable = Choices.privateAndShared(projectNetworks, chosen);
            network.setItems(usable);
            usable.stream().findFirst().ifPresent(network::setValue);
            network.setHelperText(usable.isEmpty() ? "Your project has no network in " + chosen.id() + "; create one first."
                    : "Your project's private and shared networks of the partition; a machine has exactly one (M1).");
        });
        partition.getListDataView().getItems().findFirst().ifPresent(partition::setValue);

        mode.setId("machine-ip-mode");
        mode.setItems(AUTO, FIXED);
        mode.setValue(AUTO);
        ip.setId("machine-ip");
        ipV6.setId("machine-ip-v6");
        for (TextField field : List.of(ip, ipV6)) {
            field.setVisible(false);
            field.setValueChangeMode(ValueChangeMode.EAGER);
            field.addValueChangeListener(change -> validate());
        }
        network.addValueChangeListener(change -> validate());
        mode.addValueChangeListener(change -> validate());

        add(new FormLayout(name, partition, size, network, mode, ip, ipV6));

        allocate.setId("allocate");
        allocate.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        allocate.addClickListener(click -> {
            name.setInvalid(false);
            try {
                Machine machine = machines.allocate(actor, project.id(), name.getValue(), new PartitionId(partition.getValue()), size.getValue(),
                        new NetworkRequest(network.getValue() == null ? null : network.getValue().id(), wanted())).block();
                Notices.success("Allocated " + machine.name() + " with " + machine.primary().map(a -> (a.ips().size() > 1
                        ? "IPs " : "IP ") + a.addresses()).orElse("no IP") + ".");
                close();
                allocated.run();
            } catch (DomainException refused) {
                // a refusal about an address marks the field that holds it
                TextField address = !ipV6.getValue().isBlank() && refused.getMessage().contains(ipV6.getValue().strip()) ? ipV6 : ip;
                FieldErrors.show(refused, Map.of("name", name, "ip", address, "network", network, "size", size, "partition", partition));
            }
        });
        getFooter().add(new Button("Cancel", click -> close()), allocate);
    }

    /** The fixed addresses typed, when fixed addresses were chosen (an empty field: the lowest free one). */
    private List<String> wanted() {
        return FIXED.equals(mode.getValue()) ? List.of(ip.getValue(), ipV6.isVisible() ? ipV6.getValue() : "") : List.of();
    }

    /** Shows the fields of the network's families when fixed addresses are chosen, and checks each as typed. */
    private void validate() {
        Network chosen = network.getValue();
        boolean fixed = FIXED.equals(mode.getValue()) && chosen != null;
        ip.setVisible(fixed);
        ipV6.setVisible(fixed && chosen.prefixes().stream().anyMatch(p -> p.family() == Family.IPV6));
        boolean ok = chosen != null;
        for (TextField field : List.of(ip, ipV6)) {
            ok &= check(field, chosen, field == ip ? Family.IPV4 : Family.IPV6);
        }
        allocate.setEnabled(ok);
    }

    /** One fixed-address field: empty means the lowest free address; else inside the prefix, not reserved, free. */
    private boolean check(TextField field, Network chosen, Family family) {
        if (!field.isVisible() || field.getValue().isBlank()) {
            field.setInvalid(false);
            field.setHelperText(field.isVisible() ? "Empty: the lowest free " + family + " address." : "");
            return true;
        }
        Prefix prefix = chosen.prefixes().stream().filter(p -> p.family() == family).findFirst().orElseThrow();
        String problem = null;
        try {
            Address address = IpService.checkRequested(chosen, field.getValue());
            if (address.family() != family) {
                problem = field.getValue().strip() + " is not an " + family + " address.";
            } else if (ips.find(actor, chosen.id(), address).blockOptional().isPresent()) {
                problem = address + " is already taken in " + chosen.name() + ".";
            }
        } catch (DomainException refused) {
            problem = refused.getMessage();
        }
        field.setHelperText(problem == null ? field.getValue().strip() + " is free in " + chosen.name() + "." : "Inside " + prefix
                + "; not the network, gateway or broadcast address, and not taken.");
        field.setErrorMessage(problem);
        field.setInvalid(problem != null);
        return problem == null;
    }
}

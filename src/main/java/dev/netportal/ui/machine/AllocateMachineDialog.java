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
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Allocates a machine step by step: partition, then a size with its free count, then one of the project's private
 * or shared networks there, then the IP: automatic, or a fixed one checked as you type.
 */
class AllocateMachineDialog extends Dialog {

    private static final String AUTO = "Lowest free address";
    private static final String FIXED = "A fixed address";

    private final Actor actor;
    private final IpService ips;
    private final Select<Network> network = new Select<>();
    private final TextField ip = new TextField("Fixed address");
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
        ip.setVisible(false);
        ip.setValueChangeMode(ValueChangeMode.EAGER);
        ip.addValueChangeListener(change -> validate());
        network.addValueChangeListener(change -> validate());
        mode.addValueChangeListener(change -> {
            ip.setVisible(FIXED.equals(change.getValue()));
            validate();
        });

        add(new FormLayout(name, partition, size, network, mode, ip));

        allocate.setId("allocate");
        allocate.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        allocate.addClickListener(click -> {
            name.setInvalid(false);
            try {
                Machine machine = machines.allocate(actor, project.id(), name.getValue(), new PartitionId(partition.getValue()), size.getValue(),
                        new NetworkRequest(network.getValue() == null ? null : network.getValue().id(),
                                FIXED.equals(mode.getValue()) ? Optional.of(ip.getValue()) : Optional.empty())).block();
                Notices.success("Allocated " + machine.name() + " with IP "
                        + machine.primary().map(Machine.Attachment::ip).orElse("") + ".");
                close();
                allocated.run();
            } catch (DomainException refused) {
                FieldErrors.show(refused, Map.of("name", name, "ip", ip, "network", network, "size", size, "partition", partition));
            }
        });
        getFooter().add(new Button("Cancel", click -> close()), allocate);
    }

    private void validate() {
        if (!ip.isVisible() || network.getValue() == null) {
            ip.setInvalid(false);
            allocate.setEnabled(network.getValue() != null);
            ip.setHelperText("");
            return;
        }
        Network chosen = network.getValue();
        String problem = null;
        if (ip.getValue().isBlank()) {
            problem = "Enter an address in " + chosen.prefix() + ".";
        } else {
            try {
                Address address = IpService.checkRequested(chosen, ip.getValue());
                if (ips.find(actor, chosen.id(), address).blockOptional().isPresent()) {
                    problem = address + " is already taken in " + chosen.name() + ".";
                }
            } catch (DomainException refused) {
                problem = refused.getMessage();
            }
        }
        ip.setHelperText(problem == null ? ip.getValue().strip() + " is free in " + chosen.name() + "." : "Inside " + chosen.prefix()
                + "; not the network, gateway or broadcast address, and not taken.");
        ip.setErrorMessage(problem);
        ip.setInvalid(problem != null && !ip.getValue().isBlank());
        allocate.setEnabled(problem == null);
    }
}

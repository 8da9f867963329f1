package dev.netportal.ui.network;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.value.ValueChangeMode;
import dev.netportal.common.DomainException;
import dev.netportal.identity.Actor;
import dev.netportal.identity.ProjectId;
import dev.netportal.network.Network;
import dev.netportal.network.NetworkService;
import dev.netportal.network.NewNetwork;
import dev.netportal.partition.PartitionId;
import dev.netportal.partition.PartitionService;
import dev.netportal.project.ProjectMembership;
import dev.netportal.ui.FieldErrors;
import java.util.Map;
import java.util.Optional;

/** Asks for partition, name and an optional prefix length (showing the resulting size), then creates the network. */
class NewNetworkDialog extends Dialog {

    NewNetworkDialog(Actor actor, ProjectMembership membership, NetworkService networks, PartitionService partitions,
            Runnable created) {
        ProjectId project = membership.id();
        setHeaderTitle("New network in " + membership.name());
        Select<String> partition = new Select<>();
        partition.setLabel("Partition");
        partition.setId("network-partition");
        partition.setItems(partitions.ids().block());
        partition.getListDataView().getItems().findFirst().ifPresent(partition::setValue);

        TextField name = new TextField("Name");
        name.setId("network-name");
        name.setRequired(true);
        name.setMaxLength(100);

        IntegerField length = new IntegerField("Prefix length (optional)");
        length.setId("network-length");
        length.setPrefixComponent(new com.vaadin.flow.component.html.Span("/"));
        length.setMin(1);
        length.setMax(30);
        length.setValueChangeMode(ValueChangeMode.EAGER);
        Runnable describe = () -> length.setHelperText(partition.getValue() == null ? "" : helper(partitions, partition.getValue(), length.getValue()));
        length.addValueChangeListener(change -> describe.run());
        partition.addValueChangeListener(change -> describe.run());
        describe.run();

        add(new FormLayout(partition, name, length));

        Button create = new Button("Create", click -> {
            name.setInvalid(false);
            length.setInvalid(false);
            try {
                Network network = networks.create(actor, project, new NewNetwork(name.getValue(), partition.getValue(),
                        Optional.ofNullable(length.getValue()), "")).block();
                Notification.show("Created " + network.name() + ": " + network.prefix() + ", VRF " + network.vrf(), 5000,
                        Notification.Position.BOTTOM_START).addThemeVariants(NotificationVariant.LUMO_SUCCESS);
                close();
                created.run();
            } catch (DomainException refused) {
                FieldErrors.show(refused, Map.of("name", name, "prefixLength", length, "partition", partition));
            }
        });
        create.setId("create-network");
        create.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        getFooter().add(new Button("Cancel", click -> close()), create);
    }

    private static String helper(PartitionService partitions, String partition, Integer asked) {
        PartitionService.PartitionSettings settings = partitions.settings(new PartitionId(partition)).block();
        int length = asked == null ? settings.childLengthV4() : asked;
        String size = length >= 1 && length <= 30
                ? "/" + length + ": " + (1L << (32 - length)) + " addresses, " + ((1L << (32 - length)) - 3) + " for machines"
                : "/" + length + " is not possible";
        return (asked == null ? "Default " : "") + size + ". Allowed: /" + settings.minChildLengthV4() + " to /30.";
    }
}

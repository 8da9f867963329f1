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

/**
 * Asks for partition, name and an optional prefix length (showing the resulting size; in a dual-stack partition
 * also the IPv6 length), then creates the network.
 */
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
        IntegerField lengthV6 = new IntegerField("IPv6 prefix length (optional)");
        lengthV6.setId("network-length-v6");
        lengthV6.setPrefixComponent(new com.vaadin.flow.component.html.Span("/"));
        lengthV6.setMin(1);
        lengthV6.setMax(126);
        Runnable describe = () -> {
            if (partition.getValue() == null) {
                return;
            }
            PartitionService.PartitionSettings settings = partitions.settings(new PartitionId(partition.getValue())).block();
            length.setHelperText(helper(settings, length.getValue()));
            // dual stack: the network gets an IPv6 prefix too, of the partition's default length unless asked
            lengthV6.setVisible(settings.hasIpv6Pool());
            lengthV6.setHelperText("Dual stack: the network gets an IPv6 prefix too. Default /" + settings.childLengthV6()
                    + "; allowed: /" + settings.minChildLengthV6() + " to /126.");
        };
        length.addValueChangeListener(change -> describe.run());
        partition.addValueChangeListener(change -> describe.run());
        describe.run();

        add(new FormLayout(partition, name, length, lengthV6));

        Button create = new Button("Create", click -> {
            name.setInvalid(false);
            length.setInvalid(false);
            try {
                Network network = networks.create(actor, project, new NewNetwork(name.getValue(), partition.getValue(),
                        Optional.ofNullable(length.getValue()), Optional.ofNullable(lengthV6.isVisible() ? lengthV6.getValue() : null),
                        "", Map.of())).block();
                Notification.show("Created " + network.name() + ": " + network.prefixesText() + ", VRF " + network.vrf(), 5000,
                        Notification.Position.BOTTOM_START).addThemeVariants(NotificationVariant.LUMO_SUCCESS);
                close();
                created.run();
            } catch (DomainException refused) {
                FieldErrors.show(refused, Map.of("name", name, "prefixLength", length, "prefixLengthV6", lengthV6,
                        "partition", partition));
            }
        });
        create.setId("create-network");
        create.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        getFooter().add(new Button("Cancel", click -> close()), create);
    }

    private static String helper(PartitionService.PartitionSettings settings, Integer asked) {
        int length = asked == null ? settings.childLengthV4() : asked;
        String size = length >= 1 && length <= 30
                ? "/" + length + ": " + (1L << (32 - length)) + " addresses, " + ((1L << (32 - length)) - 3) + " for machines"
                : "/" + length + " is not possible";
        return (asked == null ? "Default " : "") + size + ". Allowed: /" + settings.minChildLengthV4() + " to /30.";
    }
}

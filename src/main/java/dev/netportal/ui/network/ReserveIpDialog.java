package dev.netportal.ui.network;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.radiobutton.RadioButtonGroup;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.value.ValueChangeMode;
import dev.netportal.common.DomainException;
import dev.netportal.identity.Actor;
import dev.netportal.ipam.Address;
import dev.netportal.network.IpAddress;
import dev.netportal.network.IpService;
import dev.netportal.network.Network;
import dev.netportal.ui.Notices;
import java.util.Optional;

/**
 * Reserves a static IP: the lowest free address, or a given one checked as you type (inside the prefix, not
 * reserved, not taken); a race with another user still ends in the allocation's clear refusal.
 */
class ReserveIpDialog extends Dialog {

    private static final String LOWEST = "Lowest free address";
    private static final String SPECIFIC = "A specific address";

    private final Actor actor;
    private final Network network;
    private final IpService ips;
    private final TextField address = new TextField("Address");
    private final Button reserve = new Button("Reserve");

    ReserveIpDialog(Actor actor, Network network, IpService ips, Runnable reserved) {
        this.actor = actor;
        this.network = network;
        this.ips = ips;
        setHeaderTitle("Reserve an IP in " + network.name());

        RadioButtonGroup<String> mode = new RadioButtonGroup<>("Which address");
        mode.setId("ip-mode");
        mode.setItems(LOWEST, SPECIFIC);
        mode.setValue(LOWEST);

        address.setId("ip-address");
        address.setPlaceholder(network.prefix().toString().replaceAll("\\.\\d+/\\d+$", ".x"));
        address.setHelperText("Inside " + String.join(" or ", network.prefixes().stream().map(Object::toString).toList())
                + "; not the network, gateway or broadcast address.");
        address.setValueChangeMode(ValueChangeMode.EAGER);
        address.setVisible(false);
        address.addValueChangeListener(change -> validate());
        mode.addValueChangeListener(change -> {
            address.setVisible(SPECIFIC.equals(change.getValue()));
            validate();
        });

        TextField name = new TextField("Name (optional)");
        name.setId("ip-name");
        name.setMaxLength(100);
        name.setHelperText("What uses it, e.g. lb-vip");

        add(new FormLayout(mode, address, name));

        reserve.setId("reserve");
        reserve.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        reserve.addClickListener(click -> {
            Optional<String> wanted = SPECIFIC.equals(mode.getValue()) ? Optional.of(address.getValue()) : Optional.empty();
            try {
                IpAddress ip = ips.allocate(actor, network.id(), wanted, name.getValue().strip(), "").block();
                Notices.success("Reserved " + ip.ip() + " in " + network.name() + ".");
                close();
                reserved.run();
            } catch (DomainException refused) {
                if (wanted.isPresent()) {
                    address.setErrorMessage(refused.getMessage());
                    address.setInvalid(true);
                } else {
                    Notices.error(refused.getMessage());
                }
            }
        });
        getFooter().add(new Button("Cancel", click -> close()), reserve);
    }

    private void validate() {
        if (!address.isVisible()) {
            address.setInvalid(false);
            reserve.setEnabled(true);
            return;
        }
        String problem = problem(address.getValue());
        address.setErrorMessage(problem);
        address.setInvalid(problem != null && !address.getValue().isBlank());
        reserve.setEnabled(problem == null);
    }

    private String problem(String text) {
        if (text == null || text.isBlank()) {
            return "Enter an address in " + String.join(" or ", network.prefixes().stream().map(Object::toString).toList()) + ".";
        }
        try {
            Address parsed = IpService.checkRequested(network, text);
            return ips.find(actor, network.id(), parsed).blockOptional().isPresent()
                    ? parsed + " is already reserved in " + network.name() + "." : null;
        } catch (DomainException refused) {
            return refused.getMessage();
        }
    }
}

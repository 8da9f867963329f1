package dev.netportal.ui.sharing;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.radiobutton.RadioButtonGroup;
import com.vaadin.flow.component.textfield.TextArea;
import dev.netportal.common.DomainException;
import dev.netportal.common.InputLimits;
import dev.netportal.common.NatType;
import dev.netportal.identity.Actor;
import dev.netportal.network.Network;
import dev.netportal.sharing.ShareService;
import dev.netportal.ui.FieldErrors;
import dev.netportal.ui.Notices;
import java.util.Map;

/**
 * Files a share request for a private network (S1): the reason, the NAT type explained in plain words, and a
 * warning that sharing is for good.
 */
public class RequestSharingDialog extends Dialog {

    public RequestSharingDialog(Actor actor, Network network, ShareService shares, Runnable filed) {
        setHeaderTitle("Request sharing of " + network.name());
        setWidth("40rem");

        Div warning = new Div(VaadinIcon.WARNING.create(), new Paragraph("Sharing cannot be undone. Once an admin "
                + "approves, " + network.name() + " (" + network.prefixesText() + ") stays a shared network for good: every "
                + "project in partition " + network.partition() + " can attach it to its firewalls, and its prefix and "
                + "VRF no longer change."));
        warning.setId("share-warning");
        warning.addClassName("np-warning");

        TextArea reason = new TextArea("Reason");
        reason.setId("share-reason");
        reason.setWidthFull();
        reason.setRequired(true);
        reason.setMaxLength(InputLimits.REASON);
        reason.setHelperText("Who should use this network, and for what. The admin who decides reads it.");

        RadioButtonGroup<NatType> nat = new RadioButtonGroup<>("How consumers reach it");
        nat.setId("share-nat");
        nat.setItems(NatType.IPV4_MASQUERADE, NatType.NONE);
        nat.setItemLabelGenerator(ShareTexts::nat);
        nat.setValue(NatType.IPV4_MASQUERADE);
        nat.addThemeName("vertical");
        if (network.prefixes().size() > 1) {
            // dual stack: NAT types translate IPv4 only (decision 006)
            nat.setHelperText("Masquerading is for IPv4: over IPv6, consumers' machines reach " + network.name()
                    + " with their own addresses.");
        }

        add(warning, reason, nat);

        Button file = new Button("File request", click -> {
            try {
                shares.file(actor, network.id(), reason.getValue(), nat.getValue().name()).block();
                Notices.success("Share request for " + network.name() + " filed; an admin decides it.");
                close();
                filed.run();
            } catch (DomainException refused) {
                FieldErrors.show(refused, Map.of("reason", reason));
            }
        });
        file.setId("file-share-request");
        file.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        getFooter().add(new Button("Cancel", click -> close()), file);
    }
}

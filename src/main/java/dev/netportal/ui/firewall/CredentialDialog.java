package dev.netportal.ui.firewall;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.textfield.TextField;

/** Shows a new firewall's agent credential, the only time it is ever shown, with a button to copy it. */
class CredentialDialog extends Dialog {

    CredentialDialog(String firewall, String credential) {
        setHeaderTitle("Firewall " + firewall + " is allocated");
        setWidth("40rem");
        setCloseOnOutsideClick(false);
        TextField secret = new TextField("Agent credential");
        secret.setId("agent-credential");
        secret.setValue(credential);
        secret.setReadOnly(true);
        secret.setWidthFull();
        secret.addClassName("np-mono");
        Button copy = new Button("Copy", VaadinIcon.COPY.create(), click -> {
            secret.getElement().executeJs("navigator.clipboard && navigator.clipboard.writeText($0)", credential);
            click.getSource().setText("Copied");
        });
        copy.setId("copy-credential");
        secret.setSuffixComponent(copy);
        add(new Paragraph("The firewall's agent signs in with this credential. It is shown only now: Netportal keeps "
                + "only a hash of it. Copy it into the agent's configuration before you close this window."), secret);
        Button done = new Button("I have copied it", click -> close());
        done.setId("credential-done");
        done.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        getFooter().add(done);
    }
}

package dev.netportal.ui;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.server.ErrorEvent;
import com.vaadin.flow.server.ServiceInitEvent;
import com.vaadin.flow.server.VaadinServiceInitListener;
import dev.netportal.common.DomainException;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * What the user sees when an action fails and the view did not handle it: a refusal of the domain as its readable
 * message, anything else as a short notice with an id to find the logged stack trace. Never a stack trace on screen.
 */
@Component
class UiErrors implements VaadinServiceInitListener {

    private static final Logger log = LoggerFactory.getLogger(UiErrors.class);

    @Override
    public void serviceInit(ServiceInitEvent event) {
        event.getSource().addSessionInitListener(init -> init.getSession().setErrorHandler(UiErrors::handle));
    }

    static void handle(ErrorEvent event) {
        String text = refusal(event.getThrowable());
        if (text == null) {
            String id = UUID.randomUUID().toString().substring(0, 8);
            log.error("UI action failed (error id {})", id, event.getThrowable());
            text = "Something went wrong and nothing was changed. The error was logged with id " + id + ".";
        }
        String message = text;
        UI ui = event.getComponent().flatMap(c -> c.getUI()).orElse(UI.getCurrent());
        if (ui != null) {
            ui.access(() -> Notices.error(message));
        }
    }

    private static String refusal(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof DomainException refused) {
                return refused.getMessage();
            }
        }
        return null;
    }
}

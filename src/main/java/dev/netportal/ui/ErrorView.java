package dev.netportal.ui;

import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.ErrorParameter;
import com.vaadin.flow.router.HasErrorParameter;
import com.vaadin.flow.router.RouterLink;
import jakarta.annotation.security.PermitAll;
import jakarta.servlet.http.HttpServletResponse;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a page shows when it cannot be built: a short explanation and an id to find the logged details, never a
 * stack trace.
 */
@PermitAll
public class ErrorView extends VerticalLayout implements HasErrorParameter<Exception> {

    private static final Logger log = LoggerFactory.getLogger(ErrorView.class);

    @Override
    public int setErrorParameter(BeforeEnterEvent event, ErrorParameter<Exception> parameter) {
        String id = UUID.randomUUID().toString().substring(0, 8);
        log.error("page {} failed (error id {})", event.getLocation().getPath(), id, parameter.getCaughtException());
        removeAll();
        Paragraph text = new Paragraph("This page could not be shown. Nothing was changed. The error was logged with id "
                + id + "; please mention it when you report the problem.");
        text.setId("error-text");
        add(new H2("Something went wrong"), text, new RouterLink("Back to the overview", HomeView.class));
        return HttpServletResponse.SC_INTERNAL_SERVER_ERROR;
    }
}

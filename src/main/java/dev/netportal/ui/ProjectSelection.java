package dev.netportal.ui;

import com.vaadin.flow.spring.annotation.VaadinSessionScope;
import dev.netportal.identity.ProjectId;
import java.util.Optional;
import org.springframework.stereotype.Component;

/** The project the user works in, chosen with the switcher in the header; kept for the browser session. */
@Component
@VaadinSessionScope
public class ProjectSelection {

    private ProjectId selected;

    public Optional<ProjectId> selected() {
        return Optional.ofNullable(selected);
    }

    public void select(ProjectId project) {
        this.selected = project;
    }
}

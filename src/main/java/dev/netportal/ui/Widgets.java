package dev.netportal.ui;

import com.vaadin.flow.component.ClickEvent;
import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.ComponentEventListener;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;

/** Small pieces every view uses the same way. */
public final class Widgets {

    private Widgets() {
    }

    /** Text in the monospace style of addresses, prefixes and revisions. */
    public static Span mono(String text) {
        Span span = new Span(text);
        span.addClassName("np-mono");
        return span;
    }

    /** A page's title line: the title takes the room, the other parts (actions, filters) stand at its right. */
    public static HorizontalLayout header(Component title, Component... rest) {
        HorizontalLayout header = new HorizontalLayout(title);
        header.add(rest);
        header.setWidthFull();
        header.setAlignItems(FlexComponent.Alignment.BASELINE);
        header.expand(title);
        return header;
    }

    /** {@link #header(Component, Component...)} with a plain title. */
    public static HorizontalLayout header(String title, Component... rest) {
        return header(new H2(title), rest);
    }

    /** The page's main action ("New ...", "Allocate ..."): a primary button with a plus. */
    public static Button create(String label, String id, ComponentEventListener<ClickEvent<Button>> click) {
        Button button = new Button(label, VaadinIcon.PLUS.create(), click);
        button.setId(id);
        button.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        return button;
    }
}

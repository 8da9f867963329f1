package dev.netportal.ui;

import com.vaadin.flow.component.html.Span;

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
}

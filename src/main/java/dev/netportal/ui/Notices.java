package dev.netportal.ui;

import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;

/** The portal's toasts: successes briefly at the bottom, refusals and errors longer and in the middle. */
public final class Notices {

    private Notices() {
    }

    public static void success(String text) {
        Notification.show(text, 5000, Notification.Position.BOTTOM_START).addThemeVariants(NotificationVariant.LUMO_SUCCESS);
    }

    public static void error(String text) {
        Notification.show(text, 8000, Notification.Position.MIDDLE).addThemeVariants(NotificationVariant.LUMO_ERROR);
    }

    /** Said in every open tab when the person's roles at the provider changed and the page was built again. */
    public static void accessChanged() {
        Span text = new Span("Your access has changed at the sign-in provider: this page now shows what your roles allow.");
        text.setId("access-changed");
        Notification notice = new Notification(text);
        notice.setDuration(30_000);
        notice.setPosition(Notification.Position.TOP_CENTER);
        notice.addThemeVariants(NotificationVariant.LUMO_CONTRAST);
        notice.open();
    }
}

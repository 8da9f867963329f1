package dev.netportal.ui;

import com.vaadin.flow.router.BeforeEnterEvent;

/** Admin pages send everyone else back to the overview, with a word why; the services refuse them anyway. */
public final class AdminOnly {

    private AdminOnly() {
    }

    /** Answers whether the user may stay; if not, the navigation goes to the overview instead. */
    public static boolean check(BeforeEnterEvent event, UserSession session) {
        if (session.actor().admin()) {
            return true;
        }
        Notices.error("That page is for platform admins.");
        event.forwardTo(HomeView.class);
        return false;
    }
}

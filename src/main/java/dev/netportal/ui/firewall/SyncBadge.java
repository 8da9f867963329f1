package dev.netportal.ui.firewall;

import com.vaadin.flow.component.badge.Badge;
import com.vaadin.flow.component.badge.BadgeVariant;
import java.util.Locale;

/** A firewall's sync state (D4) as a coloured badge: in sync (green), pending (amber), failing (red). */
public final class SyncBadge {

    private SyncBadge() {
    }

    public static Badge of(String state) {
        Badge badge = new Badge(switch (state) {
            case "IN_SYNC" -> "in sync";
            case "FAILING" -> "failing";
            default -> "pending";
        });
        badge.addThemeVariants(switch (state) {
            case "IN_SYNC" -> BadgeVariant.SUCCESS;
            case "FAILING" -> BadgeVariant.ERROR;
            default -> BadgeVariant.WARNING;
        });
        badge.addClassName("np-sync-" + state.toLowerCase(Locale.ROOT));
        return badge;
    }
}

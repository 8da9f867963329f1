package dev.netportal.ui.firewall;

import com.vaadin.flow.component.badge.Badge;
import com.vaadin.flow.component.badge.BadgeVariant;
import dev.netportal.firewall.SyncStatus;
import java.util.Locale;

/** A firewall's sync state (D4) as a coloured badge: in sync (green), pending (amber), failing (red). */
public final class SyncBadge {

    private SyncBadge() {
    }

    public static Badge of(SyncStatus state) {
        Badge badge = new Badge(switch (state) {
            case IN_SYNC -> "in sync";
            case FAILING -> "failing";
            case PENDING -> "pending";
        });
        badge.addThemeVariants(switch (state) {
            case IN_SYNC -> BadgeVariant.SUCCESS;
            case FAILING -> BadgeVariant.ERROR;
            case PENDING -> BadgeVariant.WARNING;
        });
        badge.addClassName("np-sync-" + state.name().toLowerCase(Locale.ROOT));
        return badge;
    }
}

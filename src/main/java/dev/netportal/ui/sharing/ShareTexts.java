package dev.netportal.ui.sharing;

import com.vaadin.flow.component.badge.Badge;
import com.vaadin.flow.component.badge.BadgeVariant;
import dev.netportal.common.NatType;
import dev.netportal.sharing.ShareStatus;

/** The words and badges the sharing pages use for NAT types and request states. */
public final class ShareTexts {

    private ShareTexts() {
    }

    /** What a NAT type means for the people who use the shared network, in plain words. */
    public static String nat(NatType natType) {
        return natType == NatType.IPV4_MASQUERADE
                ? "Masquerade: consumers' machines appear behind their firewall's address"
                : "No NAT: consumers' machine addresses are visible";
    }

    public static Badge status(ShareStatus status) {
        Badge badge = new Badge(status.name().toLowerCase());
        badge.addClassName("np-share-status");
        switch (status) {
            case PENDING -> badge.addThemeVariants(BadgeVariant.WARNING);
            case APPROVED -> badge.addThemeVariants(BadgeVariant.SUCCESS);
            case REJECTED -> badge.addThemeVariants(BadgeVariant.ERROR);
            case WITHDRAWN -> { }
        }
        return badge;
    }
}

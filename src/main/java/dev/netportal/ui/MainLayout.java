package dev.netportal.ui;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.applayout.AppLayout;
import com.vaadin.flow.component.applayout.DrawerToggle;
import com.vaadin.flow.component.avatar.Avatar;
import com.vaadin.flow.component.badge.Badge;
import com.vaadin.flow.component.badge.BadgeVariant;
import com.vaadin.flow.component.contextmenu.SubMenu;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.menubar.MenuBar;
import com.vaadin.flow.component.menubar.MenuBarVariant;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.sidenav.SideNav;
import com.vaadin.flow.component.sidenav.SideNavItem;
import com.vaadin.flow.router.Layout;
import dev.netportal.identity.Actor;
import dev.netportal.project.ProjectMembership;
import dev.netportal.sharing.ShareEvents;
import dev.netportal.sharing.ShareService;
import dev.netportal.ui.admin.AllNetworksView;
import dev.netportal.ui.admin.PartitionsAdminView;
import dev.netportal.ui.admin.ProjectsAdminView;
import dev.netportal.ui.audit.AuditView;
import dev.netportal.ui.firewall.FirewallsView;
import dev.netportal.ui.firewall.FleetView;
import dev.netportal.ui.machine.MachinesView;
import dev.netportal.ui.network.NetworksView;
import dev.netportal.ui.sharing.ApprovalQueueView;
import dev.netportal.ui.sharing.MyRequestsView;
import dev.netportal.ui.sharing.SharedNetworksView;
import jakarta.annotation.security.PermitAll;
import java.util.List;

/**
 * The frame of every signed-in page: navigation on the left; the project switcher and the signed-in user, with
 * sign-out, on top.
 */
@Layout
@PermitAll
public class MainLayout extends AppLayout {

    MainLayout(UserSession session, ShareService shares, ShareEvents shareEvents) {
        Actor actor = session.actor();

        Span brand = new Span("Netportal");
        brand.addClassName("np-brand");

        HorizontalLayout bar = new HorizontalLayout(new DrawerToggle(), brand, projectSwitcher(session),
                userMenu(actor, session));
        bar.setWidthFull();
        bar.setAlignItems(FlexComponent.Alignment.CENTER);
        bar.expand(brand);
        bar.addClassName("np-navbar");
        addToNavbar(bar);

        SideNav nav = new SideNav();
        nav.addItem(new SideNavItem("Overview", HomeView.class, VaadinIcon.DASHBOARD.create()));
        nav.addItem(new SideNavItem("Networks", NetworksView.class, VaadinIcon.CLUSTER.create()));
        nav.addItem(new SideNavItem("Machines", MachinesView.class, VaadinIcon.SERVER.create()));
        nav.addItem(new SideNavItem("Firewalls", FirewallsView.class, VaadinIcon.SHIELD.create()));
        nav.addItem(new SideNavItem("Shared networks", SharedNetworksView.class, VaadinIcon.CONNECT.create()));
        nav.addItem(new SideNavItem("Share requests", MyRequestsView.class, VaadinIcon.INBOX.create()));
        nav.addItem(new SideNavItem("Audit log", AuditView.class, VaadinIcon.LIST.create()));
        addToDrawer(nav);
        if (actor.admin()) {
            SideNav admin = new SideNav("Platform admin");
            admin.setId("admin-nav");
            SideNavItem approvals = new SideNavItem("Approval queue", ApprovalQueueView.class, VaadinIcon.CHECK_SQUARE_O.create());
            Badge pending = new Badge();
            pending.setId("queue-badge");
            pending.addThemeVariants(BadgeVariant.CONTRAST, BadgeVariant.SMALL);
            Runnable count = () -> {
                long waiting = shares.pendingCount(actor).block();
                pending.setText(String.valueOf(waiting));
                pending.setVisible(waiting > 0);
                pending.getElement().setAttribute("aria-label", waiting + " share requests wait for a decision");
            };
            count.run();
            approvals.setSuffixComponent(pending);
            // the count follows requests filed and decided anywhere, without a reload
            Live.follow(this, shareEvents.changes(), count);
            admin.addItem(approvals);
            admin.addItem(new SideNavItem("Partitions", PartitionsAdminView.class, VaadinIcon.GRID_BIG.create()));
            admin.addItem(new SideNavItem("Projects", ProjectsAdminView.class, VaadinIcon.FOLDER_O.create()));
            admin.addItem(new SideNavItem("All networks", AllNetworksView.class, VaadinIcon.SITEMAP.create()));
            admin.addItem(new SideNavItem("Firewall fleet", FleetView.class, VaadinIcon.SHIELD.create()));
            addToDrawer(admin);
        }
        setPrimarySection(Section.DRAWER);
    }

    private static Select<ProjectMembership> projectSwitcher(UserSession session) {
        List<ProjectMembership> memberships = session.memberships();
        Select<ProjectMembership> switcher = new Select<>();
        switcher.setId("project-switcher");
        switcher.setAriaLabel("Project");
        switcher.setPrefixComponent(VaadinIcon.FOLDER_O.create());
        switcher.setItemLabelGenerator(m -> m.name() + " (" + m.role().label() + ")");
        switcher.setItems(memberships);
        // nothing to switch between: no switcher (admins may hold no project role)
        switcher.setVisible(!memberships.isEmpty());
        session.selectedProject().ifPresent(switcher::setValue);
        switcher.addValueChangeListener(change -> {
            if (change.isFromClient() && change.getValue() != null) {
                session.select(change.getValue().id());
                UI.getCurrent().refreshCurrentRoute(false);
            }
        });
        return switcher;
    }

    private static MenuBar userMenu(Actor actor, UserSession session) {
        Avatar avatar = new Avatar(actor.name());
        avatar.addClassName("np-avatar");
        Span name = new Span(actor.name());
        name.setId("user-name");
        HorizontalLayout who = new HorizontalLayout(avatar, name);
        who.setAlignItems(FlexComponent.Alignment.CENTER);
        who.setSpacing(true);

        MenuBar menu = new MenuBar();
        menu.addThemeVariants(MenuBarVariant.LUMO_TERTIARY_INLINE);
        SubMenu items = menu.addItem(who).getSubMenu();
        if (actor.admin()) {
            items.addItem(new Span("Platform admin")).setEnabled(false);
        }
        items.addItem("Sign out", click -> session.signOut()).setId("sign-out");
        return menu;
    }
}

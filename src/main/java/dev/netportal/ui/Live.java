package dev.netportal.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.UI;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/**
 * Keeps a component up to date while it is on screen: on each change from {@code changes} (e.g. share requests
 * decided in another browser or instance), {@code refresh} runs in the component's UI and the page is pushed.
 */
public final class Live {

    private Live() {
    }

    public static void follow(Component component, Flux<?> changes, Runnable refresh) {
        component.addAttachListener(attach -> {
            UI ui = attach.getUI();
            // off the database driver's event loop: the refresh reads through blocking calls
            Disposable subscription = changes.publishOn(Schedulers.boundedElastic())
                    .subscribe(change -> ui.access(refresh::run));
            component.addDetachListener(detach -> {
                subscription.dispose();
                detach.unregisterListener();
            });
        });
    }
}

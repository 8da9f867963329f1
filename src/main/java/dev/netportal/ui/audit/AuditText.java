package dev.netportal.ui.audit;

import dev.netportal.audit.AuditLog;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/** Audit events in words for the grids: "allocate ip 10.0.0.2", with what changed. */
public final class AuditText {

    public static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private AuditText() {
    }

    /**
     * The changed values: for an update only what differs ("proxy: none → p:3128"), for a creation the new state,
     * for a deletion the state that went away.
     */
    public static String details(AuditLog.Event event) {
        if (event.before() instanceof Map<?, ?> before && event.after() instanceof Map<?, ?> after) {
            String changed = after.entrySet().stream()
                    .filter(entry -> !Objects.equals(before.get(entry.getKey()), entry.getValue()))
                    .map(entry -> entry.getKey() + ": " + before.get(entry.getKey()) + " → " + entry.getValue())
                    .collect(Collectors.joining(", "));
            return changed.isEmpty() ? "no change" : changed;
        }
        Object shown = event.after() != null ? event.after() : event.before();
        if (shown instanceof Map<?, ?> map) {
            String text = map.entrySet().stream()
                    .map(entry -> entry.getKey() + ": " + entry.getValue())
                    .collect(Collectors.joining(", "));
            return event.after() == null ? "removed " + text : text;
        }
        return shown == null ? "" : shown.toString();
    }

    public static String when(AuditLog.Event event) {
        return WHEN.format(event.at());
    }
}

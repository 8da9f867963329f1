package dev.netportal.network;

import dev.netportal.common.Refusal;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** Checks labels: at most 32, keys like {@code team} or {@code example.com/role}, values up to 256 characters. */
final class Labels {

    private static final Pattern KEY = Pattern.compile("[a-z0-9]([a-z0-9._/-]{0,62})");

    private Labels() {
    }

    static Map<String, String> check(Map<String, String> labels) {
        if (labels == null) {
            return Map.of();
        }
        if (labels.size() > 32) {
            throw Refusal.NETWORK_LABELS_COUNT.with(labels.size());
        }
        labels.forEach((key, value) -> {
            if (key == null || !KEY.matcher(key).matches()) {
                throw Refusal.NETWORK_LABEL_KEY.with(key);
            }
            if (value == null || value.length() > 256) {
                throw Refusal.NETWORK_LABEL_VALUE.with(key);
            }
        });
        return new TreeMap<>(labels);
    }
}

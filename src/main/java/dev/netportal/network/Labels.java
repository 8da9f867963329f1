package dev.netportal.network;

import dev.netportal.common.DomainException;
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
            throw DomainException.invalid("network-labels", "A network has at most 32 labels; " + labels.size() + " were given.");
        }
        labels.forEach((key, value) -> {
            if (key == null || !KEY.matcher(key).matches()) {
                throw DomainException.invalid("network-labels", "Label key '" + key
                        + "' is not allowed: lower-case letters, digits and . _ / -, starting with a letter or digit, at most 63.");
            }
            if (value == null || value.length() > 256) {
                throw DomainException.invalid("network-labels", "Label '" + key + "' needs a value of at most 256 characters.");
            }
        });
        return new TreeMap<>(labels);
    }
}

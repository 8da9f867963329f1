package dev.netportal.api;

import java.util.Optional;

/**
 * A write as the client sent it: its {@code Idempotency-Key} header, if any, and the method and path the key is
 * bound to. Controllers take it as a parameter (see {@link Idempotency}).
 */
record IdempotentWrite(Optional<String> key, String method, String path) {
}

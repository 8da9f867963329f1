package dev.netportal.sharing;

/** Where a share request stands. Only {@code PENDING} moves on; the other three are final. */
public enum ShareStatus {
    PENDING, APPROVED, REJECTED, WITHDRAWN
}

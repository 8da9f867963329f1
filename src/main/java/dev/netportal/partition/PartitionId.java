package dev.netportal.partition;

import dev.netportal.common.Refusal;

/** A partition's id: a lower-case slug such as {@code fra-1}; ordered as text. */
public record PartitionId(String value) implements Comparable<PartitionId> {

    /** A missing id is the caller's mistake, refused before any lookup. */
    public PartitionId {
        if (value == null || value.isBlank()) {
            throw Refusal.PARTITION_MISSING.with();
        }
    }

    @Override
    public int compareTo(PartitionId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}

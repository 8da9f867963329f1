package dev.netportal.partition;

/** A partition's id: a lower-case slug such as {@code fra-1}; ordered as text. */
public record PartitionId(String value) implements Comparable<PartitionId> {

    @Override
    public int compareTo(PartitionId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}

package dev.netportal.ipam;

import java.util.ArrayList;
import java.util.List;

/**
 * Carving child prefixes out of free blocks (a buddy system): free space is kept as aligned blocks that merge
 * with their buddy when both are free, so the lowest free block long enough for a request holds the lowest free
 * prefix of the asked length (first fit).
 */
public final class Carving {

    /** The prefix handed out and the blocks that stay free, lowest first. */
    public record Split(Prefix taken, List<Prefix> stillFree) {
    }

    private Carving() {
    }

    /** Takes the first prefix of {@code length} from a free block; the rest of the block stays free as buddies. */
    public static Split carve(Prefix freeBlock, int length) {
        Prefix taken = freeBlock.firstChild(length);
        List<Prefix> stillFree = new ArrayList<>();
        Prefix current = taken;
        while (current.length() > freeBlock.length()) {
            stillFree.add(current.buddy().orElseThrow());
            current = current.parent().orElseThrow();
        }
        return new Split(taken, stillFree.reversed());
    }
}

package dev.sseproxy.kms.registry;

import java.util.List;
import java.util.Optional;

/**
 * One page of a listing.
 *
 * @param items      the entries of this page
 * @param nextMarker where the next page starts; empty on the last page
 */
public record Page<T>(List<T> items, Optional<String> nextMarker) {
    public Page {
        items = List.copyOf(items);
    }

    /** True when more entries follow ({@code Truncated}). */
    public boolean truncated() {
        return nextMarker.isPresent();
    }
}

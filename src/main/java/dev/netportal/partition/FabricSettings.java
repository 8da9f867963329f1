package dev.netportal.partition;

import dev.netportal.common.Refusal;
import java.util.Arrays;

/**
 * How a partition's firewalls run their BGP sessions with its leaf switches (P1): keepalive and hold time, and how
 * tenant prefixes are announced to the partition's external networks.
 *
 * @param keepalive seconds between keepalives, at least 1
 * @param holdTime  seconds without a message after which a session is down: at least three keepalives (RFC 4271),
 *                  at most 65535
 */
public record FabricSettings(int keepalive, int holdTime, ExternalExport externalExport) {

    /**
     * What a partition gets unless an admin says otherwise: FRR's data-centre timers (3 s keepalives, down after 9 s
     * of silence) and tenant prefixes kept inside the external networks' AS.
     */
    public static final FabricSettings DEFAULTS = new FabricSettings(3, 9, ExternalExport.NO_EXPORT);

    /** The longest hold time BGP can express (two octets). */
    public static final int MAX_HOLD_TIME = 65535;

    /** How tenant prefixes are announced to external networks. */
    public enum ExternalExport {
        /** With the well-known community {@code no-export} (RFC 1997): the external routers pass them on to no other AS. */
        NO_EXPORT,
        /** Unmarked: the external routers may pass them on (an uplink that carries the tenants' own addresses). */
        EXPORT;

        /** The value named, refused (P1) when it is none of them. */
        static ExternalExport parse(String text) {
            return Arrays.stream(values()).filter(v -> v.name().equals(text)).findFirst()
                    .orElseThrow(() -> Refusal.P1_EXTERNAL_EXPORT.with(text));
        }
    }

    public FabricSettings {
        if (externalExport == null) {
            throw new IllegalArgumentException("externalExport is required");
        }
    }

    /** P1: the keepalive at least 1 s, the hold time at least three keepalives and at most 65535 s. */
    void check(String partition) {
        if (keepalive < 1) {
            throw Refusal.P1_BGP_KEEPALIVE.with(keepalive, partition);
        }
        if (holdTime < 3L * keepalive || holdTime > MAX_HOLD_TIME) {
            throw Refusal.P1_BGP_HOLD_TIME.with(holdTime, partition, keepalive, 3L * keepalive, MAX_HOLD_TIME);
        }
    }

    /** These settings with the given values instead, where given. */
    FabricSettings with(FabricChange change) {
        return new FabricSettings(change.keepalive() == null ? keepalive : change.keepalive(),
                change.holdTime() == null ? holdTime : change.holdTime(),
                change.externalExport() == null ? externalExport : change.externalExport());
    }

    /** What an admin changes of them; null stays as it is. */
    public record FabricChange(Integer keepalive, Integer holdTime, ExternalExport externalExport) {

        public static final FabricChange NONE = new FabricChange(null, null, null);
    }
}

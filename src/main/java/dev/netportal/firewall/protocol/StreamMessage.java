package dev.netportal.firewall.protocol;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The messages on an agent's stream (decision 007), one JSON object per WebSocket text message, told apart by
 * {@code type}. The portal sends {@code revision} and {@code ping}; the agent sends {@code status} (when it
 * connects, and as its heartbeat) and {@code answer} (what it did with a revision).
 */
public sealed interface StreamMessage {

    /** The largest message an agent accepts (a revision's two texts with room to spare). */
    int MAX_BYTES = 4 << 20;

    /** The longest text an answer carries (validator output is cut there, far below the portal's frame limit). */
    int MAX_ANSWER_TEXT = 2000;

    /**
     * The portal: a signed revision to run. {@code delivery} names this sending of it; the answer repeats it, so
     * a late or stray answer is never taken for another delivery's.
     */
    record Revision(SignedRevision revision, String delivery) implements StreamMessage {
    }

    /** The portal: still here (the agent reconnects when it hears nothing for a while). */
    record Ping() implements StreamMessage {
    }

    /** The agent: what it runs (the revision and its hash; 0 and null for nothing) and how. */
    record Status(int appliedRevision, String appliedHash, String mode) implements StreamMessage {
    }

    /** The agent: what became of a revision, and which delivery it answers (null if the message had none). */
    record Answer(Agent.Answer answer, String delivery) implements StreamMessage {
    }

    JsonMapper JSON = JsonMapper.builder().build();

    static String encode(StreamMessage message) {
        Map<String, Object> body = new LinkedHashMap<>();
        switch (message) {
            case Revision(SignedRevision r, String delivery) -> {
                body.put("type", "revision");
                body.put("delivery", delivery);
                body.put("firewallId", r.firewall().toString());
                body.put("allocation", r.allocation());
                body.put("revision", r.revision());
                body.put("hash", r.hash());
                body.put("frr", r.frr());
                body.put("nftables", r.nftables());
                body.put("frrSha256", r.frrSha256());
                body.put("nftablesSha256", r.nftablesSha256());
                body.put("expiresAt", r.expiresAt());
                body.put("keyId", r.keyId());
                body.put("signature", r.signature());
            }
            case Ping() -> body.put("type", "ping");
            case Status(int applied, String hash, String mode) -> {
                body.put("type", "status");
                body.put("appliedRevision", applied);
                body.put("appliedHash", hash);
                body.put("mode", mode);
            }
            case Answer(Agent.Answer answer, String delivery) -> {
                body.put("type", "answer");
                body.put("delivery", delivery);
                switch (answer) {
                    case Agent.Applied(int revision, String note) -> {
                        body.put("outcome", "APPLIED");
                        body.put("revision", revision);
                        body.put("message", cut(note));
                    }
                    case Agent.Rejected(int revision, String why) -> {
                        body.put("outcome", "REJECTED");
                        body.put("revision", revision);
                        body.put("message", cut(why));
                    }
                    case Agent.Refused(int revision, String reason) -> {
                        body.put("outcome", "REFUSED");
                        body.put("revision", revision);
                        body.put("message", cut(reason));
                    }
                    case Agent.Newer(int applied) -> {
                        body.put("outcome", "NEWER");
                        body.put("appliedRevision", applied);
                    }
                }
            }
        }
        return JSON.writeValueAsString(body);
    }

    /** Reads a message; refuses (IllegalArgumentException, with what is wrong) anything else. */
    static StreamMessage decode(String text) {
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("not a JSON object");
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        String type = string(node, "type");
        return switch (type) {
            case "revision" -> {
                UUID firewall;
                try {
                    firewall = UUID.fromString(string(node, "firewallId"));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("firewallId is not a UUID");
                }
                yield new Revision(new SignedRevision(firewall, string(node, "allocation"), integer(node, "revision"),
                        string(node, "hash"), string(node, "frr"), string(node, "nftables"), string(node, "frrSha256"),
                        string(node, "nftablesSha256"), number(node, "expiresAt"), optional(node, "keyId"),
                        optional(node, "signature")), optional(node, "delivery"));
            }
            case "ping" -> new Ping();
            case "status" -> new Status(integer(node, "appliedRevision"), optional(node, "appliedHash"), optional(node, "mode"));
            case "answer" -> new Answer(switch (string(node, "outcome")) {
                case "APPLIED" -> new Agent.Applied(integer(node, "revision"), optional(node, "message"));
                case "REJECTED" -> new Agent.Rejected(integer(node, "revision"), string(node, "message"));
                case "REFUSED" -> new Agent.Refused(integer(node, "revision"), string(node, "message"));
                case "NEWER" -> new Agent.Newer(integer(node, "appliedRevision"));
                default -> throw new IllegalArgumentException("outcome is one of APPLIED, REJECTED, REFUSED, NEWER");
            }, optional(node, "delivery"));
            default -> throw new IllegalArgumentException("type is one of revision, ping, status, answer");
        };
    }

    private static String cut(String text) {
        return text == null || text.length() <= MAX_ANSWER_TEXT ? text : text.substring(0, MAX_ANSWER_TEXT - 1) + "…";
    }

    private static String string(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isString()) {
            throw new IllegalArgumentException(field + " is missing or not text");
        }
        return value.asString();
    }

    private static String optional(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || !value.isString() ? null : value.asString();
    }

    private static int integer(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isInt()) {
            throw new IllegalArgumentException(field + " is missing or not a 32-bit integer");
        }
        return value.asInt();
    }

    private static long number(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.canConvertToLong() || !value.isIntegralNumber()) {
            throw new IllegalArgumentException(field + " is missing or not an integer");
        }
        return value.asLong();
    }
}

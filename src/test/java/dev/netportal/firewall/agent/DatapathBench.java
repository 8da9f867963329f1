package dev.netportal.firewall.agent;

import dev.netportal.firewall.protocol.Agent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MappingIterator;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The datapath bench's driver: runs inside the bench (see {@code src/test/datapath/datapath.sh}, which starts it
 * with {@code --run}), builds the bench, and then, phase by phase, hands each firewall's revision to a
 * {@link FirewallAgent} in apply mode ({@code nft -f} in the firewall's namespace, {@code frr-reload.py --reload}
 * against the FRR running there), waits until routing has settled, and records what FRR installed on the firewalls,
 * what the leaf and the exit router learnt, the kernel's VRF tables and the probes' outcomes in a JSON report.
 *
 * <p>Plan lines: {@code links FILE}, then per phase {@code phase NAME}, {@code deliver fw1|fw2 REVISION FRR NFT}
 * (a revision, through the agent), {@code tamper fw1|fw2 NFT} (a ruleset loaded with {@code nft -f} behind the
 * agent's back, as a test breaks things on purpose) and {@code probes LIST}. Arguments: the plan and the report's
 * path.
 */
public final class DatapathBench {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final List<String> FIREWALLS = List.of("fw1", "fw2");
    private static final long SETTLE_LIMIT_MILLIS = 40_000;
    /** frr-reload.py in the emulated machine takes 10 to 30 s, more on a busy host: the agent's 30 s is too short. */
    private static final long TOOL_TIMEOUT_SECONDS = 180;
    /** Longer than bgpd's route-map delay (1 s, as rendered) and its update coalescing after a session comes up. */
    private static final long QUIET_MILLIS = 2_500;

    private final String script = System.getenv("DATAPATH_SCRIPT");
    private final Map<String, FirewallAgent> agents = new LinkedHashMap<>();
    /** The VRFs of each firewall, from the link lines. */
    private final Map<String, List<String>> vrfs = new LinkedHashMap<>();
    /** The phase's revisions, delivered together (each firewall's agent on its own) before the phase settles. */
    private final List<String[]> deliveries = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: DatapathBench PLAN REPORT");
        }
        new DatapathBench().run(Files.readAllLines(Path.of(args[0])), Path.of(args[1]));
    }

    /** Runs the plan; the report is written after each phase, so that a bench that stops shows how far it got. */
    private void run(List<String> plan, Path reportFile) throws Exception {
        if (script == null) {
            throw new IllegalStateException("DATAPATH_SCRIPT is not set: start the driver with datapath.sh --run");
        }
        ObjectNode report = NODES.objectNode();
        // how long the machine had been up when the driver started (the guest's boot and this JVM's start)
        report.put("uptimeAtStartSeconds", Double.parseDouble(Files.readString(Path.of("/proc/uptime")).split(" ")[0]));
        ArrayNode phases = report.putArray("phases");
        ObjectNode phase = null;
        for (String line : plan) {
            String[] words = line.strip().split(" ");
            switch (words[0]) {
                case "" -> { }
                case "links" -> {
                    readVrfs(Path.of(words[1]));
                    long start = System.nanoTime();
                    shell(List.of("bash", script, "setup", words[1]), 300);
                    report.put("setupSeconds", seconds(start));
                    System.err.printf("datapath: bench set up in %.1f s%n", report.get("setupSeconds").asDouble());
                    for (String firewall : FIREWALLS) {
                        agents.put(firewall, new FirewallAgent(UUID.nameUUIDFromBytes(firewall.getBytes(StandardCharsets.UTF_8)),
                                Path.of("/run/work/agent-" + firewall), FirewallAgent.Mode.APPLY, false,
                                "/run/work/frr-reload-" + firewall, List.of("ip", "netns", "exec", firewall, "nft"),
                                List.of("bash", script, "vtysh", firewall, "-c", "show version"), TOOL_TIMEOUT_SECONDS));
                    }
                }
                case "phase" -> {
                    phase = phases.addObject();
                    phase.put("name", words[1]);
                    phase.putObject("answers");
                }
                case "deliver" -> deliveries.add(words);
                case "tamper" -> shell(List.of("ip", "netns", "exec", words[1], "nft", "-f", words[2]), 60);
                case "probes" -> {
                    boolean delivered = !deliveries.isEmpty();
                    deliverAll(phase);
                    finish(phase, words[1], delivered);
                    Files.writeString(reportFile, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(report));
                }
                default -> throw new IllegalArgumentException("plan line not understood: " + line);
            }
        }
    }

    private void readVrfs(Path links) throws IOException {
        for (String line : Files.readAllLines(links)) {
            String[] words = line.strip().split("\\s+");
            if (words[0].equals("link")) {
                vrfs.computeIfAbsent(words[1], f -> new ArrayList<>()).add("vrf-" + words[4]);
            }
        }
    }

    private void deliverAll(ObjectNode phase) throws Exception {
        List<CompletableFuture<Void>> running = new ArrayList<>();
        for (String[] words : deliveries) {
            running.add(CompletableFuture.runAsync(() -> {
                try {
                    deliver(phase, words[1], Integer.parseInt(words[2]), Path.of(words[3]), Path.of(words[4]));
                } catch (Exception e) {
                    throw new IllegalStateException(words[1] + ": " + e.getMessage(), e);
                }
            }));
        }
        deliveries.clear();
        for (CompletableFuture<Void> delivery : running) {
            delivery.get();
        }
    }

    private void deliver(ObjectNode phase, String firewall, int revision, Path frr, Path nft) throws Exception {
        String frrText = Files.readString(frr);
        String nftText = Files.readString(nft);
        long start = System.nanoTime();
        Agent.Answer answer = agents.get(firewall).receive(new Agent.Delivery(agents.get(firewall).firewall(), revision,
                sha256(frrText + "\0" + nftText), frrText, nftText));
        ObjectNode recorded = NODES.objectNode();
        recorded.put("revision", revision);
        recorded.put("seconds", seconds(start));
        switch (answer) {
            case Agent.Applied applied -> recorded.put("outcome", "applied").put("message", applied.note());
            case Agent.Rejected rejected -> recorded.put("outcome", "rejected").put("message", rejected.message());
            case Agent.Newer newer -> recorded.put("outcome", "newer").put("message", "runs " + newer.appliedRevision());
            case Agent.Refused refused -> recorded.put("outcome", "refused").put("message", refused.reason());
        }
        synchronized (phase) {
            ((ObjectNode) phase.get("answers")).set(firewall, recorded);
        }
    }

    /**
     * Waits for routing to settle after revisions were delivered (else takes FRR's state as it is), then records
     * FRR's state, the kernel's tables and the probes.
     */
    private void finish(ObjectNode phase, String probes, boolean delivered) throws Exception {
        long start = System.nanoTime();
        ObjectNode previous = null;
        long quietSince = 0;
        boolean settled = false;
        ObjectNode snapshot;
        while (true) {
            snapshot = snapshot();
            long now = System.nanoTime();
            if (!delivered && sessionsUp(snapshot)) {
                settled = true;
                break;
            }
            if (previous == null || !previous.equals(snapshot) || !sessionsUp(snapshot)) {
                quietSince = now;
            } else if (now - quietSince >= TimeUnit.MILLISECONDS.toNanos(QUIET_MILLIS)) {
                settled = true;
                break;
            }
            if (now - start > TimeUnit.MILLISECONDS.toNanos(SETTLE_LIMIT_MILLIS)) {
                break;
            }
            previous = snapshot;
            Thread.sleep(300);
        }
        phase.put("settled", settled);
        if (!settled) {
            // why not: the sessions that are not up, and the nodes whose state still changed
            ArrayNode down = phase.putArray("sessionsNotUp");
            for (String firewall : FIREWALLS) {
                for (Map.Entry<String, JsonNode> session : snapshot.path(firewall).path("sessions").properties()) {
                    if (!session.getValue().path("state").asString().equals("Established")) {
                        down.add(firewall + " " + session.getKey() + " " + session.getValue());
                    }
                }
            }
            ArrayNode changing = phase.putArray("changing");
            for (String node : List.of("fw1", "fw2", "leaf", "exit")) {
                if (previous != null && !previous.path(node).equals(snapshot.path(node))) {
                    changing.add(node);
                }
            }
        }
        phase.put("settleSeconds", seconds(start));
        phase.set("frr", snapshot);
        // the kernel's VRF tables and FRR's running configurations, read side by side
        Map<String, CompletableFuture<String>> tables = new LinkedHashMap<>();
        Map<String, CompletableFuture<String>> configs = new LinkedHashMap<>();
        for (String firewall : FIREWALLS) {
            for (String family : List.of("-4", "-6")) {
                tables.put(firewall + family, CompletableFuture.supplyAsync(() -> quietly(List.of("bash", script, "routes", firewall, family))));
            }
            configs.put(firewall, CompletableFuture.supplyAsync(
                    () -> quietly(List.of("bash", script, "vtysh", firewall, "-c", "show running-config"))));
        }
        ObjectNode kernel = phase.putObject("kernel");
        ObjectNode running = phase.putObject("configs");
        for (String firewall : FIREWALLS) {
            ObjectNode byTable = kernel.putObject(firewall);
            List<JsonNode> routes = new ArrayList<>();
            for (String family : List.of("-4", "-6")) {
                for (JsonNode route : readAll(tables.get(firewall + family).get())) {
                    routes.add(((ObjectNode) route).put("family", family.equals("-4") ? "ipv4" : "ipv6"));
                }
            }
            for (JsonNode route : routes) {
                String table = route.path("table").asString("main");
                (byTable.has(table) ? (ArrayNode) byTable.get(table) : byTable.putArray(table)).add(route);
            }
            running.put(firewall, configs.get(firewall).get());
        }
        long probing = System.nanoTime();
        ObjectNode outcomes = phase.putObject("probes");
        for (String line : shell(List.of("bash", script, "probe", phase.get("name").asString(), probes), 60).split("\n")) {
            String[] words = line.split(" ", 4);
            if (words.length == 4 && words[0].equals("PROBE")) {
                outcomes.put(words[2], words[3]);
            }
        }
        phase.put("probeSeconds", seconds(probing));
        System.err.printf("datapath: phase %s: answers %s, settled %s in %.1f s, probes %.1f s%n", phase.get("name").asString(),
                phase.get("answers"), settled, phase.get("settleSeconds").asDouble(), phase.get("probeSeconds").asDouble());
    }

    /**
     * What FRR has now on every node, without what changes by itself (uptimes, counters): per firewall and VRF the
     * routes of both families and the BGP sessions; on the leaf and the exit router their routes, sessions, and
     * the routes that carry the community no-export.
     */
    private ObjectNode snapshot() throws Exception {
        Map<String, CompletableFuture<List<JsonNode>>> reads = new LinkedHashMap<>();
        for (String firewall : FIREWALLS) {
            List<String> commands = new ArrayList<>();
            for (String vrf : vrfs.getOrDefault(firewall, List.of())) {
                commands.add("show ip route vrf " + vrf + " json");
                commands.add("show ipv6 route vrf " + vrf + " json");
            }
            commands.add("show bgp vrf all summary json");
            reads.put(firewall, read(firewall, commands));
        }
        for (String router : List.of("leaf", "exit")) {
            reads.put(router, read(router, List.of("show ip route json", "show ipv6 route json", "show bgp summary json",
                    "show bgp ipv4 unicast community no-export json", "show bgp ipv6 unicast community no-export json")));
        }
        ObjectNode snapshot = NODES.objectNode();
        for (String firewall : FIREWALLS) {
            List<JsonNode> answers = reads.get(firewall).get();
            ObjectNode node = snapshot.putObject(firewall);
            List<String> its = vrfs.getOrDefault(firewall, List.of());
            for (int i = 0; i < its.size(); i++) {
                ObjectNode vrf = node.putObject(its.get(i));
                vrf.set("ipv4", routes(answers.get(2 * i)));
                vrf.set("ipv6", routes(answers.get(2 * i + 1)));
            }
            node.set("sessions", sessions(answers.get(2 * its.size())));
        }
        for (String router : List.of("leaf", "exit")) {
            List<JsonNode> answers = reads.get(router).get();
            ObjectNode node = snapshot.putObject(router);
            node.set("ipv4", routes(answers.get(0)));
            node.set("ipv6", routes(answers.get(1)));
            node.set("sessions", sessions(answers.get(2)));
            ArrayNode noExport = node.putArray("noExport");
            for (JsonNode table : answers.subList(3, 5)) {
                table.path("routes").propertyNames().forEach(noExport::add);
            }
        }
        return snapshot;
    }

    private CompletableFuture<List<JsonNode>> read(String node, List<String> commands) {
        return CompletableFuture.supplyAsync(() -> {
            List<String> command = new ArrayList<>(List.of("bash", script, "vtysh", node));
            commands.forEach(c -> command.addAll(List.of("-c", c)));
            try {
                List<JsonNode> answers = readAll(shell(command, 60));
                if (answers.size() != commands.size()) {
                    throw new IllegalStateException(node + ": " + commands.size() + " commands, " + answers.size() + " answers");
                }
                return answers;
            } catch (Exception e) {
                throw new IllegalStateException(node + ": " + e.getMessage(), e);
            }
        });
    }

    /** Routes by prefix: each entry's protocol, whether selected and installed, its distance and next hops. */
    private static ObjectNode routes(JsonNode table) {
        ObjectNode routes = NODES.objectNode();
        for (Map.Entry<String, JsonNode> prefix : table.properties()) {
            ArrayNode entries = routes.putArray(prefix.getKey());
            for (JsonNode entry : prefix.getValue()) {
                ObjectNode kept = entries.addObject();
                kept.put("protocol", entry.path("protocol").asString());
                kept.put("selected", entry.path("selected").asBoolean(false));
                kept.put("installed", entry.path("installed").asBoolean(false));
                kept.put("distance", entry.path("distance").asInt());
                ArrayNode nexthops = kept.putArray("nexthops");
                for (JsonNode hop : entry.path("nexthops")) {
                    ObjectNode kept2 = nexthops.addObject();
                    for (String field : List.of("ip", "afi", "interfaceName", "vrf", "active", "directlyConnected")) {
                        if (hop.has(field)) {
                            kept2.set(field, hop.get(field));
                        }
                    }
                }
            }
        }
        return routes;
    }

    /** BGP sessions, by VRF and neighbour: their state and how many prefixes each side sent. */
    private static ObjectNode sessions(JsonNode summary) {
        ObjectNode sessions = NODES.objectNode();
        // "show bgp summary json" has the families at the top; "vrf all" one level below, per VRF
        boolean perVrf = !summary.has("ipv4Unicast") && !summary.has("ipv6Unicast");
        Iterator<Map.Entry<String, JsonNode>> vrfs = perVrf ? summary.properties().iterator()
                : Map.<String, JsonNode>of("default", summary).entrySet().iterator();
        while (vrfs.hasNext()) {
            Map.Entry<String, JsonNode> vrf = vrfs.next();
            for (String family : List.of("ipv4Unicast", "ipv6Unicast")) {
                for (Map.Entry<String, JsonNode> peer : vrf.getValue().path(family).path("peers").properties()) {
                    ObjectNode kept = sessions.putObject(vrf.getKey() + " " + family + " " + peer.getKey());
                    kept.put("state", peer.getValue().path("state").asString());
                    kept.put("received", peer.getValue().path("pfxRcd").asInt());
                    kept.put("sent", peer.getValue().path("pfxSnt").asInt());
                }
            }
        }
        return sessions;
    }

    /** Whether every session of every firewall is up (the leaf may wait for a firewall that has none). */
    private static boolean sessionsUp(ObjectNode snapshot) {
        for (String firewall : FIREWALLS) {
            for (JsonNode session : snapshot.path(firewall).path("sessions")) {
                if (!session.path("state").asString().equals("Established")) {
                    return false;
                }
            }
        }
        return true;
    }

    private static List<JsonNode> readAll(String text) throws IOException {
        List<JsonNode> values = new ArrayList<>();
        if (text.isBlank()) {
            return values;
        }
        try (MappingIterator<JsonNode> iterator = JSON.readerFor(JsonNode.class).readValues(text)) {
            while (iterator.hasNext()) {
                values.add(iterator.next());
            }
        }
        return values;
    }

    private static String quietly(List<String> command) {
        try {
            return shell(command, 60);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(String.join(" ", command) + ": " + e.getMessage(), e);
        }
    }

    private static String shell(List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> {
            try {
                return process.getInputStream().readAllBytes();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + ": no answer within " + timeoutSeconds + " s");
        }
        String text = new String(out.join(), StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + ": exit " + process.exitValue() + "\n" + text);
        }
        return text;
    }

    private static double seconds(long startNanos) {
        return Math.round((System.nanoTime() - startNanos) / 1e7) / 100.0;
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

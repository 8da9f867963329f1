package dev.netportal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each table is written by exactly one module: the SQL in a module's sources may insert into, update or delete
 * from only the tables it owns (and call only its own writing functions). Other modules go through the owner's
 * service. Reads across modules are listed below with the reason, so that a new one is a decision, not an
 * accident. The SQL is read from the string literals of {@code src/main/java}.
 */
class TableOwnershipTest {

    /** Every table and writing function of the schema, with the one module that writes it. */
    static final Map<String, String> OWNER = Map.ofEntries(
            Map.entry("project", "project"),
            Map.entry("partition", "partition"), Map.entry("partition_inventory", "partition"),
            Map.entry("external_destination", "network"),
            Map.entry("network", "network"), Map.entry("network_prefix", "network"),
            Map.entry("prefix_free_block", "network"), Map.entry("ip", "network"), Map.entry("ip_free_range", "network"),
            Map.entry("ip_allocate", "network"),
            // writes the audit event too, with the columns the audit module made (AuditLog.columns)
            Map.entry("ip_reserve", "network"),
            Map.entry("share_request", "sharing"),
            Map.entry("machine", "machine"),
            // the trigger that gives a firewall its AS number at allocation and keeps it
            Map.entry("machine_asn_keep", "machine"),
            Map.entry("firewall_config", "firewall"), Map.entry("firewall_sync", "firewall"),
            Map.entry("audit_event", "audit"),
            Map.entry("idempotent_request", "api"));

    /** Reads of another module's tables: "module reads table", each for a reason. */
    static final Set<String> CROSS_MODULE_READS = Set.of(
            // rendering input: the firewall's networks, its addresses there and the external destinations (D1), its
            // partition's fabric settings
            "firewall reads network", "firewall reads ip", "firewall reads external_destination", "firewall reads machine",
            "firewall reads partition",
            // a machine's networks and addresses; whether its partition has machines of a size at all
            "machine reads network", "machine reads ip", "machine reads partition_inventory",
            // N3: a network in use by a machine or with a pending share request is not deleted; carving locks the partition
            "network reads machine", "network reads share_request", "network reads partition",
            // the partition page shows its pools and external networks; the inventory never shrinks below what is in use
            "partition reads network", "partition reads network_prefix", "partition reads external_destination",
            "partition reads machine",
            // the IP quota counts the project's addresses
            "project reads ip",
            // a request and the catalogue name the network, its prefix and its project
            "sharing reads network", "sharing reads network_prefix", "sharing reads project");

    static final Path SOURCES = Path.of("src/main/java/dev/netportal");
    static final Path MIGRATIONS = Path.of("src/main/resources/db/migration");

    private static final Pattern STRING = Pattern.compile("\"\"\"(.*?)\"\"\"|\"((?:[^\"\\\\\\n]|\\\\.)*)\"", Pattern.DOTALL);
    private static final Pattern WRITE = Pattern.compile(
            "(?<!FOR |DO |NO KEY )\\b(?:INSERT\\s+INTO|UPDATE|DELETE\\s+FROM)\\s+([a-z_]+)|\\b([a-z_]+)\\s*\\(");
    private static final Pattern READ = Pattern.compile("(?<!DELETE )\\b(?:FROM|JOIN)\\s+([a-z_]+)");
    private static final Pattern CREATE = Pattern.compile("CREATE (?:TABLE|FUNCTION) ([a-z_]+)");

    @Test
    void everyTableAndWritingFunctionHasAnOwner() {
        Set<String> created = new TreeSet<>();
        for (String sql : files(MIGRATIONS, ".sql").map(TableOwnershipTest::read).toList()) {
            Matcher m = CREATE.matcher(sql);
            while (m.find()) {
                created.add(m.group(1));
            }
        }
        created.removeIf(name -> name.endsWith("_notify") || name.endsWith("_sync") && !name.equals("firewall_sync")
                || name.equals("audit_event_is_append_only") || name.equals("network_stays_shared"));
        assertThat(OWNER.keySet()).as("tables and functions with an owner").containsAll(created);
    }

    @Test
    void eachTableIsWrittenOnlyByItsModule() {
        assertThat(writesOutsideOwner(SOURCES)).as("writes to another module's table (go through its service)").isEmpty();
    }

    @Test
    void readsAcrossModulesAreTheListedOnes() {
        assertThat(readsOutsideOwner(SOURCES)).as("reads of another module's tables").isEqualTo(new TreeSet<>(CROSS_MODULE_READS));
    }

    @Test
    void aWriteToAnotherModulesTableIsCaught(@TempDir Path sources) throws IOException {
        Files.createDirectories(sources.resolve("sharing"));
        Files.writeString(sources.resolve("sharing/Sneaky.java"), """
                class Sneaky {
                    String rename = "UPDATE machine SET name = :name WHERE id = :id";
                    String lock = "SELECT id FROM network WHERE id = :id FOR UPDATE";
                    String own = \"""
                            INSERT INTO share_request (id) VALUES (:id)\""";
                }
                """);
        assertThat(writesOutsideOwner(sources)).containsExactly("sharing writes machine (sharing/Sneaky.java)");
        assertThat(readsOutsideOwner(sources)).containsExactly("sharing reads network");
    }

    /** "module writes table (file)" for each write outside the owner. */
    static Set<String> writesOutsideOwner(Path sources) {
        Set<String> found = new TreeSet<>();
        forEachSql(sources, (module, file, sql) -> {
            Matcher m = WRITE.matcher(sql);
            while (m.find()) {
                String table = m.group(1) != null ? m.group(1) : m.group(2);
                String owner = OWNER.get(table);
                boolean isFunctionCall = m.group(1) == null;
                if (owner != null && !owner.equals(module) && (!isFunctionCall || table.equals("ip_allocate") || table.equals("ip_reserve"))) {
                    found.add(module + " writes " + table + " (" + file + ")");
                }
            }
        });
        return found;
    }

    static Set<String> readsOutsideOwner(Path sources) {
        Set<String> found = new TreeSet<>();
        forEachSql(sources, (module, file, sql) -> {
            Matcher m = READ.matcher(sql);
            while (m.find()) {
                String owner = OWNER.get(m.group(1));
                if (owner != null && !owner.equals(module)) {
                    found.add(module + " reads " + m.group(1));
                }
            }
        });
        return found;
    }

    interface SqlVisitor {
        void visit(String module, String file, String sql);
    }

    static void forEachSql(Path sources, SqlVisitor visitor) {
        files(sources, ".java").forEach(file -> {
            Path relative = sources.relativize(file);
            String module = relative.getNameCount() == 1 ? "root" : relative.getName(0).toString();
            Matcher m = STRING.matcher(read(file));
            while (m.find()) {
                visitor.visit(module, relative.toString(), m.group(1) != null ? m.group(1) : m.group(2));
            }
        });
    }

    private static Stream<Path> files(Path root, String suffix) {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(path -> path.toString().endsWith(suffix)).sorted().toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package dev.netportal.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netportal.testing.Api;
import dev.netportal.testing.PkceLogin;
import dev.netportal.testing.TestPortal;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Fuzzes every operation of the API's OpenAPI document ({@code /v3/api-docs}) with hostile input: each request
 * starts from a valid one (objects created first by the demo users, so ids in the path exist, {@code bob} for
 * {@code tenant-a}, {@code admin} for admin operations), then one part is spoiled: a body field missing, null, of
 * the wrong type, huge (100 KB), a huge, negative or fractional number, control characters and unicode (RTL,
 * emoji, NUL, combining marks, lone surrogates), malformed UUIDs, IPs and prefixes, too many list items or map
 * entries; the body not JSON, nested too deep, over the body cap, with duplicated keys or the wrong content type;
 * path and query parameters malformed, unknown or negative; no, a garbage or another project's token.
 *
 * <p>Every answer must be below 500; every 4xx must be {@code application/problem+json} with {@code type},
 * {@code title} and the same {@code status}; and a refused request (any 4xx) must have changed nothing in the
 * database: after every request each table's row count and newest row version ({@code xmin}, so an update that
 * keeps the values counts too) are compared with those before it. Only the dispatcher's delivery columns of
 * {@code firewall_sync} are left out, as the dispatcher writes them in the background.
 *
 * <p>The test runs a portal of its own (fresh database, no other test's objects), is seeded and prints its seed,
 * the number of requests and the answers by status. CI sends 3000 requests (about a minute and a half on two
 * cores); a larger run: {@code ./mvnw test -Dtest=ApiFuzzTest -Dfuzz.requests=30000}, and {@code -Dfuzz.seed=N}
 * repeats one. Every planned mutation is sent once before random combinations of two are added.
 */
class ApiFuzzTest {

    private static final int REQUESTS = Integer.getInteger("fuzz.requests", 3000);
    private static final long SEED = Long.getLong("fuzz.seed", System.nanoTime());
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String PARTITION = "fuzz-1";

    /** Strings that have broken parsers, databases and logs elsewhere. */
    private static final List<String> HOSTILE_TEXT = List.of("\u202Egnp.exe\u202C", "\uD83D\uDCA5\uD83D\uDD25\uD83D\uDC69\u200D\uD83D\uDC69\u200D\uD83D\uDC67",
            "a\u0000b", "\u0000", "e\u0301\u0301\u0301\u0301\u0301", "\u200B\u200C\u200D", "\uFEFFbom", "line\nbreak\r\ttab",
            "\u0001\u0007\u001B[31mred", "\u0130\u0131\u00DF\u017F", "\u65E5\u672C\u8A9E", "' OR 1=1 --", "<script>alert(1)</script>",
            "${jndi:ldap://127.0.0.1/x}", "../../etc/passwd", "%00%2e%2e%2f", " ", "\t", "\u00A0", "\uFFFF\uFFFE", "\\", "\"");
    /** Raw JSON numbers (and not-quite numbers) for integer fields. */
    private static final List<String> NUMBERS = List.of("0", "-1", "-2147483649", "2147483648", "9223372036854775808",
            "-9223372036854775809", "1e400", "-1e400", "1.5", "1e2", "-0", "123456789012345678901234567890", "\"12\"", "true");
    private static final List<String> UUIDS = List.of("not-a-uuid", "00000000-0000-0000-0000-000000000000",
            "ffffffff-ffff-ffff-ffff-ffffffffffff", "{" + UUID.randomUUID() + "}", UUID.randomUUID() + "0",
            UUID.randomUUID().toString().toUpperCase(), "1", "-1", "0x1");
    private static final List<String> ADDRESSES = List.of("999.1.1.1", "10.64.0.1/33", "::g", "255.255.255.255", "0.0.0.0",
            "::", "fe80::1%eth0", "1.2.3", "10.64.0.1 ", "010.064.000.001", "::ffff:10.64.0.1", "10.0.0.0/8/8", "-1",
            "10.64.0.0/-1", "2001:db8::/129", "0.0.0.0/0", "::/0", "10.64.0.1/8", "1.2.3.4/32", "224.0.0.1", "127.0.0.1");
    private static final List<String> SLUGS = List.of("FRA-1", "a", "fra_1", "-x-", "x".repeat(300), "fuzz 1", "tenant-b",
            "storage", "fra-1", "nbg-1", "no-such-thing", "..", ".", "%2F");
    private static final List<String> WRONG_CONTENT_TYPES = List.of("text/plain", "application/xml",
            "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/json; charset=ISO-8859-1",
            "application/json; charset=UTF-16", "*/*", "application/problem+json", "application/merge-patch+json", "garbage");

    private static TestPortal portal;
    private static Connection database;
    private static String snapshotSql;

    private final Random random = new Random(SEED);
    private final Map<String, String> tokens = new TreeMap<>();
    private final Map<String, Long> tokenTimes = new TreeMap<>();
    private final Fixtures fixtures = new Fixtures();
    private final AtomicInteger sequence = new AtomicInteger();

    @BeforeAll
    static void start() throws SQLException {
        portal = TestPortal.start("--netportal.rate-limits.enabled=false");
        database = portal.database().connect();
        snapshotSql = snapshotQuery(database);
    }

    @AfterAll
    static void stop() throws SQLException {
        if (database != null) {
            database.close();
        }
        if (portal != null) {
            portal.close();
        }
    }

    // ------------------------------------------------------------------ the run

    @Test
    void noOperationFailsOrChangesAnythingWhenRefusingHostileInput() throws Exception {
        long started = System.nanoTime();
        System.out.println("ApiFuzzTest seed " + SEED + " (-Dfuzz.seed=" + SEED + " repeats this run), " + REQUESTS + " requests");
        JsonNode document = Api.get(portal.apiUrl() + "/v3/api-docs", null).json();
        List<Operation> operations = operations(document);
        Map<String, Baseline> baselines = baselines();
        assertThat(operations).as("operations in /v3/api-docs").hasSizeGreaterThan(30);
        assertThat(baselines.keySet()).as("every documented operation has a valid request to start from")
                .containsAll(operations.stream().map(Operation::key).toList());

        Snapshot quiet = snapshot();
        fixtures.firewall();
        Thread.sleep(1000);
        assertThat(snapshot().equals(quiet)).as("the snapshot changes with a write").isFalse();
        Snapshot before = snapshot();
        Thread.sleep(1000);
        assertThat(snapshot().diff(before)).as("the snapshot is stable while nobody writes (background work is left out)").isEmpty();

        Run run = new Run();
        // every baseline is valid: mutations then spoil one thing of a request that would be accepted
        for (Operation operation : operations) {
            Baseline baseline = baselines.get(operation.key());
            Call call = baseline.call().get();
            Answer answer = run.send(operation, call);
            if (!baseline.refused()) {
                assertThat(answer.status()).as("baseline " + call.describe(operation) + ": " + answer.body()).isBetween(200, 299);
                fixtures.consumed(baseline);
            }
        }

        List<Case> cases = cases(operations, baselines);
        System.out.println("ApiFuzzTest: " + cases.size() + " planned mutations over " + operations.size() + " operations");
        List<Case> planned = interleaved(cases);
        for (int i = 0; run.sent < REQUESTS; i++) {
            if (i < planned.size()) {
                run.exercise(planned.get(i), null, baselines);
            } else {
                Case first = cases.get(random.nextInt(cases.size()));
                List<Case> same = cases.stream().filter(c -> c.operation() == first.operation()).toList();
                run.exercise(first, same.get(random.nextInt(same.size())), baselines);
            }
        }

        Duration took = Duration.ofNanos(System.nanoTime() - started);
        System.out.println("ApiFuzzTest: " + run.sent + " requests in " + took.toSeconds() + " s; answers by status "
                + run.statuses + "; refused " + run.refused + ", accepted " + run.accepted + ", writes seen in the database "
                + run.changedByAccepted);
        assertThat(run.changedByAccepted).as("accepted writes show in the snapshot (the check can see changes)").isPositive();
        assertThat(run.findings).as(report(run.findings)).isEmpty();
    }

    private String report(List<Finding> findings) {
        Map<String, List<Finding>> byKind = new LinkedHashMap<>();
        findings.forEach(f -> byKind.computeIfAbsent(f.kind() + " " + f.operation() + " / " + f.mutation().replaceAll("(=| = ).*", "=..."),
                k -> new ArrayList<>()).add(f));
        StringBuilder text = new StringBuilder("seed " + SEED + " (-Dfuzz.seed=" + SEED + "): " + findings.size()
                + " findings, " + byKind.size() + " kinds:\n");
        byKind.forEach((kind, all) -> text.append("- ").append(all.size()).append("x ").append(kind).append("\n    e.g. ")
                .append(all.getFirst().request()).append("\n    -> ").append(all.getFirst().answer()).append("\n"));
        return text.toString();
    }

    /** Runs requests, checks each answer and the database around it, collects what is wrong. */
    private final class Run {
        int sent;
        int refused;
        int accepted;
        int changedByAccepted;
        final Map<Integer, Integer> statuses = new TreeMap<>();
        final List<Finding> findings = new ArrayList<>();
        private Snapshot last = snapshot();

        void exercise(Case mutation, Case second, Map<String, Baseline> baselines) {
            Baseline baseline = baselines.get(mutation.operation().key());
            Call call = baseline.call().get();
            mutation.apply().accept(call);
            if (second != null) {
                second.apply().accept(call);
                call.mutation = mutation.name() + " + " + second.name();
            } else {
                call.mutation = mutation.name();
            }
            Answer answer = send(mutation.operation(), call);
            if (answer.status() >= 200 && answer.status() < 300) {
                fixtures.consumed(baseline);
            }
        }

        Answer send(Operation operation, Call call) {
            sent++;
            String request = call.describe(operation);
            if (fixturesWritten) {
                last = snapshot();
                fixturesWritten = false;
            }
            Answer answer;
            try {
                answer = call.send(operation);
            } catch (RuntimeException e) {
                findings.add(new Finding("no answer", operation.key(), call.mutation, request, String.valueOf(e.getCause() == null ? e : e.getCause())));
                last = snapshot();
                return new Answer(0, "", "");
            }
            statuses.merge(answer.status(), 1, Integer::sum);
            Snapshot now = snapshot();
            if (answer.status() >= 500) {
                findings.add(new Finding("5xx", operation.key(), call.mutation, request, answer.excerpt()));
            } else if (answer.status() >= 400) {
                refused++;
                String problem = problemError(answer);
                if (problem != null) {
                    findings.add(new Finding("no problem details (" + problem + ")", operation.key(), call.mutation, request, answer.excerpt()));
                }
                List<String> changed = now.diff(last);
                if (!changed.isEmpty()) {
                    findings.add(new Finding("refused but changed " + changed, operation.key(), call.mutation, request, answer.excerpt()));
                }
            } else if (answer.status() >= 200 && answer.status() < 300) {
                accepted++;
                if (!now.diff(last).isEmpty()) {
                    changedByAccepted++;
                }
            } else {
                findings.add(new Finding("unexpected status", operation.key(), call.mutation, request, answer.excerpt()));
            }
            last = now;
            return answer;
        }
    }

    /** Null if the answer is a proper problem, else what is wrong with it. */
    private static String problemError(Answer answer) {
        if (!answer.contentType().startsWith("application/problem+json")) {
            return "content type '" + answer.contentType() + "'";
        }
        try {
            JsonNode problem = JSON.readTree(answer.body());
            if (!problem.path("type").isString() || !problem.path("title").isString()) {
                return "no type or title";
            }
            if (problem.path("status").asInt() != answer.status()) {
                return "status " + problem.path("status") + " in the body";
            }
            return null;
        } catch (RuntimeException e) {
            return "body is not JSON";
        }
    }

    private record Finding(String kind, String operation, String mutation, String request, String answer) {
    }

    // ------------------------------------------------------------------ the document

    private record Parameter(String name, String in, JsonNode schema, boolean required) {
    }

    private record Operation(String method, String path, List<Parameter> parameters, JsonNode body) {

        String key() {
            return method + " " + path;
        }

        List<String> pathVariables() {
            return parameters.stream().filter(p -> p.in().equals("path")).map(Parameter::name).toList();
        }
    }

    private static List<Operation> operations(JsonNode document) {
        List<Operation> operations = new ArrayList<>();
        for (Map.Entry<String, JsonNode> path : document.get("paths").properties()) {
            for (Map.Entry<String, JsonNode> method : path.getValue().properties()) {
                JsonNode operation = method.getValue();
                List<Parameter> parameters = new ArrayList<>();
                for (JsonNode p : operation.path("parameters")) {
                    parameters.add(new Parameter(p.get("name").asString(), p.get("in").asString(),
                            resolve(document, p.path("schema")), p.path("required").asBoolean()));
                }
                JsonNode body = operation.path("requestBody").path("content").path("application/json").path("schema");
                operations.add(new Operation(method.getKey().toUpperCase(), path.getKey(), parameters,
                        body.isMissingNode() ? null : resolveDeep(document, body, 0)));
            }
        }
        operations.sort((a, b) -> a.key().compareTo(b.key()));
        return operations;
    }

    private static JsonNode resolve(JsonNode document, JsonNode schema) {
        if (schema.has("$ref")) {
            String name = schema.get("$ref").asString().substring("#/components/schemas/".length());
            return document.get("components").get("schemas").get(name);
        }
        return schema;
    }

    /** The schema with its references replaced by what they name (the body schemas have no cycles). */
    private static JsonNode resolveDeep(JsonNode document, JsonNode schema, int depth) {
        JsonNode resolved = resolve(document, schema).deepCopy();
        if (depth > 5 || !resolved.isObject()) {
            return resolved;
        }
        ObjectNode object = (ObjectNode) resolved;
        if (object.has("properties")) {
            ObjectNode properties = NODES.objectNode();
            object.get("properties").properties().forEach(p -> properties.set(p.getKey(), resolveDeep(document, p.getValue(), depth + 1)));
            object.set("properties", properties);
        }
        for (String nested : List.of("items", "additionalProperties")) {
            if (object.path(nested).isObject()) {
                object.set(nested, resolveDeep(document, object.get(nested), depth + 1));
            }
        }
        return object;
    }

    // ------------------------------------------------------------------ requests

    private record Answer(int status, String contentType, String body) {

        String excerpt() {
            return status + " " + contentType + " " + (body.length() > 400 ? body.substring(0, 400) + "..." : body);
        }
    }

    /** A request before it is sent: a valid one, then spoiled by a mutation. */
    private final class Call {
        String user;
        String token;
        final Map<String, String> path = new LinkedHashMap<>();
        final List<String[]> query = new ArrayList<>();
        JsonNode body;
        final Map<String, String> raw = new LinkedHashMap<>();
        String rawBody;
        String contentType = "application/json";
        final List<String[]> headers = new ArrayList<>();
        String mutation = "baseline";

        Call(String user) {
            this.user = user;
        }

        String url(Operation operation) {
            String url = operation.path();
            for (Map.Entry<String, String> variable : path.entrySet()) {
                url = url.replace("{" + variable.getKey() + "}", encode(variable.getValue()));
            }
            StringBuilder full = new StringBuilder(portal.apiUrl()).append(url);
            for (int i = 0; i < query.size(); i++) {
                full.append(i == 0 ? '?' : '&').append(encode(query.get(i)[0])).append('=').append(encode(query.get(i)[1]));
            }
            return full.toString();
        }

        String bodyText() {
            if (rawBody != null) {
                return rawBody;
            }
            if (body == null) {
                return null;
            }
            String text = JSON.writeValueAsString(body);
            for (Map.Entry<String, String> value : raw.entrySet()) {
                text = text.replace("\"" + value.getKey() + "\"", value.getValue());
            }
            return text;
        }

        Answer send(Operation operation) {
            String text = bodyText();
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url(operation))).timeout(Api.TIMEOUT)
                    .method(operation.method(), text == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(text, StandardCharsets.UTF_8));
            if (text != null && contentType != null) {
                request.header("Content-Type", contentType);
            }
            String bearer = token != null ? token : user == null ? null : token(user);
            if (bearer != null) {
                request.header("Authorization", "Bearer " + bearer);
            }
            headers.forEach(h -> request.header(h[0], h[1]));
            Api.Answer answer = Api.send(request.build());
            return new Answer(answer.status(), answer.contentType(), answer.raw().body());
        }

        String describe(Operation operation) {
            String text = bodyText();
            String shown = text == null ? "" : " " + (text.length() > 300 ? text.substring(0, 300) + "... (" + text.length() + " chars)" : text);
            String url = url(operation);
            url = url.length() > 300 ? url.substring(0, 300) + "..." : url;
            return "[" + mutation + "] " + operation.method() + " " + url.substring(portal.apiUrl().length()) + " as "
                    + (token != null ? "token '" + token + "'" : user) + (text == null ? "" : " (" + contentType + ")") + shown;
        }

        /** A placeholder for a raw JSON value (a number Jackson would not write, an escape Java cannot hold). */
        JsonNode raw(String json) {
            String key = "\u0001raw" + raw.size() + "\u0001";
            raw.put(JSON.writeValueAsString(key).replace("\"", ""), json);
            return NODES.stringNode(key);
        }
    }

    private static String encode(String value) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (Character.isLetterOrDigit(c) && c < 128 || c == '-' || c == '.' || c == '_' || c == '~') {
                out.append(c);
            } else {
                out.append('%').append(HexFormat.of().withUpperCase().toHexDigits(b));
            }
        }
        return out.toString();
    }

    private String token(String user) {
        Long at = tokenTimes.get(user);
        if (at == null || System.nanoTime() - at > Duration.ofMinutes(1).toNanos()) {
            tokens.put(user, PkceLogin.accessToken(portal.issuer(), user, user));
            tokenTimes.put(user, System.nanoTime());
        }
        return tokens.get(user);
    }

    // ------------------------------------------------------------------ valid requests to start from

    /**
     * How to build a valid request of one operation; {@code uses} are the fixtures it needs, {@code consumes} those
     * an accepted request uses up (deleted, decided, attached), {@code refreshEvery} after how many accepted ones
     * the fixtures are made anew anyway (a network's addresses run out), {@code refused} when no valid request can
     * be sent without a protocol of its own (the agents' WebSocket).
     */
    private record Baseline(Supplier<Call> call, List<String> consumes, int refreshEvery, boolean refused, AtomicInteger accepted) {

        static Baseline of(Supplier<Call> call) {
            return new Baseline(call, List.of(), 0, false, new AtomicInteger());
        }

        static Baseline consuming(Supplier<Call> call, int refreshEvery, String... slots) {
            return new Baseline(call, List.of(slots), refreshEvery, false, new AtomicInteger());
        }
    }

    private Call call(String user, Consumer<Call> setup) {
        Call call = new Call(user);
        setup.accept(call);
        return call;
    }

    private static ObjectNode json(String text) {
        return (ObjectNode) JSON.readTree(text);
    }

    private Map<String, Baseline> baselines() {
        Map<String, Baseline> b = new TreeMap<>();
        String v1 = "/api/v1";
        Supplier<Call> pagedAsBob = () -> call("bob", c -> {
            c.path.put("project", "tenant-a");
            c.query.add(new String[] {"page", "0"});
            c.query.add(new String[] {"size", "20"});
        });
        b.put("GET " + v1 + "/me", Baseline.of(() -> new Call("bob")));
        b.put("GET " + v1 + "/partitions", Baseline.of(pagedAsBob));
        b.put("GET " + v1 + "/projects", Baseline.of(pagedAsBob));
        b.put("GET " + v1 + "/projects/{project}/networks", Baseline.of(pagedAsBob));
        b.put("GET " + v1 + "/projects/{project}/machines", Baseline.of(pagedAsBob));
        b.put("GET " + v1 + "/projects/{project}/firewalls", Baseline.of(pagedAsBob));
        b.put("GET " + v1 + "/partitions/{id}", Baseline.of(() -> call("bob", c -> c.path.put("id", PARTITION))));
        b.put("POST " + v1 + "/partitions", Baseline.of(() -> call("admin", c -> c.body = newPartition())));
        b.put("PATCH " + v1 + "/partitions/{id}", Baseline.of(() -> call("admin", c -> {
            c.path.put("id", fixtures.get("patch-partition", () -> created("admin", v1 + "/partitions", newPartition()).path("id").asString()));
            c.body = json("{\"name\":\"Patched\",\"description\":\"changed\",\"childPrefixLength\":{\"ipv4\":28},\"inventory\":{\"c1\":4},"
                    + "\"proxy\":{\"host\":\"proxy.fuzz.test\",\"port\":3128}}");
        })));
        b.put("POST " + v1 + "/projects", Baseline.of(() -> call("admin", c -> c.body = json(
                "{\"id\":\"fuzz-" + sequence.incrementAndGet() + "\",\"name\":\"Fuzz\",\"description\":\"d\","
                        + "\"quotas\":{\"networks\":10,\"machines\":10,\"firewalls\":2,\"ips\":100}}"))));
        b.put("PATCH " + v1 + "/projects/{id}", Baseline.of(() -> call("admin", c -> {
            c.path.put("id", fixtures.get("patch-project", () -> created("admin", v1 + "/projects",
                    json("{\"id\":\"fuzz-patched\",\"name\":\"Fuzz\"}")).path("id").asString()));
            c.body = json("{\"name\":\"Fuzz patched\",\"description\":\"d\",\"quotas\":{\"networks\":5,\"machines\":5,\"firewalls\":1,\"ips\":50}}");
        })));
        b.put("POST " + v1 + "/projects/{project}/networks", Baseline.of(() -> call("bob", c -> {
            c.path.put("project", "tenant-a");
            c.body = json("{\"name\":\"fuzz-" + sequence.incrementAndGet() + "\",\"partition\":\"" + PARTITION
                    + "\",\"prefixLength\":27,\"description\":\"d\",\"labels\":{\"team\":\"fuzz\"}}");
        })));
        b.put("GET " + v1 + "/networks", Baseline.of(() -> call("bob", c -> {
            c.query.add(new String[] {"partition", PARTITION});
            c.query.add(new String[] {"type", "CHILD_SHARED"});
            c.query.add(new String[] {"page", "0"});
            c.query.add(new String[] {"size", "20"});
        })));
        b.put("GET " + v1 + "/networks/{id}", Baseline.of(() -> call("bob", c -> c.path.put("id", fixtures.network("network")))));
        b.put("PATCH " + v1 + "/networks/{id}", Baseline.of(() -> call("bob", c -> {
            c.path.put("id", fixtures.network("network"));
            c.body = json("{\"name\":\"fuzz-renamed\",\"description\":\"d\",\"labels\":{\"team\":\"fuzz\"}}");
        })));
        b.put("DELETE " + v1 + "/networks/{id}", Baseline.consuming(() -> call("bob", c -> c.path.put("id", fixtures.network("delete-network"))),
                1, "delete-network"));
        b.put("GET " + v1 + "/networks/{id}/ips", Baseline.of(() -> call("bob", c -> {
            c.path.put("id", fixtures.network("network"));
            c.query.add(new String[] {"page", "0"});
            c.query.add(new String[] {"size", "20"});
        })));
        b.put("POST " + v1 + "/networks/{id}/ips", Baseline.consuming(() -> call("bob", c -> {
            c.path.put("id", fixtures.network("ip-network"));
            c.body = json("{\"name\":\"fuzz\",\"description\":\"d\"}");
        }), 20, "ip-network"));
        b.put("DELETE " + v1 + "/networks/{id}/ips/{ip}", Baseline.consuming(() -> call("bob", c -> {
            String network = fixtures.network("release-network");
            c.path.put("id", network);
            c.path.put("ip", fixtures.get("release-ip", () -> created("bob", v1 + "/networks/" + network + "/ips", json("{}")).path("ip").asString()));
        }), 1, "release-ip"));
        b.put("POST " + v1 + "/networks/{id}/share-requests", Baseline.consuming(() -> call("bob", c -> {
            c.path.put("id", fixtures.network("share-network"));
            c.body = json("{\"reason\":\"fuzz\",\"natType\":\"NONE\"}");
        }), 1, "share-network"));
        b.put("GET " + v1 + "/share-requests", Baseline.of(() -> call("bob", c -> {
            c.query.add(new String[] {"status", "PENDING"});
            c.query.add(new String[] {"page", "0"});
            c.query.add(new String[] {"size", "20"});
        })));
        b.put("GET " + v1 + "/share-requests/{id}", Baseline.of(() -> call("bob", c -> c.path.put("id", fixtures.shareRequest("share-request")))));
        for (String decision : List.of("approve", "reject", "withdraw")) {
            b.put("POST " + v1 + "/share-requests/{id}/" + decision, Baseline.consuming(() -> call(decision.equals("withdraw") ? "bob" : "admin", c -> {
                c.path.put("id", fixtures.shareRequest(decision + "-request"));
                c.body = json("{\"comment\":\"fuzz\"}");
            }), 1, decision + "-request"));
        }
        b.put("POST " + v1 + "/projects/{project}/machines", Baseline.consuming(() -> call("bob", c -> {
            c.path.put("project", "tenant-a");
            c.body = json("{\"name\":\"fuzz\",\"partition\":\"" + PARTITION + "\",\"size\":\"c1\",\"network\":\""
                    + fixtures.network("machine-network") + "\"}");
        }), 20, "machine-network"));
        b.put("GET " + v1 + "/machines/{id}", Baseline.of(() -> call("bob", c -> c.path.put("id", fixtures.machine("machine")))));
        b.put("DELETE " + v1 + "/machines/{id}", Baseline.consuming(() -> call("bob", c -> c.path.put("id", fixtures.machine("delete-machine"))),
                1, "delete-machine"));
        b.put("POST " + v1 + "/projects/{project}/firewalls", Baseline.consuming(() -> call("bob", c -> {
            c.path.put("project", "tenant-a");
            c.body = fixtures.firewallBody("firewall-network");
        }), 20, "firewall-network"));
        b.put("GET " + v1 + "/firewalls", Baseline.of(() -> call("admin", c -> {
            c.query.add(new String[] {"notInSync", "false"});
            c.query.add(new String[] {"page", "0"});
            c.query.add(new String[] {"size", "20"});
        })));
        for (String read : List.of("", "/config", "/config/revisions", "/config/revisions/{revision}")) {
            b.put("GET " + v1 + "/firewalls/{id}" + read, Baseline.of(() -> call("bob", c -> {
                c.path.put("id", fixtures.firewall());
                c.path.put("revision", "1");
                if (read.equals("/config/revisions")) {
                    c.query.add(new String[] {"page", "0"});
                    c.query.add(new String[] {"size", "20"});
                }
            })));
        }
        b.put("DELETE " + v1 + "/firewalls/{id}", Baseline.consuming(() -> call("bob", c -> c.path.put("id", fixtures.firewall("delete-firewall"))),
                1, "delete-firewall"));
        b.put("PUT " + v1 + "/firewalls/{id}/networks/{network}", Baseline.consuming(() -> call("bob", c -> {
            c.path.put("id", fixtures.firewall("attach-firewall"));
            c.path.put("network", fixtures.shared());
            c.body = json("{}");
        }), 1, "attach-firewall"));
        b.put("DELETE " + v1 + "/firewalls/{id}/networks/{network}", Baseline.consuming(() -> call("bob", c -> {
            c.path.put("id", fixtures.attached("detach-firewall"));
            c.path.put("network", fixtures.shared());
        }), 1, "detach-firewall"));
        b.put("GET " + v1 + "/audit-events", Baseline.of(() -> call("bob", c -> {
            c.query.add(new String[] {"project", "tenant-a"});
            c.query.add(new String[] {"size", "20"});
        })));
        // the agents' stream: the firewall's credential, but a plain GET and no WebSocket upgrade
        b.put("GET /agent/v1/firewalls/{id}/stream", new Baseline(() -> call(null, c -> {
            c.path.put("id", fixtures.firewall());
            c.token = fixtures.get("firewall-credential", () -> {
                throw new IllegalStateException("the firewall fixture keeps its credential");
            });
        }), List.of(), 0, true, new AtomicInteger()));
        return b;
    }

    private ObjectNode newPartition() {
        int n = sequence.incrementAndGet();
        return json("{\"id\":\"fuzz-p" + n + "\",\"name\":\"Fuzz " + n + "\",\"description\":\"d\",\"superNetworks\":[\"10."
                + (128 + n / 256) + "." + n % 256 + ".0/24\"],\"childPrefixLength\":{\"ipv4\":28},\"minChildPrefixLength\":26,"
                + "\"externalNetworks\":[{\"name\":\"internet\",\"prefixes\":[\"100." + (64 + n / 256) + "." + n % 256 + ".0/24\"],"
                + "\"destinationPrefixes\":[\"0.0.0.0/0\"],\"natType\":\"IPV4_MASQUERADE\"}],"
                + "\"proxy\":{\"host\":\"proxy.fuzz.test\",\"port\":3128},\"inventory\":{\"c1\":3}}");
    }

    /** Set when a fixture was written, so the next request's snapshot "before" is taken anew. */
    private boolean fixturesWritten;

    private JsonNode created(String user, String path, JsonNode body) {
        fixturesWritten = true;
        Api.Answer answer = Api.send("POST", portal.apiUrl() + path, token(user), JSON.writeValueAsString(body));
        assertThat(answer.status()).as("fixture POST " + path + ": " + answer.raw().body()).isEqualTo(201);
        return answer.json();
    }

    /** The objects the valid requests refer to, made on first use and again after a request used them up. */
    private final class Fixtures {
        private final Map<String, String> slots = new TreeMap<>();

        String get(String slot, Supplier<String> make) {
            String value = slots.get(slot);
            if (value == null) {
                value = make.get();
                slots.put(slot, value);
            }
            return value;
        }

        void consumed(Baseline baseline) {
            int accepted = baseline.accepted().incrementAndGet();
            if (baseline.refreshEvery() > 0 && accepted % baseline.refreshEvery() == 0) {
                baseline.consumes().forEach(slots::remove);
            }
        }

        String partition() {
            return get("partition", () -> created("admin", "/api/v1/partitions", json("{\"id\":\"" + PARTITION + "\",\"name\":\"Fuzz\","
                    + "\"superNetworks\":[\"10.64.0.0/10\"],\"childPrefixLength\":{\"ipv4\":27},\"minChildPrefixLength\":24,"
                    + "\"externalNetworks\":[{\"name\":\"internet\",\"prefixes\":[\"100.64.0.0/12\"],\"destinationPrefixes\":[\"0.0.0.0/0\"],"
                    + "\"natType\":\"IPV4_MASQUERADE\"}],\"inventory\":{\"c1\":10000}}")).path("id").asString());
        }

        String internet() {
            return get("internet", () -> Api.get(portal.apiUrl() + "/api/v1/partitions/" + partition(), token("bob")).json()
                    .get("externalNetworks").get(0).get("id").asString());
        }

        String network(String slot) {
            return get(slot, () -> created("bob", "/api/v1/projects/tenant-a/networks", json("{\"name\":\"fuzz-" + slot + "-"
                    + sequence.incrementAndGet() + "\",\"partition\":\"" + partition() + "\",\"prefixLength\":26}")).path("id").asString());
        }

        String shareRequest(String slot) {
            return get(slot, () -> created("bob", "/api/v1/networks/" + network("shared-" + sequence.incrementAndGet()) + "/share-requests",
                    json("{\"reason\":\"fuzz\",\"natType\":\"NONE\"}")).path("id").asString());
        }

        String machine(String slot) {
            return get(slot, () -> created("bob", "/api/v1/projects/tenant-a/machines", json("{\"name\":\"fuzz\",\"partition\":\""
                    + partition() + "\",\"size\":\"c1\",\"network\":\"" + network("machines") + "\"}")).path("id").asString());
        }

        ObjectNode firewallBody(String networkSlot) {
            ObjectNode body = json("{\"name\":\"fuzz-fw\",\"partition\":\"" + partition() + "\",\"size\":\"c1\"}");
            ArrayNode networks = body.putArray("networks");
            networks.addObject().put("network", network(networkSlot));
            networks.addObject().put("network", internet());
            return body;
        }

        String firewall() {
            String id = firewall("firewall");
            return id;
        }

        String firewall(String slot) {
            return get(slot, () -> {
                JsonNode created = created("bob", "/api/v1/projects/tenant-a/firewalls", firewallBody("firewalls"));
                if (slot.equals("firewall")) {
                    slots.put("firewall-credential", created.path("agentCredential").asString());
                }
                return created.path("firewall").path("id").asString();
            });
        }

        /** A shared network of tenant-b in the fuzz partition, which tenant-a's firewalls may attach. */
        String shared() {
            return get("shared", () -> {
                String network = created("dave", "/api/v1/projects/tenant-b/networks", json("{\"name\":\"fuzz-shared\",\"partition\":\""
                        + partition() + "\",\"prefixLength\":24}")).path("id").asString();
                String request = created("dave", "/api/v1/networks/" + network + "/share-requests",
                        json("{\"reason\":\"fuzz\",\"natType\":\"NONE\"}")).path("id").asString();
                fixturesWritten = true;
                Api.Answer approved = Api.send("POST", portal.apiUrl() + "/api/v1/share-requests/" + request + "/approve", token("admin"), "{}");
                assertThat(approved.status()).as(approved.raw().body()).isEqualTo(200);
                return network;
            });
        }

        /** For a path variable: an object of tenant-b (or tenant-b itself), which bob must not reach. */
        String othersObject(String variable, Operation operation) {
            if (variable.equals("project") || operation.path().startsWith("/api/v1/projects/")) {
                return "tenant-b";
            }
            if (variable.equals("ip")) {
                return "10.64.0.5";
            }
            if (variable.equals("revision")) {
                return "2";
            }
            if (operation.path().startsWith("/api/v1/partitions/")) {
                return "fra-1";
            }
            return get("others-network", () -> created("dave", "/api/v1/projects/tenant-b/networks", json("{\"name\":\"fuzz-others\","
                    + "\"partition\":\"" + partition() + "\"}")).path("id").asString());
        }

        String attached(String slot) {
            return get(slot, () -> {
                String firewall = firewall(slot + "-" + sequence.incrementAndGet());
                fixturesWritten = true;
                Api.Answer attached = Api.send("PUT", portal.apiUrl() + "/api/v1/firewalls/" + firewall + "/networks/" + shared(),
                        token("bob"), "{}");
                assertThat(attached.status()).as(attached.raw().body()).isEqualTo(200);
                return firewall;
            });
        }
    }

    // ------------------------------------------------------------------ mutations

    /** One way to spoil a valid request of one operation. */
    private record Case(Operation operation, String name, Consumer<Call> apply) {
    }

    /** The cases of each operation in turn, each operation's shuffled: a short run still touches every operation. */
    private List<Case> interleaved(List<Case> cases) {
        Map<String, List<Case>> byOperation = new TreeMap<>();
        cases.forEach(c -> byOperation.computeIfAbsent(c.operation().key(), k -> new ArrayList<>()).add(c));
        byOperation.values().forEach(list -> Collections.shuffle(list, random));
        List<Case> out = new ArrayList<>();
        for (int i = 0; out.size() < cases.size(); i++) {
            for (List<Case> list : byOperation.values()) {
                if (i < list.size()) {
                    out.add(list.get(i));
                }
            }
        }
        return out;
    }

    private String pick(List<String> values) {
        return values.get(random.nextInt(values.size()));
    }

    private List<Case> cases(List<Operation> operations, Map<String, Baseline> baselines) {
        List<Case> cases = new ArrayList<>();
        for (Operation op : operations) {
            Call sample = baselines.get(op.key()).call().get();
            // the caller
            cases.add(new Case(op, "no token", c -> {
                c.user = null;
                c.token = null;
            }));
            cases.add(new Case(op, "garbage token", c -> c.token = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZG1pbiJ9."));
            cases.add(new Case(op, "another project's owner", c -> c.user = "dave"));
            cases.add(new Case(op, "a viewer", c -> c.user = "vera"));
            // headers
            cases.add(new Case(op, "Accept: text/html", c -> c.headers.add(new String[] {"Accept", "text/html"})));
            cases.add(new Case(op, "Accept: application/xml", c -> c.headers.add(new String[] {"Accept", "application/xml"})));
            cases.add(new Case(op, "Accept: problem only", c -> c.headers.add(new String[] {"Accept", "application/problem+json"})));
            cases.add(new Case(op, "Accept: garbage", c -> c.headers.add(new String[] {"Accept", "garbage;;q=x"})));
            if (!op.method().equals("GET")) {
                cases.add(new Case(op, "long Idempotency-Key", c -> c.headers.add(new String[] {"Idempotency-Key", "k".repeat(4000)})));
                cases.add(new Case(op, "odd Idempotency-Key", c -> c.headers.add(new String[] {"Idempotency-Key", "\u00e9 ' ; -- \u00ff"})));
                cases.add(new Case(op, "empty Idempotency-Key", c -> c.headers.add(new String[] {"Idempotency-Key", ""})));
            }
            // path variables
            for (String variable : op.pathVariables()) {
                List<String> values = new ArrayList<>(List.of("0", "-1", "2147483648", "99999999999999999999", "1.5", "x".repeat(3000),
                        "%00", "..", "\u0000", UUID.randomUUID().toString()));
                values.addAll(UUIDS);
                values.addAll(HOSTILE_TEXT);
                values.addAll(SLUGS);
                values.addAll(ADDRESSES);
                for (int i = 0; i < 12; i++) {
                    String value = pick(values);
                    cases.add(new Case(op, "path " + variable + "=" + shown(value), c -> c.path.put(variable, value)));
                }
                cases.add(new Case(op, "path " + variable + " another project's", c -> c.path.put(variable, fixtures.othersObject(variable, op))));
            }
            // query parameters
            for (Parameter parameter : op.parameters().stream().filter(p -> p.in().equals("query")).toList()) {
                List<String> values = new ArrayList<>(List.of("", "abc", "-1", "0", "2147483648", "9223372036854775808", "1e3", "1.5",
                        "x".repeat(3000), "true", "PENDING", "CHILD_SHARED", "tenant-b", "all"));
                values.addAll(HOSTILE_TEXT);
                for (int i = 0; i < 8; i++) {
                    String value = pick(values);
                    cases.add(new Case(op, "query " + parameter.name() + "=" + shown(value), c -> setQuery(c, parameter.name(), value)));
                }
                cases.add(new Case(op, "query " + parameter.name() + " twice", c -> {
                    c.query.add(new String[] {parameter.name(), "1"});
                    c.query.add(new String[] {parameter.name(), "x"});
                }));
            }
            cases.add(new Case(op, "unknown query parameter", c -> c.query.add(new String[] {"\u00e9\u0000", "1"})));
            // the body as a whole
            if (op.body() != null) {
                bodyCases(op, cases);
                List<Target> targets = new ArrayList<>();
                targets(op.body(), sample.body, List.of(), targets, 0);
                for (Target target : targets) {
                    fieldCases(op, target, cases);
                }
            } else {
                cases.add(new Case(op, "a body where none is expected", c -> c.rawBody = "{\"name\":\"x\"}"));
                cases.add(new Case(op, "a huge body where none is expected", c -> c.rawBody = "x".repeat(300_000)));
            }
        }
        return cases;
    }

    private static String shown(String value) {
        String escaped = JSON.writeValueAsString(value.length() > 20 ? value.substring(0, 20) + "...(" + value.length() + ")" : value);
        return escaped;
    }

    private static void setQuery(Call call, String name, String value) {
        call.query.removeIf(q -> q[0].equals(name));
        call.query.add(new String[] {name, value});
    }

    private void bodyCases(Operation op, List<Case> cases) {
        Map<String, String> raws = new LinkedHashMap<>();
        raws.put("not JSON", "not json");
        raws.put("empty", "");
        raws.put("truncated", "{\"name\":");
        raws.put("just {", "{");
        raws.put("array", "[]");
        raws.put("array of objects", "[{},{}]");
        raws.put("string", "\"x\"");
        raws.put("number", "42");
        raws.put("null", "null");
        raws.put("empty object", "{}");
        raws.put("nested 100000 deep", "[".repeat(100_000));
        raws.put("objects nested 3000 deep", "{\"a\":".repeat(3000) + "1" + "}".repeat(3000));
        raws.put("trailing garbage", "{}x");
        raws.put("comment", "/* c */ {}");
        raws.put("single quotes", "{'name':'x'}");
        raws.put("NaN", "{\"name\":NaN}");
        raws.put("unescaped control characters", "{\"name\":\"a\u0001\u0000b\"}");
        raws.put("over the body cap", "{\"name\":\"" + "x".repeat(300_000) + "\"}");
        raws.put("many unknown fields", "{" + String.join(",", java.util.stream.IntStream.range(0, 5000).mapToObj(i -> "\"f" + i + "\":" + i).toList()) + "}");
        raws.put("lone surrogate escape", "{\"name\":\"\\ud800\",\"description\":\"\\udfff\\ud800\"}");
        raws.forEach((name, raw) -> cases.add(new Case(op, "body " + name, c -> c.rawBody = raw)));
        cases.add(new Case(op, "body with a BOM", c -> c.rawBody = "\uFEFF" + c.bodyText()));
        cases.add(new Case(op, "duplicated keys", c -> {
            String text = c.bodyText();
            c.rawBody = text != null && text.length() > 2 && text.startsWith("{\"")
                    ? "{\"" + text.substring(2, text.indexOf('"', 2)) + "\":[1,{}]," + text.substring(1) : text;
        }));
        cases.add(new Case(op, "unknown field", c -> ((ObjectNode) c.body).put("unknownField\u00e9", "x")));
        cases.add(new Case(op, "no content type", c -> c.contentType = null));
        for (String type : WRONG_CONTENT_TYPES) {
            cases.add(new Case(op, "Content-Type " + type, c -> c.contentType = type));
        }
        cases.add(new Case(op, "no body", c -> c.body = null));
    }

    /** One place in the body: its path (names and indices) and its schema. */
    private record Target(List<Object> at, JsonNode schema) {

        String name() {
            return at.stream().map(String::valueOf).reduce((a, b) -> a + "." + b).orElse("body");
        }

        String field() {
            for (int i = at.size() - 1; i >= 0; i--) {
                if (at.get(i) instanceof String s) {
                    return s;
                }
            }
            return "";
        }

        String type() {
            if (schema.has("enum")) {
                return "enum";
            }
            if (schema.has("properties")) {
                return "object";
            }
            if (schema.has("additionalProperties")) {
                return "map";
            }
            return schema.path("type").asString("object");
        }
    }

    private static void targets(JsonNode schema, JsonNode value, List<Object> at, List<Target> out, int depth) {
        if (schema == null || depth > 3) {
            return;
        }
        if (schema.has("properties")) {
            for (Map.Entry<String, JsonNode> property : schema.get("properties").properties()) {
                List<Object> here = append(at, property.getKey());
                out.add(new Target(here, property.getValue()));
                JsonNode present = value == null ? null : value.get(property.getKey());
                if (present != null) {
                    targets(property.getValue(), present, here, out, depth + 1);
                }
            }
        } else if (schema.path("type").asString("").equals("array") && value != null && value.isArray() && !value.isEmpty()) {
            JsonNode items = schema.get("items");
            List<Object> first = append(at, 0);
            if (items.has("properties")) {
                targets(items, value.get(0), first, out, depth + 1);
            } else {
                out.add(new Target(first, items));
            }
        } else if (schema.path("additionalProperties").isObject() && value != null && value.isObject() && !value.isEmpty()) {
            String key = value.properties().iterator().next().getKey();
            out.add(new Target(append(at, key), schema.get("additionalProperties")));
        }
    }

    private static List<Object> append(List<Object> at, Object next) {
        List<Object> more = new ArrayList<>(at);
        more.add(next);
        return List.copyOf(more);
    }

    private void fieldCases(Operation op, Target target, List<Case> cases) {
        String where = target.name();
        String type = target.type();
        cases.add(new Case(op, where + " missing", c -> remove(c.body, target.at())));
        cases.add(new Case(op, where + " null", c -> set(c.body, target.at(), NODES.nullNode())));
        Map<String, Function<Call, JsonNode>> wrong = new LinkedHashMap<>();
        wrong.put("string", c -> NODES.stringNode("x"));
        wrong.put("number", c -> NODES.numberNode(7));
        wrong.put("boolean", c -> NODES.booleanNode(true));
        wrong.put("object", c -> json("{\"a\":1}"));
        wrong.put("array", c -> NODES.arrayNode().add("x").add(1));
        wrong.forEach((kind, value) -> {
            boolean same = kind.equals(type) || kind.equals("string") && (type.equals("enum"))
                    || kind.equals("number") && type.equals("integer") || kind.equals("object") && type.equals("map");
            if (!same) {
                cases.add(new Case(op, where + " as " + kind, c -> set(c.body, target.at(), value.apply(c))));
            }
        });
        switch (type) {
            case "string", "enum" -> {
                cases.add(new Case(op, where + " empty", c -> set(c.body, target.at(), NODES.stringNode(""))));
                cases.add(new Case(op, where + " 100 KB", c -> set(c.body, target.at(), NODES.stringNode("\u00e9".repeat(50_000)))));
                cases.add(new Case(op, where + " 10,000 chars", c -> set(c.body, target.at(), NODES.stringNode("x".repeat(10_000)))));
                cases.add(new Case(op, where + " 256 chars", c -> set(c.body, target.at(), NODES.stringNode("y".repeat(256)))));
                for (int i = 0; i < 4; i++) {
                    String text = pick(HOSTILE_TEXT);
                    cases.add(new Case(op, where + " = " + shown(text), c -> set(c.body, target.at(), NODES.stringNode(text))));
                }
                cases.add(new Case(op, where + " lone surrogate", c -> set(c.body, target.at(), c.raw("\"\\ud800x\""))));
                cases.add(new Case(op, where + " a number's text", c -> set(c.body, target.at(), NODES.stringNode("-1"))));
                List<String> family = family(target.field());
                for (int i = 0; i < 4; i++) {
                    String value = pick(family);
                    cases.add(new Case(op, where + " = " + shown(value), c -> set(c.body, target.at(), NODES.stringNode(value))));
                }
            }
            case "integer", "number" -> {
                for (String number : NUMBERS) {
                    cases.add(new Case(op, where + " = " + number, c -> set(c.body, target.at(), c.raw(number))));
                }
            }
            case "array" -> {
                cases.add(new Case(op, where + " empty", c -> set(c.body, target.at(), NODES.arrayNode())));
                cases.add(new Case(op, where + " 1000 copies", c -> {
                    JsonNode current = get(c.body, target.at());
                    JsonNode item = current != null && current.isArray() && !current.isEmpty() ? current.get(0) : NODES.stringNode("10.0.0.0/24");
                    ArrayNode many = NODES.arrayNode();
                    for (int i = 0; i < 1000; i++) {
                        many.add(item.deepCopy());
                    }
                    set(c.body, target.at(), many);
                }));
                cases.add(new Case(op, where + " 1000 distinct", c -> {
                    ArrayNode many = NODES.arrayNode();
                    for (int i = 0; i < 1000; i++) {
                        many.add("10." + (i / 256) + "." + (i % 256) + ".0/24");
                    }
                    set(c.body, target.at(), many);
                }));
                cases.add(new Case(op, where + " nested arrays", c -> set(c.body, target.at(), json("{\"a\":[[[]]]}").get("a"))));
                cases.add(new Case(op, where + " null item", c -> set(c.body, target.at(), NODES.arrayNode().addNull())));
                cases.add(new Case(op, where + " hostile items", c -> {
                    ArrayNode items = NODES.arrayNode();
                    family(target.field()).forEach(items::add);
                    set(c.body, target.at(), items);
                }));
            }
            case "map" -> {
                cases.add(new Case(op, where + " empty", c -> set(c.body, target.at(), NODES.objectNode())));
                cases.add(new Case(op, where + " 2000 entries", c -> {
                    ObjectNode many = NODES.objectNode();
                    boolean numbers = target.schema().path("additionalProperties").path("type").asString("").equals("integer");
                    for (int i = 0; i < 2000; i++) {
                        if (numbers) {
                            many.put("k" + i, 1);
                        } else {
                            many.put("k" + i, "v" + i);
                        }
                    }
                    set(c.body, target.at(), many);
                }));
                cases.add(new Case(op, where + " odd keys", c -> {
                    ObjectNode odd = NODES.objectNode();
                    odd.put("", 1);
                    odd.put("\u0000", 2);
                    odd.put("k".repeat(10_000), 3);
                    odd.put("\u202E\uD83D\uDCA5", 4);
                    set(c.body, target.at(), odd);
                }));
                cases.add(new Case(op, where + " values of the wrong type", c -> set(c.body, target.at(), json("{\"ipv4\":\"x\",\"c1\":[1],\"team\":{}}"))));
                cases.add(new Case(op, where + " huge numbers", c -> {
                    ObjectNode huge = NODES.objectNode();
                    huge.set("ipv4", c.raw("99999999999999999999"));
                    huge.set("c1", c.raw("-2147483649"));
                    huge.set("team", c.raw("1e400"));
                    set(c.body, target.at(), huge);
                }));
                cases.add(new Case(op, where + " negative values", c -> set(c.body, target.at(), json("{\"ipv4\":-1,\"ipv6\":-128,\"c1\":-5}"))));
            }
            default -> {
            }
        }
    }

    /** Malformed values of the kind a field holds, judged by its name. */
    private static List<String> family(String field) {
        return switch (field) {
            case "network" -> UUIDS;
            case "ip", "ips" -> ADDRESSES;
            case "superNetworks", "prefixes", "destinationPrefixes", "prefix" -> ADDRESSES;
            case "partition", "id", "project", "size" -> SLUGS;
            case "natType", "type", "status" -> List.of("BOGUS", "none", "ipv4_masquerade", "CHILD_SHARED", "SUPER", "", "NONE ", "EXTERNAL");
            case "host" -> List.of("", "127.0.0.1", "-", "a".repeat(300), "host name", "h\u0000st", "[::1]", "x:80");
            default -> HOSTILE_TEXT;
        };
    }

    private static JsonNode get(JsonNode node, List<Object> at) {
        JsonNode here = node;
        for (Object step : at) {
            if (here == null) {
                return null;
            }
            here = step instanceof String s ? here.get(s) : here.get((Integer) step);
        }
        return here;
    }

    private static void set(JsonNode body, List<Object> at, JsonNode value) {
        JsonNode parent = get(body, at.subList(0, at.size() - 1));
        Object last = at.getLast();
        if (parent instanceof ObjectNode object && last instanceof String name) {
            object.set(name, value);
        } else if (parent instanceof ArrayNode array && last instanceof Integer index && index < array.size()) {
            array.set(index, value);
        }
    }

    private static void remove(JsonNode body, List<Object> at) {
        JsonNode parent = get(body, at.subList(0, at.size() - 1));
        Object last = at.getLast();
        if (parent instanceof ObjectNode object && last instanceof String name) {
            object.remove(name);
        } else if (parent instanceof ArrayNode array && last instanceof Integer index && index < array.size()) {
            array.remove((int) index);
        }
    }

    // ------------------------------------------------------------------ the database before and after

    /**
     * Each table's row count and newest row version; for {@code firewall_sync} only what requests change (the
     * dispatcher's delivery state changes in the background).
     */
    private record Snapshot(Map<String, String> tables) {

        List<String> diff(Snapshot other) {
            return tables.keySet().stream().filter(t -> !tables.get(t).equals(other.tables().get(t))).toList();
        }
    }

    private static String snapshotQuery(Connection connection) throws SQLException {
        List<String> parts = new ArrayList<>();
        try (Statement statement = connection.createStatement();
             ResultSet tables = statement.executeQuery("SELECT table_name FROM information_schema.tables "
                     + "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name")) {
            while (tables.next()) {
                String table = tables.getString(1);
                parts.add(table.equals("firewall_sync")
                        ? "SELECT 'firewall_sync', md5(coalesce(string_agg(concat_ws(',', firewall_id, desired_revision, agent_instance, "
                                + "agent_stream, agent_refusal), ';' ORDER BY firewall_id), '')) FROM firewall_sync"
                        : "SELECT '" + table + "', count(*) || ':' || coalesce(max(xmin::text::bigint), 0) FROM \"" + table + "\"");
            }
        }
        assertThat(parts).as("tables of the portal's database").hasSizeGreaterThan(10);
        return String.join(" UNION ALL ", parts);
    }

    private static Snapshot snapshot() {
        Map<String, String> tables = new TreeMap<>();
        try (Statement statement = database.createStatement(); ResultSet rows = statement.executeQuery(snapshotSql)) {
            while (rows.next()) {
                tables.put(rows.getString(1), rows.getString(2));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return new Snapshot(tables);
    }
}

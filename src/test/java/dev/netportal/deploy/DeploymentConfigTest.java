package dev.netportal.deploy;

import static dev.netportal.deploy.HelmChartTest.at;
import static dev.netportal.deploy.HelmChartTest.list;
import static dev.netportal.deploy.HelmChartTest.listOfMaps;
import static dev.netportal.deploy.HelmChartTest.map;
import static dev.netportal.deploy.HelmChartTest.mapOrEmpty;
import static org.assertj.core.api.Assertions.assertThat;

import dev.netportal.identity.IdentitySettings;
import java.io.IOException;
import java.io.Reader;
import java.lang.reflect.RecordComponent;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertiesPropertySource;
import org.springframework.core.env.PropertySourcesPropertyResolver;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The local deployment ({@code docker-compose.yml}), its Keycloak realm
 * ({@code deploy/keycloak/netportal-realm-development.json}) and the application's own configuration must agree: client
 * ids and secret, redirect URIs, the claims the portal reads, the issuer, the ports, and the demo users of the
 * development sign-in provider. The production realm template ({@code netportal-realm-production.json}) must give the
 * portal the same clients and claims, without users, with brute-force protection and with its secret from the
 * environment.
 */
class DeploymentConfigTest {

    private static final String UI_CLIENT = "netportal-ui";
    private static final String CLI_CLIENT = "netportal-cli";

    private static final Path KEYCLOAK = Path.of("deploy", "keycloak");
    private static final String DEVELOPMENT_REALM = "netportal-realm-development.json";
    private static final String PRODUCTION_REALM = "netportal-realm-production.json";
    /** A placeholder that Keycloak replaces with an environment variable when it imports the realm at start. */
    private static final Pattern ENV_PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)}");

    private static Map<String, Object> compose;
    private static Map<String, Object> realm;                  // the development realm, which compose imports
    private static Map<String, Object> productionRealm;
    private static PropertySourcesPropertyResolver app;         // application.properties, placeholders resolved
    private static Map<String, String> portalEnv;              // the netportal service's environment

    @BeforeAll
    static void load() throws IOException {
        Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
        try (Reader reader = Files.newBufferedReader(Path.of("docker-compose.yml"))) {
            compose = map(yaml.load(reader), "docker-compose.yml");
        }
        // JSON is YAML: one parser for both files
        realm = loadRealm(yaml, DEVELOPMENT_REALM);
        productionRealm = loadRealm(yaml, PRODUCTION_REALM);
        app = resolver(properties("application.properties"));
        portalEnv = environment(service("netportal"));
    }

    private static Map<String, Object> loadRealm(Yaml yaml, String file) throws IOException {
        try (Reader reader = Files.newBufferedReader(KEYCLOAK.resolve(file))) {
            return map(yaml.load(reader), file);
        }
    }

    private static Map<String, Object> realm(String file) {
        return switch (file) {
            case DEVELOPMENT_REALM -> realm;
            case PRODUCTION_REALM -> productionRealm;
            default -> throw new IllegalArgumentException(file);
        };
    }

    // ---- clients ----

    @Test
    void theUiClientOfRealmComposeAndApplicationIsTheSame() {
        Map<String, Object> ui = client(realm, UI_CLIENT);
        assertThat(portalEnv.get("NETPORTAL_OIDC_CLIENT_ID")).as("compose NETPORTAL_OIDC_CLIENT_ID").isEqualTo(UI_CLIENT);
        assertThat(app.getProperty("netportal.oidc.client-id")).as("the application's default client id").isEqualTo(UI_CLIENT);
        assertThat(ui.get("publicClient")).as("the UI client is confidential").isEqualTo(false);
        assertThat(ui.get("secret")).as("the UI client's secret in the realm and in compose")
                .isEqualTo(portalEnv.get("NETPORTAL_OIDC_CLIENT_SECRET"));
        assertThat(String.valueOf(ui.get("secret"))).as("a secret that says it is for local use").contains("dev");
        assertStandardFlowOnly(ui);
    }

    @Test
    void theRealmsRedirectUrisAreTheOnesTheApplicationUses() {
        String baseUrl = portalEnv.get("NETPORTAL_UI_BASE_URL");
        assertThat(baseUrl).as("compose NETPORTAL_UI_BASE_URL").isNotBlank();
        // The development provider registers the UI client with the URIs the application needs; with compose's
        // base URL they must be exactly the realm's.
        PropertySourcesPropertyResolver idp = resolver(properties("application-idp.properties"),
                Map.of("netportal.ui.base-url", baseUrl), properties("application.properties"));
        String prefix = "spring.security.oauth2.authorizationserver.client.netportal-ui.registration.";
        String redirect = idp.getProperty(prefix + "redirect-uris");
        String postLogout = idp.getProperty(prefix + "post-logout-redirect-uris");
        assertThat(redirect).isEqualTo(baseUrl + "/login/oauth2/code/" + uiRegistrationId());
        assertThat(postLogout).isEqualTo(baseUrl + "/signed-out");

        Map<String, Object> ui = client(realm, UI_CLIENT);
        assertThat(list(ui.get("redirectUris"), "redirectUris")).as("realm redirect URIs of %s", UI_CLIENT).containsExactly(redirect);
        assertThat(String.valueOf(map(ui.get("attributes"), "attributes").get("post.logout.redirect.uris")))
                .as("realm post-logout redirect URIs of %s", UI_CLIENT).isEqualTo(postLogout);
    }

    @ParameterizedTest
    @ValueSource(strings = {DEVELOPMENT_REALM, PRODUCTION_REALM})
    void theCliClientIsPublicWithPkceAndALoopbackRedirect(String file) {
        Map<String, Object> cli = client(realm(file), CLI_CLIENT);
        assertThat(cli.get("publicClient")).isEqualTo(true);
        assertThat(map(cli.get("attributes"), "attributes")).containsEntry("pkce.code.challenge.method", "S256");
        assertStandardFlowOnly(cli);
        // the development provider's redirect for scripts must be allowed by the realm's pattern too
        String devRedirect = resolver(properties("application-idp.properties"), Map.of(), properties("application.properties"))
                .getProperty("spring.security.oauth2.authorizationserver.client.netportal-cli.registration.redirect-uris");
        List<String> patterns = list(cli.get("redirectUris"), "redirectUris").stream().map(String::valueOf).toList();
        assertThat(patterns).as("loopback redirects only").allMatch(p -> p.startsWith("http://127.0.0.1/"));
        assertThat(patterns).as("a pattern that allows %s", devRedirect).anyMatch(p -> wildcard(p).matcher(devRedirect).matches());
    }

    // ---- claims ----

    @ParameterizedTest
    @ValueSource(strings = {DEVELOPMENT_REALM, PRODUCTION_REALM})
    void bothClientsPutTheGroupsIntoTheClaimThatTheApplicationReads(String file) {
        Map<String, Object> realm = realm(file);
        IdentitySettings identity = new Binder(ConfigurationPropertySources.from(new PropertiesPropertySource("app", properties("application.properties"))))
                .bindOrCreate("netportal.identity", IdentitySettings.class);
        for (String clientId : List.of(UI_CLIENT, CLI_CLIENT)) {
            Map<String, Object> mapper = mapper(realm, clientId, "oidc-group-membership-mapper");
            Map<String, Object> config = map(mapper.get("config"), "mapper config");
            assertThat(config.get("claim.name")).as("%s groups claim = netportal.identity.role-claim", clientId).isEqualTo(identity.roleClaim());
            assertThat(config).as("%s groups mapper", clientId).containsEntry("full.path", "false")
                    .containsEntry("access.token.claim", "true").containsEntry("id.token.claim", "true");
        }
        Set<String> realmGroups = new TreeSet<>();
        for (Map<String, Object> group : listOfMaps(realm.get("groups"), "groups")) {
            realmGroups.add(String.valueOf(group.get("name")));
        }
        assertThat(realmGroups).as("realm groups").contains(identity.adminGroup());
    }

    @ParameterizedTest
    @ValueSource(strings = {DEVELOPMENT_REALM, PRODUCTION_REALM})
    void accessTokensOfBothClientsCarryTheApisAudience(String file) {
        String audience = app.getProperty("netportal.oidc.audience");
        assertThat(portalEnv.get("NETPORTAL_OIDC_AUDIENCE")).as("compose NETPORTAL_OIDC_AUDIENCE").isEqualTo(audience);
        for (String clientId : List.of(UI_CLIENT, CLI_CLIENT)) {
            Map<String, Object> config = map(mapper(realm(file), clientId, "oidc-audience-mapper").get("config"), "mapper config");
            assertThat(config).as("%s audience mapper", clientId).containsEntry("included.custom.audience", audience)
                    .containsEntry("access.token.claim", "true");
        }
    }

    // ---- compose ----

    @Test
    void theIssuerIsKeycloaksPublicUrlWithTheRealm() {
        Map<String, String> keycloak = environment(service("keycloak"));
        String publicUrl = keycloak.get("KC_HOSTNAME");
        assertThat(publicUrl).as("KC_HOSTNAME (the URL that browser and portal share)").startsWith("http");
        assertThat(portalEnv.get("NETPORTAL_OIDC_ISSUER")).as("compose NETPORTAL_OIDC_ISSUER")
                .isEqualTo(publicUrl + "/realms/" + realm.get("realm"));
        // Keycloak listens on its public URL's port, and the portal shares Keycloak's network: localhost is the same
        assertThat(keycloak.get("KC_HTTP_PORT")).isEqualTo(String.valueOf(URI.create(publicUrl).getPort()));
        assertThat(service("netportal").get("network_mode")).isEqualTo("service:keycloak");
        assertThat(publishedPorts(service("keycloak"))).containsEntry(URI.create(publicUrl).getPort(), URI.create(publicUrl).getPort());
        // the realm file that Keycloak imports is this one
        assertThat(list(service("keycloak").get("volumes"), "keycloak volumes"))
                .anyMatch(v -> String.valueOf(v).startsWith("./deploy/keycloak/" + DEVELOPMENT_REALM + ":/opt/keycloak/data/import/"));
        assertThat(list(service("keycloak").get("volumes"), "keycloak volumes")).as("compose never imports the production template")
                .noneMatch(v -> String.valueOf(v).contains(PRODUCTION_REALM));
    }

    @Test
    void thePublishedPortsAreTheApplicationsDefaultPorts() {
        int uiPort = Integer.parseInt(app.getProperty("netportal.ui.port"));
        int apiPort = Integer.parseInt(app.getProperty("netportal.api.port"));
        // the portal runs in Keycloak's network namespace, so Keycloak's service publishes the portal's ports
        Map<Integer, Integer> published = publishedPorts(service("keycloak"));
        assertThat(published).as("published ports (host -> container)").containsEntry(uiPort, uiPort).containsEntry(apiPort, apiPort);
        assertThat(URI.create(portalEnv.get("NETPORTAL_UI_BASE_URL")).getPort()).as("port of NETPORTAL_UI_BASE_URL").isEqualTo(uiPort);
        assertThat(portalEnv).as("compose keeps the default ports").doesNotContainKeys("NETPORTAL_UI_PORT", "NETPORTAL_API_PORT");
    }

    @Test
    void thePortalUsesComposesPostgres() {
        Map<String, String> postgres = environment(service("postgres"));
        assertThat(portalEnv.get("SPRING_R2DBC_URL")).isEqualTo("r2dbc:postgresql://postgres:5432/" + postgres.get("POSTGRES_DB"));
        assertThat(portalEnv.get("SPRING_R2DBC_USERNAME")).isEqualTo(postgres.get("POSTGRES_USER"));
        assertThat(portalEnv.get("SPRING_R2DBC_PASSWORD")).isEqualTo(postgres.get("POSTGRES_PASSWORD"));
        Map<String, Object> dependsOn = map(service("netportal").get("depends_on"), "depends_on");
        for (String dependency : List.of("postgres", "keycloak")) {
            assertThat(at(dependsOn, dependency, "condition")).as("netportal waits for %s", dependency).isEqualTo("service_healthy");
            assertThat(service(dependency)).as("%s has a health check", dependency).containsKey("healthcheck");
        }
        assertThat(portalEnv).containsEntry("NETPORTAL_DISPATCHER_ENABLED", "true").containsEntry("NETPORTAL_DISPATCHER_LOCAL_AGENTS", "true");
    }

    // ---- demo users ----

    @Test
    void theRealmHasTheDevelopmentProvidersDemoUsers() throws ReflectiveOperationException {
        Map<String, Map<String, Object>> expected = new TreeMap<>();
        for (Object user : demoUsers()) {
            Map<String, Object> fields = recordFields(user);
            expected.put(String.valueOf(fields.get("username")), fields);
        }
        assertThat(expected).as("demo users of the development provider").isNotEmpty();

        Map<String, Map<String, Object>> actual = new TreeMap<>();
        for (Map<String, Object> user : listOfMaps(realm.get("users"), "users")) {
            actual.put(String.valueOf(user.get("username")), user);
        }
        assertThat(actual.keySet()).as("realm users").isEqualTo(expected.keySet());

        Set<String> realmGroups = new TreeSet<>();
        for (Map<String, Object> group : listOfMaps(realm.get("groups"), "groups")) {
            realmGroups.add(String.valueOf(group.get("name")));
        }
        for (Map.Entry<String, Map<String, Object>> entry : expected.entrySet()) {
            String username = entry.getKey();
            Map<String, Object> demo = entry.getValue();
            Map<String, Object> user = actual.get(username);
            List<String> groups = list(user.get("groups"), username + " groups").stream()
                    .map(g -> String.valueOf(g).replaceFirst("^/", "")).toList();
            assertThat(groups).as("groups of %s", username).containsExactlyInAnyOrderElementsOf(stringList(demo.get("groups")));
            assertThat(realmGroups).as("realm groups").containsAll(groups);
            // Keycloak's "name" claim is first and last name
            assertThat(user.get("firstName") + " " + user.get("lastName")).as("name of %s", username).isEqualTo(demo.get("name"));
            assertThat(user.get("email")).as("email of %s", username).isEqualTo(demo.get("email"));
            assertThat(user.get("enabled")).isEqualTo(true);
            // the development provider's rule: the password is the user name
            Map<String, Object> credential = listOfMaps(user.get("credentials"), username + " credentials").getFirst();
            assertThat(credential).as("password of %s", username).containsEntry("type", "password")
                    .containsEntry("value", username).containsEntry("temporary", false);
        }
    }

    @Test
    void theDevelopmentRealmSaysItIsForDevelopmentOnly() {
        assertThat(DEVELOPMENT_REALM).contains("development");
        // shown on Keycloak's sign-in page
        assertThat(String.valueOf(realm.get("displayName"))).as("the development realm's display name")
                .containsIgnoringCase("development only");
        assertThat(String.valueOf(productionRealm.get("displayName"))).as("the production realm's display name")
                .doesNotContainIgnoringCase("development").doesNotContainIgnoringCase("demo");
    }

    // ---- the production realm template ----

    @Test
    void theProductionRealmHasNoUsersAndNoCredentials() {
        assertThat(list(productionRealm.getOrDefault("users", List.of()), "users")).as("users of the production realm").isEmpty();
        assertThat(keysAnywhere(productionRealm)).as("keys anywhere in the production realm")
                .doesNotContain("users", "credentials", "federatedUsers");
        // none of the demo users' project groups: projects and their groups are the installation's own
        Set<String> groups = new TreeSet<>();
        for (Map<String, Object> group : listOfMaps(productionRealm.get("groups"), "groups")) {
            groups.add(String.valueOf(group.get("name")));
        }
        assertThat(groups).as("groups of the production realm").noneMatch(g -> g.startsWith("project:"));
    }

    @Test
    void theProductionRealmLocksOutPasswordGuessingAndRequiresHttps() {
        assertThat(productionRealm.get("sslRequired")).as("sslRequired").isEqualTo("all");
        assertThat(productionRealm.get("bruteForceProtected")).as("bruteForceProtected").isEqualTo(true);
        assertThat(((Number) productionRealm.get("failureFactor")).intValue()).as("failed sign-ins before a lockout").isBetween(3, 10);
        assertThat(((Number) productionRealm.get("waitIncrementSeconds")).intValue()).as("first lockout, seconds").isGreaterThanOrEqualTo(60);
        assertThat(((Number) productionRealm.get("maxFailureWaitSeconds")).intValue()).as("longest lockout, seconds")
                .isGreaterThanOrEqualTo(((Number) productionRealm.get("waitIncrementSeconds")).intValue());
        assertThat(String.valueOf(productionRealm.get("passwordPolicy"))).as("password policy").contains("length(");
        assertThat(productionRealm).as("self-registration and the like")
                .containsEntry("registrationAllowed", false).containsEntry("editUsernameAllowed", false);
    }

    @Test
    void theProductionUiClientTakesItsSecretAndUrlsFromTheEnvironment() throws IOException {
        Map<String, Object> ui = client(productionRealm, UI_CLIENT);
        assertThat(ui.get("publicClient")).as("the UI client is confidential").isEqualTo(false);
        assertStandardFlowOnly(ui);
        String secret = String.valueOf(ui.get("secret"));
        assertThat(secret).as("the UI client's secret is a placeholder, not a literal").matches(ENV_PLACEHOLDER);
        assertThat(secret).isEqualTo("${NETPORTAL_UI_CLIENT_SECRET}");
        // no other secret-looking value anywhere in the file is a literal either
        for (Map.Entry<String, Object> entry : entriesAnywhere(productionRealm)) {
            // "secret", "password", "client.secret", ... (not resetPasswordAllowed or passwordPolicy)
            if (entry.getKey().toLowerCase().matches("(.*[._-])?(secret|password)")) {
                assertThat(String.valueOf(entry.getValue())).as("production realm %s", entry.getKey()).matches(ENV_PLACEHOLDER);
            }
        }
        // the URIs the application needs, from the UI's base URL in the environment
        String base = "${NETPORTAL_UI_BASE_URL}";
        assertThat(list(ui.get("redirectUris"), "redirectUris")).containsExactly(base + "/login/oauth2/code/" + uiRegistrationId());
        assertThat(map(ui.get("attributes"), "attributes")).containsEntry("post.logout.redirect.uris", base + "/signed-out");
        // the README tells operators every variable the template needs
        String readme = Files.readString(Path.of("README.md"));
        Set<String> variables = new TreeSet<>();
        var matcher = ENV_PLACEHOLDER.matcher(Files.readString(KEYCLOAK.resolve(PRODUCTION_REALM)));
        while (matcher.find()) {
            variables.add(matcher.group(1));
        }
        assertThat(variables).as("environment variables of the production realm").contains("NETPORTAL_UI_CLIENT_SECRET", "NETPORTAL_UI_BASE_URL");
        for (String variable : variables) {
            assertThat(readme).as("README explains %s", variable).contains("export " + variable + "=");
        }
    }

    @Test
    void theDevelopmentRealmsSecretIsNotThePlaceholdersAndTheProductionOneIsNotTheDevelopmentOne() {
        String development = String.valueOf(client(realm, UI_CLIENT).get("secret"));
        assertThat(development).doesNotMatch(ENV_PLACEHOLDER);
        assertThat(String.valueOf(client(productionRealm, UI_CLIENT).get("secret"))).isNotEqualTo(development);
    }

    // ---- helpers ----

    /** Every key of every map in a JSON tree. */
    private static Set<String> keysAnywhere(Object node) {
        Set<String> keys = new TreeSet<>();
        for (Map.Entry<String, Object> entry : entriesAnywhere(node)) {
            keys.add(entry.getKey());
        }
        return keys;
    }

    /** Every entry of every map in a JSON tree. */
    private static List<Map.Entry<String, Object>> entriesAnywhere(Object node) {
        List<Map.Entry<String, Object>> entries = new ArrayList<>();
        if (node instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> entry : m.entrySet()) {
                entries.add(Map.entry(String.valueOf(entry.getKey()), entry.getValue() == null ? "null" : entry.getValue()));
                entries.addAll(entriesAnywhere(entry.getValue()));
            }
        } else if (node instanceof List<?> l) {
            for (Object item : l) {
                entries.addAll(entriesAnywhere(item));
            }
        }
        return entries;
    }

    private static void assertStandardFlowOnly(Map<String, Object> client) {
        String id = String.valueOf(client.get("clientId"));
        assertThat(client).as("%s: authorization code flow only", id)
                .containsEntry("standardFlowEnabled", true)
                .containsEntry("implicitFlowEnabled", false)
                .containsEntry("directAccessGrantsEnabled", false)
                .containsEntry("serviceAccountsEnabled", false);
    }

    /** The UI's OAuth2 client registration id, part of its redirect URI. */
    private static String uiRegistrationId() {
        Pattern registration = Pattern.compile("spring\\.security\\.oauth2\\.client\\.registration\\.([^.]+)\\.client-id");
        return properties("application-ui.properties").stringPropertyNames().stream()
                .map(registration::matcher).filter(java.util.regex.Matcher::matches).map(m -> m.group(1))
                .findFirst().orElseThrow(() -> new AssertionError("no client registration in application-ui.properties"));
    }

    private static Map<String, Object> client(Map<String, Object> realm, String clientId) {
        List<Map<String, Object>> found = listOfMaps(realm.get("clients"), "clients").stream()
                .filter(c -> clientId.equals(c.get("clientId"))).toList();
        assertThat(found).as("realm client %s", clientId).hasSize(1);
        return found.getFirst();
    }

    private static Map<String, Object> mapper(Map<String, Object> realm, String clientId, String type) {
        List<Map<String, Object>> found = listOfMaps(client(realm, clientId).getOrDefault("protocolMappers", List.of()), "protocolMappers")
                .stream().filter(m -> type.equals(m.get("protocolMapper"))).toList();
        assertThat(found).as("%s mapper of client %s", type, clientId).hasSize(1);
        return found.getFirst();
    }

    private static Map<String, Object> service(String name) {
        return map(at(compose, "services", name), "compose service " + name);
    }

    /** A service's environment, from the map or the list form. */
    private static Map<String, String> environment(Map<String, Object> service) {
        Object environment = service.get("environment");
        Map<String, String> result = new LinkedHashMap<>();
        if (environment instanceof List<?> entries) {
            for (Object entry : entries) {
                String[] parts = String.valueOf(entry).split("=", 2);
                result.put(parts[0], parts.length > 1 ? parts[1] : "");
            }
        } else {
            mapOrEmpty(environment).forEach((key, value) -> result.put(key, String.valueOf(value)));
        }
        return result;
    }

    /** Published ports, host port -> container port, from the short syntax ("8080:8080", "127.0.0.1:8080:8080"). */
    private static Map<Integer, Integer> publishedPorts(Map<String, Object> service) {
        Map<Integer, Integer> ports = new HashMap<>();
        for (Object port : list(service.getOrDefault("ports", List.of()), "ports")) {
            String[] parts = String.valueOf(port).replaceFirst("/tcp$", "").split(":");
            assertThat(parts.length).as("short port syntax: %s", port).isGreaterThanOrEqualTo(2);
            ports.put(Integer.parseInt(parts[parts.length - 2]), Integer.parseInt(parts[parts.length - 1]));
        }
        return ports;
    }

    private static Properties properties(String name) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(Path.of("src", "main", "resources", name))) {
            properties.load(reader);
        } catch (IOException e) {
            throw new AssertionError("cannot read " + name, e);
        }
        return properties;
    }

    private static PropertySourcesPropertyResolver resolver(Properties properties) {
        return resolver(properties, Map.of(), new Properties());
    }

    /** Resolves ${...} placeholders like Spring does: overrides first, then the file, then the fallback file. */
    private static PropertySourcesPropertyResolver resolver(Properties file, Map<String, Object> overrides, Properties fallback) {
        MutablePropertySources sources = new MutablePropertySources();
        sources.addLast(new MapPropertySource("overrides", new HashMap<>(overrides)));
        sources.addLast(new PropertiesPropertySource("file", file));
        sources.addLast(new PropertiesPropertySource("fallback", fallback));
        return new PropertySourcesPropertyResolver(sources);
    }

    private static Pattern wildcard(String pattern) {
        return Pattern.compile(Pattern.quote(pattern).replace("*", "\\E.*\\Q"));
    }

    /** The development provider's users ({@code DemoUser.ALL}, package-private in dev.netportal.idp). */
    private static List<?> demoUsers() throws ReflectiveOperationException {
        var field = Class.forName("dev.netportal.idp.DemoUser").getDeclaredField("ALL");
        field.setAccessible(true);
        return (List<?>) field.get(null);
    }

    private static Map<String, Object> recordFields(Object record) throws ReflectiveOperationException {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (RecordComponent component : record.getClass().getRecordComponents()) {
            var accessor = component.getAccessor();
            accessor.setAccessible(true);
            fields.put(component.getName(), accessor.invoke(record));
        }
        return fields;
    }

    private static List<String> stringList(Object value) {
        List<String> strings = new ArrayList<>();
        for (Object item : list(value, "a list")) {
            strings.add(String.valueOf(item));
        }
        return strings;
    }
}

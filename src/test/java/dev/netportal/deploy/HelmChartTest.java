package dev.netportal.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Lints and renders the Helm chart with the real helm binary, with the default values and with
 * {@code ci/production-values.yaml}, and checks the manifests: probes, resources, security contexts, secrets only
 * by reference, the components' modes, the revision signing key of the API pods, the migration hook, the Ingress
 * routes, TLS on the Ingresses (off only when asked) and the NetworkPolicies of every pod.
 *
 * <p>helm comes from {@code NETPORTAL_HELM} (path to the binary) or the PATH ({@code .ci/install-helm} installs it).
 * Without it the tests are skipped, unless {@code NETPORTAL_REQUIRE_HELM=1} (as in CI), which makes them fail.
 */
class HelmChartTest {

    private static final Path CHART = Path.of("helm", "netportal");
    private static final String DEFAULT_VALUES = "default";
    private static final String PRODUCTION_VALUES = "ci/production-values.yaml";
    private static final String SIGNING_KEY_DIR = "/etc/netportal/revision-signing";

    private static Path helm;

    @TempDir
    static Path helmHome;  // helm's cache, config and data folders: nothing from the machine's user leaks in

    @BeforeAll
    static void findHelm() {
        boolean required = "1".equals(System.getenv("NETPORTAL_REQUIRE_HELM"));
        String configured = System.getenv("NETPORTAL_HELM");
        if (configured != null && !configured.isBlank()) {
            Path path = Path.of(configured);
            if (!Files.isExecutable(path)) {
                fail("NETPORTAL_HELM=" + configured + " is not an executable file (install helm with .ci/install-helm DIR)");
            }
            helm = path;
            return;
        }
        // on the PATH, or where .ci/install-helm puts it by default
        Optional<Path> onPath = Stream.concat(
                        Stream.of(Objects.requireNonNullElse(System.getenv("PATH"), "").split(File.pathSeparator))
                                .filter(dir -> !dir.isBlank()).map(dir -> Path.of(dir, "helm")),
                        Stream.of(Path.of("/opt/netportal-tools/helm")))
                .filter(Files::isExecutable)
                .findFirst();
        if (onPath.isEmpty() && required) {
            fail("helm not found: NETPORTAL_REQUIRE_HELM=1 needs it; set NETPORTAL_HELM to the helm binary or put helm"
                    + " on the PATH (.ci/install-helm /opt/netportal-tools installs it)");
        }
        helm = onPath.orElse(null);
    }

    /** Without helm each test is reported as skipped (a skip in a @BeforeAll would not show in the counts). */
    @BeforeEach
    void needHelm() {
        Assumptions.assumeTrue(helm != null,
                "helm not found (NETPORTAL_HELM, PATH or /opt/netportal-tools): the chart is not checked; .ci/install-helm installs it");
    }

    // ---- helm lint / helm template ----

    @ParameterizedTest
    @ValueSource(strings = {DEFAULT_VALUES, PRODUCTION_VALUES})
    void chartLints(String values) {
        List<String> command = new ArrayList<>(List.of("lint", CHART.toString(), "--strict"));
        command.addAll(valuesArgs(values));
        Result lint = helm(command);
        assertThat(lint.exitCode())
                .as("helm %s exited with %d:%n%s", String.join(" ", command), lint.exitCode(), lint.output())
                .isZero();
        assertThat(lint.output()).as("helm lint output").contains("0 chart(s) failed");
    }

    @ParameterizedTest
    @ValueSource(strings = {DEFAULT_VALUES, PRODUCTION_VALUES})
    void everyContainerHasProbesResourcesAndARestrictedSecurityContext(String values) {
        List<Map<String, Object>> manifests = render(values);
        List<Map<String, Object>> workloads = manifests.stream()
                .filter(m -> List.of("Deployment", "Job").contains(m.get("kind"))).toList();
        assertThat(workloads).as("Deployments and Jobs: UI, API and the migration Job").hasSize(3);
        for (Map<String, Object> workload : workloads) {
            String name = kindAndName(workload);
            Map<String, Object> podSpec = map(at(workload, "spec", "template", "spec"), name + " pod spec");
            Map<String, Object> podSecurity = mapOrEmpty(podSpec.get("securityContext"));
            assertThat(podSpec.get("enableServiceLinks")).as("%s enableServiceLinks", name).isEqualTo(false);
            assertThat(podSpec.get("automountServiceAccountToken")).as("%s automountServiceAccountToken", name).isEqualTo(false);
            List<Map<String, Object>> containers = listOfMaps(podSpec.get("containers"), name + " containers");
            assertThat(containers).as("%s containers", name).isNotEmpty();
            for (Map<String, Object> container : containers) {
                String where = name + " container " + container.get("name");
                Map<String, Object> security = map(container.get("securityContext"), where + " securityContext");
                Object runAsNonRoot = security.containsKey("runAsNonRoot") ? security.get("runAsNonRoot") : podSecurity.get("runAsNonRoot");
                assertThat(runAsNonRoot).as("%s runAsNonRoot", where).isEqualTo(true);
                assertThat(security.get("readOnlyRootFilesystem")).as("%s readOnlyRootFilesystem", where).isEqualTo(true);
                assertThat(security.get("allowPrivilegeEscalation")).as("%s allowPrivilegeEscalation", where).isEqualTo(false);
                assertThat(list(at(security, "capabilities", "drop"), where + " capabilities.drop")).as("%s drops", where).contains("ALL");
                Object uid = security.containsKey("runAsUser") ? security.get("runAsUser") : podSecurity.get("runAsUser");
                assertThat(uid).as("%s runAsUser (the image's user)", where).isEqualTo(10001);

                for (String kind : List.of("requests", "limits")) {
                    Map<String, Object> amounts = map(at(container, "resources", kind), where + " resources." + kind);
                    assertThat(amounts).as("%s resources.%s", where, kind).containsKeys("cpu", "memory");
                }
                assertThat(mounts(container)).as("%s mounts (writable /tmp on a read-only root)", where).contains("/tmp");

                if ("Deployment".equals(workload.get("kind"))) {
                    for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
                        Map<String, Object> http = map(at(container, probe, "httpGet"), where + " " + probe + ".httpGet");
                        assertThat(containerPortNames(container)).as("%s %s port", where, probe).contains(String.valueOf(http.get("port")));
                    }
                    assertThat(at(container, "livenessProbe", "httpGet", "path")).as("%s liveness path", where).isEqualTo("/actuator/health/liveness");
                    assertThat(at(container, "readinessProbe", "httpGet", "path")).as("%s readiness path", where).isEqualTo("/actuator/health/readiness");
                }
            }
        }
    }

    @Test
    void componentsRunInTheirModesAndOnlyTheMigrationJobMigrates() {
        List<Map<String, Object>> manifests = render(PRODUCTION_VALUES);
        assertThat(manifests).as("no dispatcher of its own: the API pods deliver the revisions on the agents' streams")
                .noneMatch(m -> "dispatcher".equals(mapOrEmpty(at(m, "metadata", "labels")).get("app.kubernetes.io/component")));
        assertThat(manifests.stream().filter(m -> "Deployment".equals(m.get("kind"))).map(HelmChartTest::name))
                .as("Deployments").containsExactlyInAnyOrder("netportal-ui", "netportal-api");
        Map<String, Integer> ports = Map.of("ui", 8080, "api", 8081);
        for (String component : List.of("ui", "api")) {
            Map<String, Object> deployment = one(manifests, "Deployment", component);
            Map<String, Object> container = listOfMaps(at(deployment, "spec", "template", "spec", "containers"), "containers").getFirst();
            Map<String, Object> env = envByName(container);
            String where = "Deployment " + component;
            assertThat(literal(env, "NETPORTAL_MODE")).as("%s NETPORTAL_MODE", where).isEqualTo(component);
            assertThat(literal(env, "NETPORTAL_DISPATCHER_ENABLED")).as("%s NETPORTAL_DISPATCHER_ENABLED", where)
                    .isEqualTo(component.equals("api") ? "true" : "false");
            if (component.equals("api")) {
                // the agents on the firewalls, not the built-in record-mode agents of the local run
                assertThat(literal(env, "NETPORTAL_DISPATCHER_LOCAL_AGENTS")).as("%s local agents", where).isEqualTo("false");
            }
            assertThat(literal(env, "SPRING_FLYWAY_ENABLED")).as("%s SPRING_FLYWAY_ENABLED", where).isEqualTo("false");
            assertThat(env).as("%s gets no migration credentials", where).doesNotContainKeys("SPRING_FLYWAY_USER", "SPRING_FLYWAY_PASSWORD");
            List<Map<String, Object>> containerPorts = listOfMaps(container.get("ports"), where + " ports");
            assertThat(containerPorts).extracting(p -> p.get("containerPort")).as("%s port", where).containsExactly(ports.get(component));
        }
        // with the production values, the HPAs own the replica counts of UI and API
        for (String component : List.of("ui", "api")) {
            Map<String, Object> hpa = one(manifests, "HorizontalPodAutoscaler", component);
            assertThat(at(hpa, "spec", "scaleTargetRef", "name")).isEqualTo(name(one(manifests, "Deployment", component)));
            assertThat(map(at(one(manifests, "Deployment", component), "spec"), component + " spec"))
                    .as("Deployment %s leaves its replicas to the autoscaler", component).doesNotContainKey("replicas");
        }

        Map<String, Object> job = manifests.stream().filter(m -> "Job".equals(m.get("kind"))).findFirst()
                .orElseThrow(() -> new AssertionError("no migration Job rendered"));
        Map<String, Object> annotations = map(at(job, "metadata", "annotations"), "Job annotations");
        assertThat(List.of(String.valueOf(annotations.get("helm.sh/hook")).split(",")))
                .as("the migration Job's hook events").containsExactlyInAnyOrder("pre-install", "pre-upgrade");
        assertThat(String.valueOf(annotations.get("helm.sh/hook-delete-policy"))).contains("before-hook-creation");
        Map<String, Object> jobEnv = envByName(listOfMaps(at(job, "spec", "template", "spec", "containers"), "Job containers").getFirst());
        assertThat(literal(jobEnv, "NETPORTAL_MODE")).isEqualTo("migrate");
        assertThat(literal(jobEnv, "SPRING_FLYWAY_URL")).startsWith("jdbc:postgresql://");
        assertThat(literal(jobEnv, "SPRING_FLYWAY_USER")).as("the migration user of the production values").isEqualTo("netportal_owner");
        assertThat(secretRef(jobEnv, "SPRING_FLYWAY_PASSWORD")).containsEntry("name", "netportal-db-owner");
    }

    @ParameterizedTest
    @ValueSource(strings = {DEFAULT_VALUES, PRODUCTION_VALUES})
    void apiPodsAloneReadTheRevisionSigningKeyFromItsSecret(String values) {
        List<Map<String, Object>> manifests = render(values);
        assertSigningKey(manifests, "netportal-revision-signing", "signing-key.pem");
        // agents dial out: there are no agent URLs, so no networks to restrict them to
        assertThat(renderedText(values)).as("rendered manifests").doesNotContain("NETPORTAL_AGENT_NETWORKS");
    }

    @Test
    void theSigningKeySecretAndItsKeyAreTakenFromTheValues() {
        List<Map<String, Object>> manifests = render(PRODUCTION_VALUES,
                "--set", "revisionSigning.existingSecret=portal-ed25519", "--set", "revisionSigning.existingSecretKey=portal.pem");
        assertSigningKey(manifests, "portal-ed25519", "portal.pem");
    }

    @Test
    void withoutASigningKeySecretTheChartDoesNotRender() {
        // each API pod would otherwise sign with a key of its own, made at start, that no agent trusts
        List<String> command = new ArrayList<>(List.of("template", "netportal", CHART.toString(), "--namespace", "netportal"));
        command.addAll(valuesArgs(PRODUCTION_VALUES));
        command.addAll(List.of("--set", "revisionSigning.existingSecret="));
        Result rendered = helm(command);
        assertThat(rendered.exitCode()).as("helm %s exit code", String.join(" ", command)).isNotZero();
        assertThat(rendered.output()).contains("revisionSigning.existingSecret is required");
    }

    /**
     * The API pods name the key file in NETPORTAL_REVISIONS_SIGNING_KEY_FILE and mount the Secret's key there,
     * read-only and readable by the pod's group only; no other pod gets the Secret, the mount or the variable.
     */
    private static void assertSigningKey(List<Map<String, Object>> manifests, String secretName, String secretKey) {
        Map<String, Object> apiDeployment = one(manifests, "Deployment", "api");
        Map<String, Object> apiPod = map(at(apiDeployment, "spec", "template", "spec"), "API pod spec");
        Map<String, Object> api = listOfMaps(apiPod.get("containers"), "API containers").getFirst();
        String keyFile = literal(envByName(api), "NETPORTAL_REVISIONS_SIGNING_KEY_FILE");
        assertThat(keyFile).as("the signing key file of the API pods").isEqualTo(SIGNING_KEY_DIR + "/" + secretKey);

        List<Map<String, Object>> mounts = listOfMaps(api.getOrDefault("volumeMounts", List.of()), "API volumeMounts").stream()
                .filter(m -> SIGNING_KEY_DIR.equals(m.get("mountPath"))).toList();
        assertThat(mounts).as("API mounts at %s", SIGNING_KEY_DIR).hasSize(1);
        assertThat(mounts.getFirst().get("readOnly")).as("the signing key mount is read-only").isEqualTo(true);
        Map<String, Object> volume = listOfMaps(apiPod.get("volumes"), "API volumes").stream()
                .filter(v -> mounts.getFirst().get("name").equals(v.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no volume " + mounts.getFirst().get("name") + " in the API pods"));
        Map<String, Object> secret = map(volume.get("secret"), "the signing key volume's secret");
        assertThat(secret.get("secretName")).as("the signing key Secret").isEqualTo(secretName);
        // the file named by the variable is the Secret's key: with items, the key's path; without, the key itself
        String fileName = keyFile.substring(SIGNING_KEY_DIR.length() + 1);
        List<Map<String, Object>> items = listOfMaps(secret.getOrDefault("items", List.of()), "items");
        if (items.isEmpty()) {
            assertThat(fileName).isEqualTo(secretKey);
        } else {
            assertThat(items).as("the Secret's items").anySatisfy(item -> {
                assertThat(item.get("key")).isEqualTo(secretKey);
                assertThat(item.get("path")).isEqualTo(fileName);
            });
        }
        int mode = ((Number) secret.getOrDefault("defaultMode", 0644)).intValue();
        assertThat(mode & 0007).as("the private key is not readable by others (mode %o)", mode).isZero();
        assertThat(mode & 0040).as("the private key is readable by the pod's group (mode %o)", mode).isNotZero();
        assertThat(at(apiPod, "securityContext", "fsGroup")).as("the pod's group owns the key file").isNotNull();

        for (Map<String, Object> workload : manifests.stream().filter(m -> List.of("Deployment", "Job").contains(m.get("kind"))).toList()) {
            String name = kindAndName(workload);
            if (name.equals(kindAndName(apiDeployment))) {
                continue;
            }
            Map<String, Object> podSpec = map(at(workload, "spec", "template", "spec"), name + " pod spec");
            assertThat(listOfMaps(podSpec.getOrDefault("volumes", List.of()), "volumes"))
                    .as("%s volumes", name).noneMatch(v -> secretName.equals(at(v, "secret", "secretName")));
            for (Map<String, Object> container : listOfMaps(podSpec.get("containers"), name + " containers")) {
                assertThat(mounts(container)).as("%s mounts", name).doesNotContain(SIGNING_KEY_DIR);
                assertThat(envByName(container)).as("%s env", name).doesNotContainKey("NETPORTAL_REVISIONS_SIGNING_KEY_FILE");
            }
        }
    }

    @Test
    void productionValuesPutNoSecretIntoAnyManifest() {
        List<Map<String, Object>> manifests = render(PRODUCTION_VALUES);
        assertThat(manifests).as("no Secret is rendered when existing Secrets are named")
                .noneMatch(m -> "Secret".equals(m.get("kind")));
        for (Map<String, Object> manifest : manifests) {
            if ("ConfigMap".equals(manifest.get("kind"))) {
                assertThat(mapOrEmpty(manifest.get("data")).keySet()).as("ConfigMap keys").noneMatch(HelmChartTest::looksSecret);
            }
            if (!List.of("Deployment", "Job").contains(manifest.get("kind"))) {
                continue;
            }
            for (Map<String, Object> container : listOfMaps(at(manifest, "spec", "template", "spec", "containers"), "containers")) {
                for (Map<String, Object> entry : listOfMaps(container.getOrDefault("env", List.of()), "env")) {
                    String envName = String.valueOf(entry.get("name"));
                    if (looksSecret(envName)) {
                        String where = kindAndName(manifest) + " env " + envName;
                        assertThat(entry).as("%s must not hold a literal value", where).doesNotContainKey("value");
                        assertThat(at(entry, "valueFrom", "secretKeyRef")).as("%s comes from a Secret", where).isNotNull();
                    }
                }
            }
        }
        Map<String, Object> uiEnv = envByName(listOfMaps(at(one(manifests, "Deployment", "ui"), "spec", "template", "spec", "containers"), "c").getFirst());
        assertThat(secretRef(uiEnv, "NETPORTAL_OIDC_CLIENT_SECRET")).containsEntry("name", "netportal-oidc").containsEntry("key", "client-secret");
        assertThat(secretRef(uiEnv, "SPRING_R2DBC_PASSWORD")).containsEntry("name", "netportal-db-app");
    }

    @ParameterizedTest
    @ValueSource(strings = {DEFAULT_VALUES, PRODUCTION_VALUES})
    void ingressRoutesTheApiAndTheAgentsToTheApiAndTheRestToTheUi(String values) {
        List<Map<String, Object>> manifests = render(values);
        String apiService = name(one(manifests, "Service", "api"));
        String uiService = name(one(manifests, "Service", "ui"));
        Map<String, String> routes = new LinkedHashMap<>();  // path -> service
        for (Map<String, Object> ingress : manifests.stream().filter(m -> "Ingress".equals(m.get("kind"))).toList()) {
            for (Map<String, Object> rule : listOfMaps(at(ingress, "spec", "rules"), "rules")) {
                for (Map<String, Object> path : listOfMaps(at(rule, "http", "paths"), "paths")) {
                    routes.put(String.valueOf(path.get("path")), String.valueOf(at(path, "backend", "service", "name")));
                }
            }
        }
        assertThat(routes).as("Ingress routes").containsEntry("/api", apiService).containsEntry("/agent", apiService)
                .containsEntry("/v3/api-docs", apiService).containsEntry("/", uiService);
        // the Services select the pods of their own component
        for (String component : List.of("ui", "api")) {
            assertThat(map(at(one(manifests, "Service", component), "spec", "selector"), "selector"))
                    .containsEntry("app.kubernetes.io/component", component);
        }
        // sticky sessions for the UI only
        Map<String, Object> uiIngress = one(manifests, "Ingress", "ui");
        assertThat(map(at(uiIngress, "metadata", "annotations"), "UI Ingress annotations"))
                .containsEntry("nginx.ingress.kubernetes.io/affinity", "cookie");
        Map<String, Object> apiAnnotations = mapOrEmpty(at(one(manifests, "Ingress", "api"), "metadata", "annotations"));
        assertThat(apiAnnotations).doesNotContainKey("nginx.ingress.kubernetes.io/affinity");
        // the agents' long-lived streams go through the API's Ingress
        assertThat(apiAnnotations).as("API Ingress annotations")
                .containsEntry("nginx.ingress.kubernetes.io/proxy-read-timeout", "3600")
                .containsEntry("nginx.ingress.kubernetes.io/proxy-send-timeout", "3600");
    }

    @Test
    void theApiIngressKeepsItsStreamTimeoutsNextToTheUsersAnnotations() {
        List<Map<String, Object>> manifests = render(PRODUCTION_VALUES,
                "--set", "ingress.api.annotations.nginx\\.ingress\\.kubernetes\\.io/proxy-body-size=1m");
        assertThat(map(at(one(manifests, "Ingress", "api"), "metadata", "annotations"), "API Ingress annotations"))
                .containsEntry("nginx.ingress.kubernetes.io/proxy-body-size", "1m")
                .containsEntry("nginx.ingress.kubernetes.io/proxy-read-timeout", "3600")
                .containsEntry("nginx.ingress.kubernetes.io/proxy-send-timeout", "3600")
                .as("the annotations of both Ingresses").containsEntry("cert-manager.io/cluster-issuer", "letsencrypt");
    }

    @ParameterizedTest
    @ValueSource(strings = {DEFAULT_VALUES, PRODUCTION_VALUES})
    void disruptionBudgetsSelectTheirDeploymentsPods(String values) {
        List<Map<String, Object>> manifests = render(values);
        for (String component : List.of("ui", "api")) {
            Map<String, Object> podLabels = map(at(one(manifests, "Deployment", component), "spec", "template", "metadata", "labels"), "labels");
            Map<String, Object> selector = map(at(one(manifests, "PodDisruptionBudget", component), "spec", "selector", "matchLabels"), "selector");
            assertThat(podLabels).as("pods of %s match their PodDisruptionBudget", component).containsAllEntriesOf(selector);
        }
        assertThat(manifests.stream().filter(m -> "PodDisruptionBudget".equals(m.get("kind")))).as("PodDisruptionBudgets").hasSize(2);
    }

    // ---- TLS ----

    @Test
    void theDefaultValuesServeHttpsWithTheReleasesCertificateSecret() {
        List<Map<String, Object>> manifests = render(DEFAULT_VALUES);
        for (String component : List.of("ui", "api")) {
            Map<String, Object> ingress = one(manifests, "Ingress", component);
            assertThat(tlsHostsBySecret(ingress)).as("TLS of the %s Ingress", component)
                    .isEqualTo(Map.of("netportal-tls", ruleHosts(ingress)));
            assertThat(mapOrEmpty(at(ingress, "metadata", "annotations")).keySet()).as("no cert-manager without an issuer")
                    .noneMatch(key -> key.startsWith("cert-manager.io/"));
        }
        assertThat(map(at(one(manifests, "Ingress", "ui"), "metadata", "annotations"), "UI Ingress annotations"))
                .as("the affinity cookie only over HTTPS").containsEntry("nginx.ingress.kubernetes.io/session-cookie-secure", "true");
        assertThat(uiBaseUrl(manifests)).as("the sign-in redirects' base").isEqualTo("https://netportal.example");
    }

    @Test
    void tlsIsOffOnlyWhenAskedFor() {
        // settings around TLS leave it on
        for (String[] args : List.of(
                new String[] {"--set", "ingress.tls.secretName="},
                new String[] {"--set", "ingress.tls.certManagerIssuer="},
                new String[] {"--set", "ingress.api.host=api.netportal.example"},
                new String[] {"--set", "ingress.annotations.example\\.com/x=y"})) {
            List<Map<String, Object>> manifests = render(DEFAULT_VALUES, args);
            for (String component : List.of("ui", "api")) {
                assertThat(tlsHostsBySecret(one(manifests, "Ingress", component))).as("TLS of %s with %s", component, List.of(args)).isNotEmpty();
            }
        }
        List<Map<String, Object>> plain = render(DEFAULT_VALUES, "--set", "ingress.tls.enabled=false");
        for (String component : List.of("ui", "api")) {
            assertThat(map(at(one(plain, "Ingress", component), "spec"), "Ingress spec")).as("%s Ingress without TLS", component)
                    .doesNotContainKey("tls");
        }
        assertThat(mapOrEmpty(at(one(plain, "Ingress", "ui"), "metadata", "annotations")))
                .doesNotContainKey("nginx.ingress.kubernetes.io/session-cookie-secure");
        assertThat(uiBaseUrl(plain)).isEqualTo("http://netportal.example");
    }

    @Test
    void aCertManagerIssuerAsksForEachSecretOnTheIngressThatOwnsIt() {
        // one host: the UI's Ingress asks for the certificate, the API's shares its Secret
        List<Map<String, Object>> oneHost = render(DEFAULT_VALUES, "--set", "ingress.tls.certManagerIssuer=letsencrypt");
        assertThat(mapOrEmpty(at(one(oneHost, "Ingress", "ui"), "metadata", "annotations")))
                .containsEntry("cert-manager.io/cluster-issuer", "letsencrypt");
        assertThat(mapOrEmpty(at(one(oneHost, "Ingress", "api"), "metadata", "annotations"))).doesNotContainKey("cert-manager.io/cluster-issuer");
        assertThat(tlsHostsBySecret(one(oneHost, "Ingress", "api"))).containsOnlyKeys("netportal-tls");

        // the API on a host of its own: a Secret of its own, asked for by its own Ingress; an Issuer in the namespace
        List<Map<String, Object>> twoHosts = render(DEFAULT_VALUES, "--set", "ingress.tls.certManagerIssuer=internal-ca",
                "--set", "ingress.tls.certManagerIssuerKind=Issuer", "--set", "ingress.api.host=api.netportal.example");
        assertThat(tlsHostsBySecret(one(twoHosts, "Ingress", "ui"))).isEqualTo(Map.of("netportal-tls", List.of("netportal.example")));
        assertThat(tlsHostsBySecret(one(twoHosts, "Ingress", "api"))).isEqualTo(Map.of("netportal-api-tls", List.of("api.netportal.example")));
        for (String component : List.of("ui", "api")) {
            assertThat(mapOrEmpty(at(one(twoHosts, "Ingress", component), "metadata", "annotations")))
                    .containsEntry("cert-manager.io/issuer", "internal-ca").doesNotContainKey("cert-manager.io/cluster-issuer");
        }

        // the production values: cert-manager for both hosts, each with its Secret
        List<Map<String, Object>> production = render(PRODUCTION_VALUES);
        assertThat(tlsHostsBySecret(one(production, "Ingress", "ui"))).isEqualTo(Map.of("netportal-tls", List.of("netportal.example")));
        assertThat(tlsHostsBySecret(one(production, "Ingress", "api"))).isEqualTo(Map.of("netportal-api-tls", List.of("api.netportal.example")));
    }

    @Test
    void settingsThatCannotWorkDoNotRender() {
        // cert-manager would make one certificate per Secret: the API's host would get none
        assertRenderFails("the API's host needs a TLS Secret of its own", "--set", "ingress.tls.certManagerIssuer=letsencrypt",
                "--set", "ingress.api.host=api.netportal.example", "--set", "ingress.api.tlsSecretName=netportal-tls");
        assertRenderFails("certManagerIssuerKind must be ClusterIssuer or Issuer", "--set", "ingress.tls.certManagerIssuer=x",
                "--set", "ingress.tls.certManagerIssuerKind=Certificate");
        // a policy whose only ingress rule has an empty peer would let every pod of the cluster in
        assertRenderFails("networkPolicy.ingressController needs a namespaceSelector or a podSelector",
                "--set", "networkPolicy.ingressController.namespaceSelector=null", "--set", "networkPolicy.ingressController.podSelector=null");
    }

    // ---- NetworkPolicies ----

    @ParameterizedTest
    @ValueSource(strings = {DEFAULT_VALUES, PRODUCTION_VALUES})
    void everyPodOfTheReleaseIsIsolatedInBothDirections(String values) {
        List<Map<String, Object>> manifests = render(values);
        List<Map<String, Object>> policies = manifests.stream().filter(m -> "NetworkPolicy".equals(m.get("kind"))).toList();
        assertThat(policies).as("NetworkPolicies").hasSize(3);
        for (Map<String, Object> workload : manifests.stream().filter(m -> List.of("Deployment", "Job").contains(m.get("kind"))).toList()) {
            Map<String, Object> podLabels = map(at(workload, "spec", "template", "metadata", "labels"), kindAndName(workload) + " pod labels");
            List<Map<String, Object>> selecting = policies.stream()
                    .filter(p -> podLabels.entrySet().containsAll(map(at(p, "spec", "podSelector", "matchLabels"), "podSelector").entrySet()))
                    .toList();
            assertThat(selecting).as("NetworkPolicies selecting the pods of %s", kindAndName(workload)).hasSize(1);
            assertThat(list(at(selecting.getFirst(), "spec", "policyTypes"), "policyTypes")).as("%s policy types", kindAndName(workload))
                    .containsExactlyInAnyOrder("Ingress", "Egress");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {DEFAULT_VALUES, PRODUCTION_VALUES})
    void theUiAndTheApiAreReachedThroughTheIngressControllerOnly(String values) {
        List<Map<String, Object>> manifests = render(values);
        Map<String, Object> controller = Map.of(
                "namespaceSelector", Map.of("matchLabels", Map.of("kubernetes.io/metadata.name", "ingress-nginx")),
                "podSelector", Map.of("matchLabels", Map.of("app.kubernetes.io/name", "ingress-nginx")));
        for (String component : List.of("ui", "api")) {
            Map<String, Object> policy = one(manifests, "NetworkPolicy", component);
            Map<String, Object> container = listOfMaps(at(one(manifests, "Deployment", component), "spec", "template", "spec", "containers"), "containers").getFirst();
            Object containerPort = listOfMaps(container.get("ports"), "ports").getFirst().get("containerPort");
            List<Map<String, Object>> rules = listOfMaps(at(policy, "spec", "ingress"), component + " ingress rules");
            assertThat(rules).as("%s ingress rules", component).hasSize(1);
            assertThat(listOfMaps(rules.getFirst().get("from"), "from")).as("%s reached from", component).containsExactly(controller);
            assertThat(listOfMaps(rules.getFirst().get("ports"), "ports")).as("%s reached on", component)
                    .containsExactly(Map.of("port", containerPort, "protocol", "TCP"));
        }
    }

    @Test
    void withTheDefaultValuesThePodsReachDnsTheDatabaseAndTheSignInProviderOnly() {
        List<Map<String, Object>> manifests = render(DEFAULT_VALUES);
        Map<String, Object> kubeDns = Map.of(
                "namespaceSelector", Map.of("matchLabels", Map.of("kubernetes.io/metadata.name", "kube-system")),
                "podSelector", Map.of("matchLabels", Map.of("k8s-app", "kube-dns")));
        for (String component : List.of("ui", "api", "migration")) {
            Map<String, Object> policy = one(manifests, "NetworkPolicy", component);
            List<Map<String, Object>> egress = listOfMaps(at(policy, "spec", "egress"), component + " egress");
            // every rule names its ports: nothing is open on every port
            assertThat(egress).as("%s egress rules", component).allSatisfy(rule -> assertThat(rule.get("ports")).isNotNull());
            assertThat(egressTo(egress, "53/UDP")).as("%s DNS over UDP", component).containsExactly(kubeDns);
            assertThat(egressTo(egress, "53/TCP")).as("%s DNS over TCP", component).containsExactly(kubeDns);
            // without addresses in the values, the database's port is open to any address, but only that port
            assertThat(egressPorts(egress)).as("%s egress ports", component).containsExactlyInAnyOrderElementsOf(
                    component.equals("migration") ? List.of("53/UDP", "53/TCP", "5432/TCP") : List.of("53/UDP", "53/TCP", "5432/TCP", "443/TCP"));
        }
        Map<String, Object> migration = one(manifests, "NetworkPolicy", "migration");
        assertThat(list(map(at(migration, "spec"), "migration policy spec").getOrDefault("ingress", List.of()), "ingress"))
                .as("nothing connects to the migration Job").isEmpty();
    }

    @Test
    void theProductionValuesNameEveryDestination() {
        List<Map<String, Object>> manifests = render(PRODUCTION_VALUES);
        Map<String, Object> postgres = Map.of(
                "namespaceSelector", Map.of("matchLabels", Map.of("kubernetes.io/metadata.name", "databases")),
                "podSelector", Map.of("matchLabels", Map.of("app.kubernetes.io/name", "postgresql")));
        for (String component : List.of("ui", "api", "migration")) {
            List<Map<String, Object>> egress = listOfMaps(at(one(manifests, "NetworkPolicy", component), "spec", "egress"), component + " egress");
            assertThat(egress).as("%s: every egress rule names where it goes", component)
                    .allSatisfy(rule -> assertThat(list(rule.get("to"), "to")).isNotEmpty());
            assertThat(egressTo(egress, "5432/TCP")).as("%s to the database", component).containsExactly(postgres);
            if (!component.equals("migration")) {
                assertThat(egressTo(egress, "443/TCP")).as("%s to the sign-in provider", component).containsExactly(
                        Map.of("ipBlock", Map.of("cidr", "203.0.113.10/32")), Map.of("ipBlock", Map.of("cidr", "203.0.113.11/32")));
            }
        }
    }

    @Test
    void theDatabaseAndSignInPortsFollowTheirSettings() {
        List<Map<String, Object>> manifests = render(PRODUCTION_VALUES, "--set", "database.port=6432",
                "--set", "config.oidc.issuer=https://sso.example:8443/realms/netportal", "--set", "networkPolicy.egress.database.cidrs={10.20.0.15/32}");
        for (String component : List.of("ui", "api")) {
            List<Map<String, Object>> egress = listOfMaps(at(one(manifests, "NetworkPolicy", component), "spec", "egress"), component + " egress");
            assertThat(egressPorts(egress)).as("%s egress ports", component).containsExactlyInAnyOrder("53/UDP", "53/TCP", "6432/TCP", "8443/TCP");
            assertThat(egressTo(egress, "6432/TCP")).as("%s to the database: its CIDR and its pods", component)
                    .contains(Map.of("ipBlock", Map.of("cidr", "10.20.0.15/32")));
        }
    }

    @Test
    void theMigrationJobsPolicyExistsBeforeTheJobRuns() {
        List<Map<String, Object>> manifests = render(DEFAULT_VALUES);
        Map<String, Object> policy = one(manifests, "NetworkPolicy", "migration");
        Map<String, Object> job = one(manifests, "Job", "migration");
        Map<String, Object> policyHook = map(at(policy, "metadata", "annotations"), "policy annotations");
        Map<String, Object> jobHook = map(at(job, "metadata", "annotations"), "Job annotations");
        // the release's own resources are made after the pre-install hooks: the policy must be a hook itself
        assertThat(List.of(String.valueOf(policyHook.get("helm.sh/hook")).split(","))).as("the policy's hook events")
                .containsExactlyInAnyOrder("pre-install", "pre-upgrade");
        assertThat(Integer.parseInt(String.valueOf(policyHook.get("helm.sh/hook-weight"))))
                .as("the policy's hook weight, before the Job's").isLessThan(Integer.parseInt(String.valueOf(jobHook.get("helm.sh/hook-weight"))));
        assertThat(String.valueOf(policyHook.get("helm.sh/hook-delete-policy"))).contains("before-hook-creation");
    }

    @Test
    void networkPoliciesAreLeftOutOnlyWhenAskedFor() {
        assertThat(render(DEFAULT_VALUES, "--set", "networkPolicy.enabled=false")).as("manifests")
                .noneMatch(m -> "NetworkPolicy".equals(m.get("kind")));
        assertThat(render(DEFAULT_VALUES, "--set", "ingress.enabled=false", "--set", "config.uiBaseUrl=https://netportal.example"))
                .as("without the chart's Ingress the pods stay isolated").filteredOn(m -> "NetworkPolicy".equals(m.get("kind"))).hasSize(3);
    }

    private static void assertRenderFails(String message, String... args) {
        List<String> command = new ArrayList<>(List.of("template", "netportal", CHART.toString(), "--namespace", "netportal"));
        command.addAll(List.of(args));
        Result rendered = helm(command);
        assertThat(rendered.exitCode()).as("helm %s exit code", String.join(" ", command)).isNotZero();
        assertThat(rendered.output()).contains(message);
    }

    /** The Ingress's TLS entries: Secret name -> hosts. */
    private static Map<String, Object> tlsHostsBySecret(Map<String, Object> ingress) {
        Map<String, Object> secrets = new LinkedHashMap<>();
        for (Map<String, Object> tls : listOfMaps(mapOrEmpty(at(ingress, "spec")).getOrDefault("tls", List.of()), "tls")) {
            secrets.put(String.valueOf(tls.get("secretName")), list(tls.get("hosts"), "tls hosts"));
        }
        return secrets;
    }

    private static List<Object> ruleHosts(Map<String, Object> ingress) {
        return listOfMaps(at(ingress, "spec", "rules"), "rules").stream().map(rule -> rule.get("host")).distinct().toList();
    }

    private static String uiBaseUrl(List<Map<String, Object>> manifests) {
        Map<String, Object> configMap = manifests.stream().filter(m -> "ConfigMap".equals(m.get("kind"))).findFirst()
                .orElseThrow(() -> new AssertionError("no ConfigMap rendered"));
        return String.valueOf(map(configMap.get("data"), "ConfigMap data").get("NETPORTAL_UI_BASE_URL"));
    }

    /** The "port/protocol" entries of egress rules. */
    private static List<String> egressPorts(List<Map<String, Object>> egress) {
        List<String> ports = new ArrayList<>();
        for (Map<String, Object> rule : egress) {
            for (Map<String, Object> port : listOfMaps(rule.getOrDefault("ports", List.of()), "ports")) {
                ports.add(port.get("port") + "/" + port.getOrDefault("protocol", "TCP"));
            }
        }
        return ports;
    }

    /** The peers that egress rules allow on a "port/protocol"; an empty list where a rule allows every address. */
    private static List<Object> egressTo(List<Map<String, Object>> egress, String port) {
        List<Object> peers = new ArrayList<>();
        for (Map<String, Object> rule : egress) {
            if (egressPorts(List.of(rule)).contains(port)) {
                peers.addAll(list(rule.getOrDefault("to", List.of()), "to"));
            }
        }
        return peers;
    }

    // ---- running helm ----

    private record Result(int exitCode, String output) {
    }

    private static List<String> valuesArgs(String values) {
        return DEFAULT_VALUES.equals(values) ? List.of() : List.of("-f", CHART.resolve(values).toString());
    }

    /** The manifests that helm template renders with these values and more arguments (e.g. --set). */
    private static List<Map<String, Object>> render(String values, String... moreArgs) {
        List<Map<String, Object>> manifests = new ArrayList<>();
        for (Object document : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(renderedText(values, moreArgs))) {
            if (document != null) {
                manifests.add(map(document, "a rendered document"));
            }
        }
        assertThat(manifests).as("rendered manifests").isNotEmpty();
        return manifests;
    }

    private static String renderedText(String values, String... moreArgs) {
        List<String> command = new ArrayList<>(List.of("template", "netportal", CHART.toString(), "--namespace", "netportal"));
        command.addAll(valuesArgs(values));
        command.addAll(List.of(moreArgs));
        Result rendered = helm(command);
        assertThat(rendered.exitCode())
                .as("helm %s exited with %d:%n%s", String.join(" ", command), rendered.exitCode(), rendered.output())
                .isZero();
        return rendered.output();
    }

    private static Result helm(List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(helm.toString());
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("HELM_CACHE_HOME", helmHome.resolve("cache").toString());
        builder.environment().put("HELM_CONFIG_HOME", helmHome.resolve("config").toString());
        builder.environment().put("HELM_DATA_HOME", helmHome.resolve("data").toString());
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            // read before waiting: a full pipe would block helm
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                fail("helm %s did not finish in 2 minutes", String.join(" ", args));
            }
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            throw new AssertionError("could not run " + command + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running helm", e);
        }
    }

    // ---- reading the manifests ----

    /** The one manifest of a kind whose component label is the given one. */
    private static Map<String, Object> one(List<Map<String, Object>> manifests, String kind, String component) {
        List<Map<String, Object>> found = manifests.stream()
                .filter(m -> kind.equals(m.get("kind")))
                .filter(m -> component.equals(mapOrEmpty(at(m, "metadata", "labels")).get("app.kubernetes.io/component")))
                .toList();
        assertThat(found).as("%s of component %s", kind, component).hasSize(1);
        return found.getFirst();
    }

    private static String name(Map<String, Object> manifest) {
        return String.valueOf(at(manifest, "metadata", "name"));
    }

    private static String kindAndName(Map<String, Object> manifest) {
        return manifest.get("kind") + " " + name(manifest);
    }

    private static boolean looksSecret(String envName) {
        String upper = envName.toUpperCase();
        return upper.contains("PASSWORD") || upper.contains("SECRET") || upper.contains("TOKEN") || upper.contains("CREDENTIAL");
    }

    private static Map<String, Object> envByName(Map<String, Object> container) {
        Map<String, Object> env = new LinkedHashMap<>();
        for (Map<String, Object> entry : listOfMaps(container.getOrDefault("env", List.of()), "env")) {
            Object previous = env.put(String.valueOf(entry.get("name")), entry);
            assertThat(previous).as("env %s set twice in container %s", entry.get("name"), container.get("name")).isNull();
        }
        return env;
    }

    private static String literal(Map<String, Object> env, String name) {
        Map<String, Object> entry = map(env.get(name), "env " + name);
        return String.valueOf(entry.get("value"));
    }

    private static Map<String, Object> secretRef(Map<String, Object> env, String name) {
        return map(at(map(env.get(name), "env " + name), "valueFrom", "secretKeyRef"), "env " + name + " secretKeyRef");
    }

    private static List<String> mounts(Map<String, Object> container) {
        return listOfMaps(container.getOrDefault("volumeMounts", List.of()), "volumeMounts").stream()
                .map(m -> String.valueOf(m.get("mountPath"))).toList();
    }

    private static List<String> containerPortNames(Map<String, Object> container) {
        List<String> names = new ArrayList<>();
        for (Map<String, Object> port : listOfMaps(container.getOrDefault("ports", List.of()), "ports")) {
            names.add(String.valueOf(port.get("name")));
            names.add(String.valueOf(port.get("containerPort")));
        }
        return names;
    }

    /** The value at a path of map keys, or null where the path ends early. */
    static Object at(Object root, String... path) {
        Object current = root;
        for (String key : path) {
            if (!(current instanceof Map<?, ?> m)) {
                return null;
            }
            current = m.get(key);
        }
        return current;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value, String what) {
        assertThat(value).as(what).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }

    static Map<String, Object> mapOrEmpty(Object value) {
        return value == null ? Map.of() : map(value, "a map");
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object value, String what) {
        assertThat(value).as(what).isInstanceOf(List.class);
        return (List<Object>) value;
    }

    static List<Map<String, Object>> listOfMaps(Object value, String what) {
        return list(value, what).stream().map(item -> map(item, what + " item")).toList();
    }
}

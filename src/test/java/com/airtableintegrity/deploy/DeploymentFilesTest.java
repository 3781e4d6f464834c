package com.airtableintegrity.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The deployment files (Dockerfile, .dockerignore, deploy/kubernetes/*.yaml) agree with each other and with
 * application.yaml: the port, the env variable names, the shutdown bound, the secret handling. Files are read
 * relative to the project root, which is Maven's working directory for tests.
 */
class DeploymentFilesTest {

    private static final Path ROOT = Path.of("").toAbsolutePath();
    private static final Path KUBERNETES = ROOT.resolve("deploy/kubernetes");
    private static final Path DOCKERFILE = ROOT.resolve("Dockerfile");

    /** Env names the Deployment may set although application.yaml does not read them: the JVM's and Google's. */
    private static final Set<String> STANDARD_ENV = Set.of("JAVA_TOOL_OPTIONS", "GOOGLE_APPLICATION_CREDENTIALS");

    private static final Pattern ENV_PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*):([^}]*)}");
    private static final Pattern SECRET_NAME = Pattern.compile("TOKEN|SECRET|PASSWORD|PASSWD|KEY|CREDENTIAL",
            Pattern.CASE_INSENSITIVE);
    /** An Airtable personal access token: "pat", 14 characters, ".", 64 hex digits. */
    private static final Pattern AIRTABLE_PAT = Pattern.compile("pat[A-Za-z0-9]{14}\\.[0-9a-f]{64}");

    // ---------------------------------------------------------------- manifests

    @Test
    void everyManifestParsesAsYamlAndHasApiVersionAndKind() {
        List<Path> files = manifestFiles();
        assertThat(files).extracting(p -> p.getFileName().toString())
                .contains("deployment.yaml", "secret.example.yaml", "serviceaccount.yaml");
        Set<String> kinds = new LinkedHashSet<>();
        for (Path file : files) {
            List<Map<String, Object>> docs = documents(file);
            assertThat(docs).as(file + " holds at least one document").isNotEmpty();
            for (Map<String, Object> doc : docs) {
                assertThat(doc.get("apiVersion")).as(file + ": apiVersion").isInstanceOf(String.class);
                assertThat(doc.get("kind")).as(file + ": kind").isInstanceOf(String.class);
                kinds.add((String) doc.get("kind"));
            }
        }
        assertThat(kinds).contains("Deployment", "Secret", "ServiceAccount");
    }

    @Test
    void kustomizationListsExistingManifestsButNotTheSecretExample() {
        Map<String, Object> kustomization = single("kustomization.yaml", "Kustomization");
        List<String> resources = strings(kustomization.get("resources"));
        assertThat(resources).contains("deployment.yaml", "serviceaccount.yaml").doesNotContain("secret.example.yaml");
        for (String resource : resources) {
            assertThat(KUBERNETES.resolve(resource)).as("kustomization resource " + resource).isRegularFile();
        }
    }

    @Test
    void deploymentRunsOneReplica() {
        assertThat(deployment().get("spec")).extracting(s -> map(s).get("replicas")).isEqualTo(1);
    }

    @Test
    void containerPortEqualsTheDefaultOfServerPortInApplicationYaml() {
        int serverPort = Integer.parseInt(envDefault(applicationYamlValue("server", "port"), "SERVER_PORT"));
        Map<String, Object> port = containerPort("http");
        assertThat(port.get("containerPort")).isEqualTo(serverPort);
        assertThat(envNames(container())).as("SERVER_PORT is not overridden away from the container port")
                .doesNotContain("SERVER_PORT");
    }

    @Test
    void probesUseTheHealthGroupPathsOnTheContainerPort() {
        Map<String, Object> container = container();
        assertThat(httpGet(container, "livenessProbe").get("path")).isEqualTo("/actuator/health/liveness");
        assertThat(httpGet(container, "readinessProbe").get("path")).isEqualTo("/actuator/health/readiness");
        assertThat(httpGet(container, "startupProbe").get("path")).asString().startsWith("/actuator/health/");
        for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
            Object port = httpGet(container, probe).get("port");
            Object resolved = port instanceof String name ? containerPort(name).get("containerPort") : port;
            assertThat(resolved).as(probe + " port").isEqualTo(containerPort("http").get("containerPort"));
        }
    }

    @Test
    void startupProbeAllowsAtLeastOneMinuteToBoot() {
        Map<String, Object> probe = map(container().get("startupProbe"));
        int period = (Integer) probe.getOrDefault("periodSeconds", 10);
        int failures = (Integer) probe.getOrDefault("failureThreshold", 3);
        assertThat(period * failures).isGreaterThanOrEqualTo(60);
    }

    @Test
    void healthProbeGroupsAreEnabledInApplicationYaml() {
        assertThat(applicationYamlValue("management", "endpoint", "health", "probes", "enabled")).isEqualTo(true);
    }

    @Test
    void everyDeploymentEnvNameIsReadByApplicationYamlOrIsAStandardOne() {
        Set<String> known = new LinkedHashSet<>(applicationYamlEnvNames());
        known.addAll(STANDARD_ENV);
        assertThat(known).contains("AIRTABLE_TOKEN", "AIRTABLE_BASE_ID", "GOOGLE_CLOUD_PROJECT",
                "INTEGRITY_SHUTDOWN_TIMEOUT_SECONDS", "SERVER_PORT");
        assertThat(envNames(container())).isNotEmpty().allSatisfy(name -> assertThat(known).contains(name));
    }

    @Test
    void deploymentSetsTheRequiredSettings() {
        assertThat(envNames(container()))
                .contains("AIRTABLE_TOKEN", "AIRTABLE_BASE_ID", "GOOGLE_CLOUD_PROJECT", "INTEGRITY_SHUTDOWN_TIMEOUT_SECONDS");
    }

    @Test
    void terminationGracePeriodExceedsTheShutdownTimeout() {
        int defaultTimeout = Integer.parseInt(envDefault(
                applicationYamlValue("integrity", "shutdown", "timeout-seconds"), "INTEGRITY_SHUTDOWN_TIMEOUT_SECONDS"));
        Map<String, Object> env = env(container(), "INTEGRITY_SHUTDOWN_TIMEOUT_SECONDS");
        int configured = Integer.parseInt(String.valueOf(env.get("value")));
        int grace = (Integer) podSpec().get("terminationGracePeriodSeconds");
        assertThat(grace).isGreaterThan(defaultTimeout).isGreaterThan(configured);
    }

    @Test
    void airtableTokenComesFromTheSecretNeverFromALiteral() {
        Map<String, Object> token = env(container(), "AIRTABLE_TOKEN");
        assertThat(token).doesNotContainKey("value");
        Map<String, Object> ref = map(map(token.get("valueFrom")).get("secretKeyRef"));
        assertThat(ref).containsEntry("name", "airtable-integrity-runner").containsEntry("key", "airtable-token");

        Map<String, Object> secret = single("secret.example.yaml", "Secret");
        assertThat(map(secret.get("metadata")).get("name")).isEqualTo(ref.get("name"));
        Map<String, Object> data = secret.containsKey("stringData") ? map(secret.get("stringData"))
                : map(secret.get("data"));
        assertThat(data).containsKey((String) ref.get("key"));
    }

    @Test
    void noEnvValueInTheDeploymentLooksLikeASecret() {
        for (Object item : list(container().get("env"))) {
            Map<String, Object> env = map(item);
            String name = (String) env.get("name");
            if (env.containsKey("value")) {
                assertThat(SECRET_NAME.matcher(name).find()).as("literal value for " + name).isFalse();
                assertThat(String.valueOf(env.get("value"))).doesNotContainPattern(AIRTABLE_PAT);
            }
        }
    }

    @Test
    void secretExampleHoldsAPlaceholderNotAToken() {
        String value = String.valueOf(map(single("secret.example.yaml", "Secret").get("stringData")).get("airtable-token"));
        assertThat(value).doesNotContainPattern(AIRTABLE_PAT).doesNotStartWith("pat").containsIgnoringCase("replace");
    }

    @Test
    void podUsesTheWorkloadIdentityServiceAccount() {
        Map<String, Object> account = single("serviceaccount.yaml", "ServiceAccount");
        Map<String, Object> metadata = map(account.get("metadata"));
        assertThat(podSpec().get("serviceAccountName")).isEqualTo(metadata.get("name"));
        assertThat(map(metadata.get("annotations")).get("iam.gke.io/gcp-service-account")).asString()
                .endsWith(".iam.gserviceaccount.com");
        assertThat(envNames(container())).as("no key file: credentials come from Workload Identity")
                .doesNotContain("GOOGLE_APPLICATION_CREDENTIALS");
    }

    @Test
    void noServiceAccountTokenIsMountedIntoThePod() {
        assertThat(podSpec()).containsEntry("automountServiceAccountToken", false);
        assertThat(single("serviceaccount.yaml", "ServiceAccount")).containsEntry("automountServiceAccountToken", false);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aNetworkPolicyLetsOnlyNamedCallersReachOnlyTheHttpPort() {
        Map<String, Object> policy = single("networkpolicy.yaml", "NetworkPolicy");
        assertThat(strings(single("kustomization.yaml", "Kustomization").get("resources")))
                .contains("networkpolicy.yaml");
        Map<String, Object> spec = map(policy.get("spec"));
        Map<String, Object> podLabels = map(map(map(map(single("deployment.yaml", "Deployment").get("spec"))
                .get("template")).get("metadata")).get("labels"));
        assertThat(map(map(spec.get("podSelector")).get("matchLabels"))).isEqualTo(podLabels);
        assertThat(strings(spec.get("policyTypes"))).containsExactly("Ingress");
        List<?> rules = (List<?>) spec.get("ingress");
        assertThat(rules).hasSize(1);
        Map<String, Object> rule = map(rules.get(0));
        assertThat((List<Object>) rule.get("ports")).containsExactly(Map.of("port", "http", "protocol", "TCP"));
        assertThat((List<?>) rule.get("from")).as("named callers, never everyone").isNotEmpty();
    }

    @Test
    void podRunsAsTheImagesNonRootUser() {
        Map<String, Object> security = map(podSpec().get("securityContext"));
        assertThat(security).containsEntry("runAsNonRoot", true);
        String user = dockerUser();
        assertThat(String.valueOf(security.get("runAsUser"))).isEqualTo(user.split(":")[0]);
    }

    @Test
    void memoryLimitLeavesAtLeast200MiBOutsideTheHeapCap() {
        Map<String, Object> resources = map(container().get("resources"));
        long limit = bytes(String.valueOf(map(resources.get("limits")).get("memory")));
        long request = bytes(String.valueOf(map(resources.get("requests")).get("memory")));
        double heapShare = maxRamPercentage() / 100.0;
        // Measured on the packaged jar: ~200 MiB committed outside the heap (metaspace, GC, code, threads, gRPC).
        assertThat(limit * (1 - heapShare)).isGreaterThanOrEqualTo(200.0 * 1024 * 1024);
        // The benchmark's peak live heap for 5 tables x 50,000 records is 87 MB; the cap must hold it with room.
        assertThat(limit * heapShare).isGreaterThanOrEqualTo(4 * 87.0 * 1000 * 1000);
        assertThat(request).isLessThanOrEqualTo(limit);
    }

    // ---------------------------------------------------------------- Dockerfile

    @Test
    void dockerfileFinalStageIsAJava17JreImage() {
        String from = finalStage().get(0);
        assertThat(from).matches("(?i)FROM\\s+\\S*(temurin|openjdk|jre)\\S*:17[-.\\w]*jre\\S*(\\s+AS\\s+\\S+)?");
    }

    @Test
    void dockerfileRunsAsANonRootUser() {
        String user = dockerUser();
        assertThat(user.split(":")[0]).isNotIn("root", "0", "");
    }

    @Test
    void dockerfileStopsWithSigterm() {
        assertThat(instructions(finalStage(), "STOPSIGNAL")).containsExactly("SIGTERM");
    }

    @Test
    void dockerfileExposesTheServerPort() {
        String serverPort = envDefault(applicationYamlValue("server", "port"), "SERVER_PORT");
        assertThat(instructions(finalStage(), "EXPOSE")).containsExactly(serverPort);
    }

    @Test
    void dockerfileJvmExitsOnOutOfMemoryAndSizesTheHeapFromTheContainer() {
        String jvm = String.join(" ", instructions(finalStage(), "ENTRYPOINT")) + " "
                + String.join(" ", instructions(finalStage(), "ENV"));
        assertThat(jvm).contains("-XX:+ExitOnOutOfMemoryError").contains("-XX:MaxRAMPercentage=");
        assertThat(maxRamPercentage()).isBetween(50.0, 80.0);
    }

    @Test
    void dockerfileEntrypointIsExecFormStartingTheJarLauncher() {
        List<String> entrypoints = instructions(finalStage(), "ENTRYPOINT");
        assertThat(entrypoints).hasSize(1);
        String entrypoint = entrypoints.get(0);
        assertThat(entrypoint).startsWith("[\"java\"").endsWith("\"org.springframework.boot.loader.launch.JarLauncher\"]");
        assertThat(finalStage()).noneMatch(line -> line.toUpperCase(Locale.ROOT).startsWith("CMD"));
    }

    @Test
    void dockerfileExtractsAndCopiesEverySpringBootLayerInOrder() {
        String all = String.join("\n", dockerfileInstructions());
        assertThat(all).contains("-Djarmode=tools").contains("extract --layers --launcher");
        List<String> copies = instructions(finalStage(), "COPY");
        List<String> layers = List.of("dependencies", "spring-boot-loader", "snapshot-dependencies", "application");
        assertThat(copies).hasSize(layers.size());
        for (int i = 0; i < layers.size(); i++) {
            assertThat(copies.get(i)).startsWith("--from=").contains("/" + layers.get(i) + "/");
        }
    }

    @Test
    void dockerfileHasNoSecretInEnvOrArgAndNoKeyFile() {
        for (String line : dockerfileInstructions()) {
            String upper = line.toUpperCase(Locale.ROOT);
            if (upper.startsWith("ENV ") || upper.startsWith("ARG ")) {
                for (String[] pair : assignments(line.substring(4).trim())) {
                    boolean secretName = SECRET_NAME.matcher(pair[0]).find();
                    assertThat(secretName && !pair[1].isEmpty()).as("secret-like %s in: %s", pair[0], line).isFalse();
                    assertThat(pair[1]).doesNotContainPattern(AIRTABLE_PAT);
                }
            }
            assertThat(upper).as("no key file or ADC path in the image: " + line)
                    .doesNotContain("GOOGLE_APPLICATION_CREDENTIALS").doesNotContain(".JSON ");
        }
    }

    @Test
    void dockerignoreKeepsTheBuildInputsAndLeavesOutTargetAndGit() throws IOException {
        List<String> lines = Files.readAllLines(ROOT.resolve(".dockerignore")).stream().map(String::trim)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        boolean allowList = lines.contains("*");
        if (allowList) {
            assertThat(lines).contains("!pom.xml", "!application.yaml").anyMatch(l -> l.matches("!src/?"));
            assertThat(lines).noneMatch(l -> l.matches("!(target|\\.git)(/.*)?"));
        } else {
            assertThat(lines).anyMatch(l -> l.matches("/?target/?")).anyMatch(l -> l.matches("/?\\.git/?"));
            assertThat(lines).noneMatch(l -> l.matches("/?(pom\\.xml|application\\.yaml|src/?)"));
        }
    }

    // ---------------------------------------------------------------- application.yaml

    @SuppressWarnings("unchecked")
    private static Object applicationYamlValue(String... keys) {
        Object node = new Yaml().load(read(ROOT.resolve("application.yaml")));
        for (String key : keys) {
            assertThat(node).as("application.yaml: " + String.join(".", keys)).isInstanceOf(Map.class);
            node = ((Map<String, Object>) node).get(key);
        }
        assertThat(node).as("application.yaml: " + String.join(".", keys)).isNotNull();
        return node;
    }

    /** The default of a {@code ${NAME:default}} placeholder, checking that it reads the expected env name. */
    private static String envDefault(Object value, String envName) {
        Matcher m = ENV_PLACEHOLDER.matcher(String.valueOf(value));
        assertThat(m.matches()).as(value + " is ${" + envName + ":default}").isTrue();
        assertThat(m.group(1)).isEqualTo(envName);
        return m.group(2);
    }

    private static Set<String> applicationYamlEnvNames() {
        Matcher m = ENV_PLACEHOLDER.matcher(read(ROOT.resolve("application.yaml")));
        Set<String> names = new LinkedHashSet<>();
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    // ---------------------------------------------------------------- Kubernetes helpers

    private static List<Path> manifestFiles() {
        try (Stream<Path> files = Files.list(KUBERNETES)) {
            return files.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Map<String, Object>> documents(Path file) {
        List<Map<String, Object>> docs = new ArrayList<>();
        for (Object doc : new Yaml().loadAll(read(file))) {
            if (doc != null) {
                assertThat(doc).as(file + ": each document is a mapping").isInstanceOf(Map.class);
                docs.add(map(doc));
            }
        }
        return docs;
    }

    private static Map<String, Object> single(String file, String kind) {
        List<Map<String, Object>> matching = documents(KUBERNETES.resolve(file)).stream()
                .filter(d -> kind.equals(d.get("kind"))).toList();
        assertThat(matching).as(file + ": one " + kind).hasSize(1);
        return matching.get(0);
    }

    private static Map<String, Object> deployment() {
        return single("deployment.yaml", "Deployment");
    }

    private static Map<String, Object> podSpec() {
        return map(map(map(deployment().get("spec")).get("template")).get("spec"));
    }

    private static Map<String, Object> container() {
        List<Object> containers = list(podSpec().get("containers"));
        assertThat(containers).hasSize(1);
        return map(containers.get(0));
    }

    private static Map<String, Object> containerPort(String name) {
        return list(container().get("ports")).stream().map(DeploymentFilesTest::map)
                .filter(p -> name.equals(p.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no container port named " + name));
    }

    private static Map<String, Object> httpGet(Map<String, Object> container, String probe) {
        assertThat(container).as(probe).containsKey(probe);
        return map(map(container.get(probe)).get("httpGet"));
    }

    private static List<String> envNames(Map<String, Object> container) {
        return list(container.get("env")).stream().map(e -> (String) map(e).get("name")).toList();
    }

    private static Map<String, Object> env(Map<String, Object> container, String name) {
        return list(container.get("env")).stream().map(DeploymentFilesTest::map)
                .filter(e -> name.equals(e.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("the Deployment sets no " + name));
    }

    /** A Kubernetes memory quantity in bytes (plain, Ki/Mi/Gi or k/M/G). */
    private static long bytes(String quantity) {
        Matcher m = Pattern.compile("(\\d+)([KMG]i?|k)?").matcher(quantity);
        assertThat(m.matches()).as("memory quantity " + quantity).isTrue();
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "" : m.group(2);
        return switch (unit) {
            case "" -> n;
            case "k", "K" -> n * 1000;
            case "M" -> n * 1000 * 1000;
            case "G" -> n * 1000 * 1000 * 1000;
            case "Ki" -> n << 10;
            case "Mi" -> n << 20;
            case "Gi" -> n << 30;
            default -> throw new AssertionError(quantity);
        };
    }

    // ---------------------------------------------------------------- Dockerfile helpers

    /** Instructions without comments, continuation lines joined. */
    private static List<String> dockerfileInstructions() {
        List<String> result = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String raw : read(DOCKERFILE).split("\n")) {
            String line = raw.strip();
            if (line.startsWith("#") || (line.isEmpty() && current.length() == 0)) {
                continue;
            }
            boolean continues = line.endsWith("\\");
            current.append(continues ? line.substring(0, line.length() - 1) : line).append(' ');
            if (!continues) {
                result.add(current.toString().strip());
                current.setLength(0);
            }
        }
        if (current.length() > 0) {
            result.add(current.toString().strip());
        }
        return result;
    }

    /** The instructions from the last FROM on. */
    private static List<String> finalStage() {
        List<String> all = dockerfileInstructions();
        int last = -1;
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).toUpperCase(Locale.ROOT).startsWith("FROM ")) {
                last = i;
            }
        }
        assertThat(last).as("Dockerfile has a FROM").isGreaterThanOrEqualTo(0);
        return all.subList(last, all.size());
    }

    /** The arguments of each instruction of that keyword. */
    private static List<String> instructions(List<String> stage, String keyword) {
        return stage.stream().filter(l -> l.toUpperCase(Locale.ROOT).startsWith(keyword + " "))
                .map(l -> l.substring(keyword.length()).trim()).collect(Collectors.toList());
    }

    private static String dockerUser() {
        List<String> users = instructions(finalStage(), "USER");
        assertThat(users).as("the final stage sets USER").isNotEmpty();
        return users.get(users.size() - 1);
    }

    private static double maxRamPercentage() {
        Matcher m = Pattern.compile("-XX:MaxRAMPercentage=(\\d+(?:\\.\\d+)?)")
                .matcher(String.join(" ", dockerfileInstructions()));
        assertThat(m.find()).as("Dockerfile sets -XX:MaxRAMPercentage").isTrue();
        return Double.parseDouble(m.group(1));
    }

    /** {@code NAME=value NAME2="v"} or the legacy {@code NAME value} form of ENV / ARG. */
    private static List<String[]> assignments(String args) {
        List<String[]> pairs = new ArrayList<>();
        if (!args.contains("=") || args.indexOf(' ') >= 0 && args.indexOf(' ') < args.indexOf('=')) {
            String[] parts = args.split("\\s+", 2);
            pairs.add(new String[] {parts[0], parts.length > 1 ? parts[1] : ""});
            return pairs;
        }
        Matcher m = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(\"[^\"]*\"|'[^']*'|\\S*)").matcher(args);
        while (m.find()) {
            pairs.add(new String[] {m.group(1), m.group(2).replaceAll("^[\"']|[\"']$", "")});
        }
        return pairs;
    }

    // ---------------------------------------------------------------- generic

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object node) {
        assertThat(node).isInstanceOf(Map.class);
        return (Map<String, Object>) node;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object node) {
        assertThat(node).isInstanceOf(List.class);
        return (List<Object>) node;
    }

    private static List<String> strings(Object node) {
        return list(node).stream().map(String::valueOf).toList();
    }
}

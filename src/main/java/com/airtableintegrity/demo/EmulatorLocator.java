package com.airtableintegrity.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * Finds the launcher of Google's Firestore emulator ({@code cloud_firestore_emulator}) the way a user's machine has
 * it: {@code FIRESTORE_EMULATOR_BIN} if set; else under the Google Cloud SDK root
 * ({@code platform/cloud-firestore-emulator/}), which is {@code CLOUDSDK_ROOT_DIR}, the SDK that the {@code gcloud} on
 * the PATH belongs to, what {@code gcloud info} names (bounded to {@link #GCLOUD_INFO_SECONDS}), or one of the usual
 * install places.
 */
final class EmulatorLocator {
    static final String INSTALL = "gcloud components install cloud-firestore-emulator";
    static final String LAUNCHER = "cloud_firestore_emulator";
    private static final String IN_SDK = "platform/cloud-firestore-emulator/";
    private static final long GCLOUD_INFO_SECONDS = 20;

    private final UnaryOperator<String> env;

    /** {@code env}: the value of an environment variable (or of a Spring property so named), or null. */
    EmulatorLocator(UnaryOperator<String> env) {
        this.env = env;
    }

    /**
     * The launcher to start.
     * @throws DemoSetupException with one line naming the install command when there is none
     */
    Path launcher() {
        String explicit = setting("FIRESTORE_EMULATOR_BIN").trim();
        if (!explicit.isEmpty()) {
            Path bin = Path.of(explicit);
            if (Files.isRegularFile(bin) && Files.isExecutable(bin)) {
                return bin;
            }
            throw new DemoSetupException("FIRESTORE_EMULATOR_BIN is '" + explicit + "', which is not an executable "
                    + "file: point it at the emulator's " + LAUNCHER + " launcher, or install the emulator with `"
                    + INSTALL + "`");
        }
        List<Path> tried = new ArrayList<>();
        for (Path root : sdkRoots()) {
            Path bin = root.resolve(IN_SDK + LAUNCHER);
            tried.add(bin);
            if (Files.isExecutable(bin)) {
                return bin;
            }
        }
        throw new DemoSetupException("The Firestore emulator is not installed (looked for " + tried.stream()
                .map(Path::toString).distinct().toList() + "): install it with `" + INSTALL + "`, or set "
                + "FIRESTORE_EMULATOR_BIN to its " + LAUNCHER + " launcher, or FIRESTORE_EMULATOR_HOST to a running "
                + "emulator");
    }

    /** Candidate SDK roots, most specific first; cheap ones before running {@code gcloud info}. */
    private List<Path> sdkRoots() {
        List<Path> roots = new ArrayList<>();
        String configured = setting("CLOUDSDK_ROOT_DIR").trim();
        if (!configured.isEmpty()) {
            roots.add(Path.of(configured));
        }
        Optional<Path> gcloud = onPath("gcloud");
        gcloud.flatMap(EmulatorLocator::sdkOf).ifPresent(roots::add);
        List<Path> usual = List.of(Path.of("/usr/lib/google-cloud-sdk"), Path.of("/usr/share/google-cloud-sdk"),
                Path.of("/opt/google-cloud-sdk"), Path.of("/opt/homebrew/share/google-cloud-sdk"),
                Path.of("/usr/local/share/google-cloud-sdk"),
                Path.of(System.getProperty("user.home"), "google-cloud-sdk"));
        if (roots.stream().noneMatch(r -> Files.isDirectory(r.resolve(IN_SDK)))) {
            gcloud.flatMap(EmulatorLocator::gcloudInfo).ifPresent(roots::add);
        }
        roots.addAll(usual);
        return roots;
    }

    private String setting(String name) {
        String value = env.apply(name);
        return value == null ? "" : value;
    }

    private Optional<Path> onPath(String command) {
        for (String dir : setting("PATH").split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
                return Optional.of(Path.of(dir, command));
            }
        }
        return Optional.empty();
    }

    /** {@code <root>/bin/gcloud} → {@code <root>}, following the link a package manager puts on the PATH. */
    private static Optional<Path> sdkOf(Path gcloud) {
        try {
            Path real = gcloud.toRealPath();
            Path bin = real.getParent();
            return bin != null && bin.getParent() != null && bin.getFileName().toString().equals("bin")
                    ? Optional.of(bin.getParent()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** {@code gcloud info --format=value(installation.sdk_root)}, bounded; empty when it fails or takes too long. */
    private static Optional<Path> gcloudInfo(Path gcloud) {
        Process process = null;
        try {
            process = new ProcessBuilder(gcloud.toString(), "info", "--format=value(installation.sdk_root)")
                    .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(nullDevice())).start();
            if (!process.waitFor(GCLOUD_INFO_SECONDS, TimeUnit.SECONDS) || process.exitValue() != 0) {
                return Optional.empty();
            }
            String root = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return root.isEmpty() || root.contains("\n") ? Optional.empty() : Optional.of(Path.of(root));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } finally {
            if (process != null && process.isAlive()) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        }
    }

    private static java.io.File nullDevice() {
        return new java.io.File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
    }
}

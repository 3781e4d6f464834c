# airtable-integrity-runner container image.
#
#   docker build -t airtable-integrity-runner .
#
# Untested here: the project's build machines run no container engine, so this file has never been built.
# The steps inside it were checked on the real jar, outside a container (see deploy/README.md).
#
# Stage 1 builds the Spring Boot jar with Maven and splits it into Spring Boot's layers. Stage 2 is a JRE 17
# image that copies each layer separately, so a code change rebuilds only the small `application` layer and the
# ~80 MB `dependencies` layer stays cached. No secret is passed into either stage: the Airtable token and the
# Google credentials are supplied only at run time (see deploy/README.md).

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /build

# The dependencies first, in their own image layer: this layer is rebuilt only when pom.xml changes.
# (dependency:go-offline may miss a few plugin artifacts; `package` below fetches whatever is left.)
COPY pom.xml ./
RUN mvn -B -q dependency:go-offline

# application.yaml is both the packaged default configuration and a resource of the jar (see pom.xml).
COPY application.yaml ./
COPY src ./src
# The tests need the Firestore emulator and run in CI (`mvn -B verify`), not in the image build.
RUN mvn -B -q package -DskipTests

# Exactly one jar must come out of the build, whatever its final name (the `.jar.original` file does not match).
RUN set -eu; \
    set -- target/*.jar; \
    if [ "$#" -ne 1 ] || [ ! -f "$1" ]; then echo "expected exactly one jar in target/, found: $*" >&2; exit 1; fi; \
    cp "$1" application.jar; \
    java -Djarmode=tools -jar application.jar extract --layers --launcher --destination extracted; \
    ls extracted

FROM eclipse-temurin:17-jre

# A fixed, numeric non-root user, so Kubernetes' runAsNonRoot can verify it.
RUN groupadd --system --gid 10001 runner \
 && useradd --system --uid 10001 --gid runner --home-dir /app --no-create-home --shell /usr/sbin/nologin runner

WORKDIR /app
# One image layer per Spring Boot layer, least often changed first. The files stay owned by root, read-only for
# the runner. snapshot-dependencies is empty today (no SNAPSHOT dependency); copying an empty directory is fine.
COPY --from=build /build/extracted/dependencies/ ./
COPY --from=build /build/extracted/spring-boot-loader/ ./
COPY --from=build /build/extracted/snapshot-dependencies/ ./
COPY --from=build /build/extracted/application/ ./

USER 10001:10001

# server.port (SERVER_PORT) defaults to 8080: the console, the REST API and /actuator/health{,/liveness,/readiness}.
# Set INTEGRITY_USERS and/or INTEGRITY_API_KEYS: without them the runner listens on 127.0.0.1 only, unreachable from
# outside the container.
EXPOSE 8080

# On SIGTERM the runner cancels its live run and exits within integrity.shutdown.timeout-seconds (default 8 s).
STOPSIGNAL SIGTERM

# Exec form: the JVM itself is PID 1 and receives SIGTERM directly (no shell in between).
#   -XX:MaxRAMPercentage=75       heap sized from the container's memory limit (measured peak live heap: 87 MB
#                                 for 5 tables x 50,000 records)
#   -XX:+ExitOnOutOfMemoryError   exit at once on OutOfMemoryError, so Kubernetes / Cloud Run restarts the runner
# Further JVM options go in JAVA_TOOL_OPTIONS at run time (e.g. -Xmx512m, which takes precedence over the
# percentage).
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "org.springframework.boot.loader.launch.JarLauncher"]

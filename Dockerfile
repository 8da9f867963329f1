# syntax=docker/dockerfile:1
#
# Netportal: one image for every mode (NETPORTAL_MODE=all|ui|api|dispatcher|migrate).
#   docker build -t netportal .
# Nothing secret goes into the image: the database and sign-in settings come from the environment at run time.

# ---- build: the production jar (pre-compiled Vaadin production bundle, so no Node.js is needed) ----
FROM eclipse-temurin:25-jdk AS build
WORKDIR /src
COPY mvnw pom.xml ./
COPY .mvn/ .mvn/
COPY frontend/ frontend/
COPY src/ src/
# The Maven repository lives in a BuildKit cache, so a rebuild downloads only what changed.
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw --batch-mode --no-transfer-progress -Pproduction package -DskipTests \
 && cp target/netportal-*.jar /src/app.jar
# The extracted layout: app.jar (our classes; its manifest names the libraries) and lib/ (the libraries), split into
# layers that change at different rates (libraries seldom, our classes often). No launcher: the JVM starts app.jar
# itself, which is what the AOT cache below needs (it caches classes from plain jars on the class path).
RUN java -Djarmode=tools -jar /src/app.jar extract --layers --destination /src/extracted

# ---- run ----
FROM eclipse-temurin:25-jre
# A fixed numeric uid/gid, so Kubernetes can check runAsNonRoot and volumes can be prepared for it.
RUN groupadd --system --gid 10001 netportal \
 && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin netportal
WORKDIR /app
# Least-changing layer first. The files stay owned by root: the application cannot modify its own code.
COPY --from=build /src/extracted/dependencies/ ./
COPY --from=build /src/extracted/spring-boot-loader/ ./
COPY --from=build /src/extracted/snapshot-dependencies/ ./
COPY --from=build /src/extracted/application/ ./

# The JDK AOT cache (JDK 25): the classes of a start, loaded and linked ahead of time, and the training run's method
# profiles, so that the portal starts in about half the time (docs/benchmarks.md). It is made here, in the run
# stage, by this image's JVM with these very files, as the cache requires; the cache records the jars it was made
# from and the JVM ignores it (with a warning) if they differ. The training run starts every context of the portal
# in development mode (embedded PostgreSQL, development sign-in), answers a few requests and is stopped with SIGTERM,
# as the user 10001 (PostgreSQL does not run as root); its database and files live in a temporary directory that
# the same step removes. Nothing of development mode stays in the image: it runs with the production configuration.
# Note: a JVM started with ZGC or with a heap of 32 GB or more cannot use the cache (different object layout); it
# starts without it, only slower. JDK 25.0.x prints two harmless warnings about one AOT adapter at each start
# ("Saved blob's name ... Failed to link AdapterHandlerEntry", JDK-8364929); that adapter is just made anew.
# (This Dockerfile has not been built in the environment it was written in, which has no Docker engine; the same
# steps were run by hand, see docs/benchmarks.md.)
RUN --mount=type=bind,source=src/main/docker/aot-training,target=/usr/local/bin/aot-training \
    bash /usr/local/bin/aot-training /app/app.aot 10001

# The JVM sizes itself from the container's memory limit. The heap gets 70 %: the rest is for metaspace (four
# Spring contexts and Vaadin load many classes), thread stacks and Netty's direct buffers.
# Kubernetes or compose may replace this variable as a whole.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=70 -XX:InitialRAMPercentage=30 -XX:+ExitOnOutOfMemoryError" \
    NETPORTAL_MODE=all

# UI, API, dispatcher health
EXPOSE 8080 8081 8082
USER 10001:10001
# `-jar app.jar`: the jar's manifest names the libraries in lib/ and grants Netty native access.
ENTRYPOINT ["java", "-XX:AOTCache=app.aot", "-jar", "app.jar"]

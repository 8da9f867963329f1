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
# Split the jar into layers that change at different rates (libraries seldom, our classes often), keeping
# Spring Boot's launcher so the exploded application starts with JarLauncher.
RUN java -Djarmode=tools -jar /src/app.jar extract --layers --launcher --destination /src/extracted

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

# The JVM sizes itself from the container's memory limit. The heap gets 70 %: the rest is for metaspace (four
# Spring contexts and Vaadin load many classes), thread stacks and Netty's direct buffers.
# Kubernetes or compose may replace this variable as a whole.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=70 -XX:InitialRAMPercentage=30 -XX:+ExitOnOutOfMemoryError" \
    NETPORTAL_MODE=all

# UI, API, dispatcher health
EXPOSE 8080 8081 8082
USER 10001:10001
# The jar's manifest grants Netty native access only when started with -jar; the exploded layout needs the flag.
ENTRYPOINT ["java", "--enable-native-access=ALL-UNNAMED", "org.springframework.boot.loader.launch.JarLauncher"]

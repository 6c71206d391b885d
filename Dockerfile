# syntax=docker/dockerfile:1

# --- build: compile and package with the Maven wrapper ---
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY mvnw pom.xml ./
COPY .mvn .mvn
RUN ./mvnw -B -q dependency:go-offline
COPY src src
RUN ./mvnw -B -q package -DskipTests && cp target/gradlens-*.jar /src/app.jar

# --- run: a JRE, a non-root user, native-library cache in a writable place ---
FROM eclipse-temurin:17-jre
RUN groupadd --system gradlens && useradd --system --gid gradlens --home /app gradlens \
    && mkdir -p /app/data /app/cache && chown -R gradlens:gradlens /app
WORKDIR /app
COPY --from=build /src/app.jar /app/app.jar
USER gradlens

# ND4J's native code: OpenMP threads (set it to the cores you give the container; idle threads
# sleep rather than spin, which on a shared host made steps 10-20 times faster) and where
# JavaCPP unpacks its libraries. Tensors live outside the Java heap, and their native memory is
# freed when the collector finds them dead: a fixed, pre-touched 1 GB heap with a fixed young
# generation and early old-generation marking keeps resident memory flat across steps; JavaCPP's
# own resident-memory ceiling (4 GB with this heap) is lifted, the container's limit rules (pom.xml).
ENV OMP_NUM_THREADS=2 \
    OMP_WAIT_POLICY=PASSIVE \
    GRADLENS_JAVACPP_CACHE=/app/cache \
    JAVA_TOOL_OPTIONS="-Xms1g -Xmx1g -XX:+AlwaysPreTouch -Xmn128m -XX:InitiatingHeapOccupancyPercent=10 -XX:-G1UseAdaptiveIHOP -Dorg.bytedeco.javacpp.maxphysicalbytes=0"

EXPOSE 8080
VOLUME ["/app/data"]
# bash, not sh: /dev/tcp is a bash feature (the image's sh is dash)
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=5 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /actuator/health HTTP/1.0\\r\\n\\r\\n' >&3 && grep -q UP <&3"]
ENTRYPOINT ["java", "-jar", "/app/app.jar"]

#!/usr/bin/env bash
# spark-submit for a machine without a Spark distribution: runs spark-submit's own entry point
# (org.apache.spark.deploy.SparkSubmit) on the Spark 4.2 jars that Maven resolved for vaecf-spark, with the JVM options
# Spark needs on Java 17 and the Vector API for vaecf's kernels. Takes spark-submit's arguments; meant for
# --master 'local[N]', where the driver and the executor are this one JVM (its heap: SPARK_DRIVER_MEMORY, default 8g).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
target="$root/vaecf-spark/target"
classpath="$target/spark-distribution.classpath"
if [ ! -f "$classpath" ] || [ "$root/vaecf-spark/pom.xml" -nt "$classpath" ] || [ ! -f "$target/vaecf-spark-assembly.jar" ]; then
  echo "spark-submit-local: building vaecf-spark and resolving Spark's jars…" >&2
  log="$(mktemp)"
  if ! (cd "$root" && mvn -q -B -pl vaecf-spark -am -DskipTests package dependency:build-classpath \
      -Dmdep.outputFile=target/provided.classpath -DincludeScope=provided \
    && mvn -q -B -o -pl vaecf-spark -am compile dependency:build-classpath \
      -Dmdep.outputFile=target/compile.classpath -DincludeScope=compile) >"$log" 2>&1; then
    cat "$log" >&2; rm -f "$log"
    echo "spark-submit-local: the build failed (output above)" >&2
    exit 1
  fi
  rm -f "$log"
  # A Spark distribution also ships Jackson and SLF4J, which Maven lists under vaecf-core's compile scope.
  { tr ':' '\n' < "$target/provided.classpath"; echo
    tr ':' '\n' < "$target/compile.classpath" | grep -E '/(jackson-(core|databind|annotations)|slf4j-api)-[0-9]'
  } | grep -v '^$' | paste -sd: > "$classpath"
fi
export OPENBLAS_THREAD_TIMEOUT="${OPENBLAS_THREAD_TIMEOUT:-4}"
exec java -Xmx"${SPARK_DRIVER_MEMORY:-8g}" --add-modules jdk.incubator.vector \
  -XX:CompileCommand=quiet '-XX:CompileCommand=dontinline,org.vaecf.linalg.VectorKernels::*' \
  '-XX:CompileCommand=CompileThresholdScaling,org.vaecf.linalg.VectorKernels::*,0.05' \
  '-XX:CompileCommand=CompileThresholdScaling,org.vaecf.linalg.VectorMath::*,0.05' \
  -XX:+IgnoreUnrecognizedVMOptions \
  --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED \
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED \
  --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED \
  --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED \
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED \
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/sun.nio.cs=ALL-UNNAMED \
  --add-opens=java.base/sun.security.action=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED \
  -Djdk.reflect.useDirectMethodHandle=false -Dio.netty.tryReflectionSetAccessible=true \
  -cp "$(cat "$classpath")" org.apache.spark.deploy.SparkSubmit "$@"

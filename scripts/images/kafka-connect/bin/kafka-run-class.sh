#!/bin/bash
# ConnectCluster's locally built Kafka Connect image (scripts/build-images): runs a Kafka main class on the jars in
# /opt/kafka/libs, honouring the environment Apache Kafka's bin/kafka-run-class.sh honours, so settings written
# for the apache/kafka image mean the same here. Written for this image (not a copy of Kafka's script).
#   CLASSPATH                   put AHEAD of Kafka's own jars (plugins' worker-classpath jars use this)
#   KAFKA_HEAP_OPTS             default -Xmx256M
#   KAFKA_JVM_PERFORMANCE_OPTS  default G1 with 20 ms pause target, headless
#   KAFKA_JMX_OPTS, JMX_PORT    default local JMX without auth/SSL; JMX_PORT adds a remote port
#   KAFKA_LOG4J_OPTS            default the console-only config/tools-log4j2.yaml; -Dkafka.logs.dir=$LOG_DIR is added
#   LOG_DIR                     default /opt/kafka/logs; created when KAFKA_LOG4J_OPTS is set (a logging service)
#   KAFKA_OPTS                  any other JVM flags (e.g. -Djava.security.auth.login.config=..., -javaagent:...)
#   KAFKA_GC_LOG_OPTS           with -loggc: default a GC log in $LOG_DIR/<name>-gc.log
#   JAVA_HOME                   default: java on PATH
#   INCLUDE_TEST_JARS           true: do not leave out test/source jars
# Like Kafka's script, it leaves connect-file*.jar (the FileStream connectors) off the class path: they are loaded
# only when plugin.path names them (e.g. /opt/kafka/libs/connect-file-<version>.jar).
# Usage: kafka-run-class.sh [-daemon] [-name <service>] [-loggc] <class> [args...]
if [ $# -lt 1 ]; then
  echo "USAGE: $0 [-daemon] [-name servicename] [-loggc] classname [opts]" >&2
  exit 1
fi
base_dir="$(dirname "$0")/.."
left_out='(-(test|test-sources|src|scaladoc|javadoc)\.jar|jar\.asc|connect-file.*\.jar)$'
kafka_cp=""
shopt -s nullglob
for file in "$base_dir"/libs/*; do
  if [ "${INCLUDE_TEST_JARS:-false}" = true ] || ! [[ "$file" =~ $left_out ]]; then
    kafka_cp="$kafka_cp:$file"
  fi
done
shopt -u nullglob
if [ -n "${CLASSPATH:-}" ]; then
  kafka_cp="$CLASSPATH$kafka_cp"
else
  kafka_cp="${kafka_cp#:}"
fi

if [ -z "${KAFKA_JMX_OPTS:-}" ]; then
  KAFKA_JMX_OPTS="-Dcom.sun.management.jmxremote -Dcom.sun.management.jmxremote.authenticate=false"
  KAFKA_JMX_OPTS="$KAFKA_JMX_OPTS -Dcom.sun.management.jmxremote.ssl=false"
fi
if [ -n "${JMX_PORT:-}" ]; then
  KAFKA_JMX_OPTS="$KAFKA_JMX_OPTS -Dcom.sun.management.jmxremote.port=$JMX_PORT"
fi
LOG_DIR="${LOG_DIR:-$base_dir/logs}"
if [ -z "${KAFKA_LOG4J_OPTS:-}" ]; then
  KAFKA_LOG4J_OPTS="-Dlog4j2.configurationFile=$base_dir/config/tools-log4j2.yaml"
elif [ ! -d "$LOG_DIR" ]; then
  mkdir -p "$LOG_DIR"
fi
KAFKA_LOG4J_OPTS="-Dkafka.logs.dir=$LOG_DIR $KAFKA_LOG4J_OPTS"
KAFKA_HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xmx256M}"
if [ -z "${KAFKA_JVM_PERFORMANCE_OPTS:-}" ]; then
  KAFKA_JVM_PERFORMANCE_OPTS="-server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35"
  KAFKA_JVM_PERFORMANCE_OPTS="$KAFKA_JVM_PERFORMANCE_OPTS -XX:+ExplicitGCInvokesConcurrent -Djava.awt.headless=true"
fi
if [ -n "${JAVA_HOME:-}" ]; then JAVA="$JAVA_HOME/bin/java"; else JAVA=java; fi

daemon=false
name=""
loggc=false
while [ $# -gt 0 ]; do
  case $1 in
    -name) name=$2; shift 2 ;;
    -loggc) loggc=true; shift ;;
    -daemon) daemon=true; shift ;;
    *) break ;;
  esac
done
if [ "$loggc" = true ] && [ -z "${KAFKA_GC_LOG_OPTS:-}" ]; then
  KAFKA_GC_LOG_OPTS="-Xlog:gc*:file=$LOG_DIR/$name-gc.log:time,tags:filecount=10,filesize=100M"
fi

# Word splitting of the *_OPTS variables is intended: each holds a list of JVM flags.
# shellcheck disable=SC2086
if [ "$daemon" = true ]; then
  nohup "$JAVA" $KAFKA_HEAP_OPTS $KAFKA_JVM_PERFORMANCE_OPTS ${KAFKA_GC_LOG_OPTS:-} $KAFKA_JMX_OPTS $KAFKA_LOG4J_OPTS \
    -cp "$kafka_cp" ${KAFKA_OPTS:-} "$@" >"$LOG_DIR/${name:-kafka}.out" 2>&1 </dev/null &
else
  exec "$JAVA" $KAFKA_HEAP_OPTS $KAFKA_JVM_PERFORMANCE_OPTS ${KAFKA_GC_LOG_OPTS:-} $KAFKA_JMX_OPTS $KAFKA_LOG4J_OPTS \
    -cp "$kafka_cp" ${KAFKA_OPTS:-} "$@"
fi

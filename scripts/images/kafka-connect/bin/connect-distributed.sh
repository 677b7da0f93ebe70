#!/bin/bash
# ConnectCluster's locally built Kafka Connect image (scripts/build-images): starts a distributed worker the way
# Apache Kafka's own bin/connect-distributed.sh does, so a pod spec written for the apache/kafka image runs
# unchanged. Written for this image (not a copy of Kafka's script); what it honours, as Kafka's does:
#   KAFKA_HEAP_OPTS   JVM heap flags; default -Xms256M -Xmx2G
#   KAFKA_LOG4J_OPTS  Log4j flags; default the image's config/connect-log4j2.yaml (stdout + $LOG_DIR/connect.log)
#   EXTRA_ARGS        kafka-run-class.sh options; default "-name connectDistributed"
#   and everything kafka-run-class.sh honours (KAFKA_OPTS, LOG_DIR, CLASSPATH, KAFKA_JVM_PERFORMANCE_OPTS, ...).
# Usage: connect-distributed.sh [-daemon] <distributed.properties>
if [ $# -lt 1 ]; then
  echo "USAGE: $0 [-daemon] connect-distributed.properties" >&2
  exit 1
fi
bin="$(dirname "$0")"
if [ -z "${KAFKA_LOG4J_OPTS:-}" ]; then
  export KAFKA_LOG4J_OPTS="-Dlog4j2.configurationFile=$bin/../config/connect-log4j2.yaml"
fi
if [ -z "${KAFKA_HEAP_OPTS:-}" ]; then
  export KAFKA_HEAP_OPTS="-Xms256M -Xmx2G"
fi
extra=${EXTRA_ARGS-'-name connectDistributed'}
if [ "$1" = "-daemon" ]; then
  extra="-daemon $extra"
  shift
fi
# shellcheck disable=SC2086 # EXTRA_ARGS is a list of words, as in Kafka's script.
exec "$bin/kafka-run-class.sh" $extra org.apache.kafka.connect.cli.ConnectDistributed "$@"

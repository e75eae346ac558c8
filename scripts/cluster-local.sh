#!/usr/bin/env bash
# A small Sealwatch cluster on one machine, against the local PostgreSQL, NATS JetStream and
# Mosquitto: one API+gateway process (console, demo) on :8080, one more gateway on :8081, and
# two processors (health and metrics on :8082, :8083). Ctrl-C stops them all.
#
#   npm run cluster:local
#
# Override any of these from the environment; see docs/cluster.md for several machines.
set -euo pipefail
cd "$(dirname "$0")/.."

export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
export NATS_URL="${NATS_URL:-nats://127.0.0.1:4222}"
export MQTT_URL="${MQTT_URL:-mqtt://127.0.0.1:1883}"
export SEALWATCH_CLUSTER_NAME="${SEALWATCH_CLUSTER_NAME:-sealwatch}"
export SEALWATCH_DB_SCHEMA="${SEALWATCH_DB_SCHEMA:-sealwatch}"
export SEALWATCH_PARTITIONS="${SEALWATCH_PARTITIONS:-16}"
export SEALWATCH_ADMIN_TOKEN="${SEALWATCH_ADMIN_TOKEN:-local-cluster-admin-token-change-me}"
# Every process must seal device secrets with the same master key; this one is for a local trial only.
export SEALWATCH_MASTER_KEY="${SEALWATCH_MASTER_KEY:-bG9jYWwtY2x1c3Rlci1tYXN0ZXIta2V5LWNoYW5nZSE=}"

pids=()
run() { # name, roles, port, demo
  SEALWATCH_INSTANCE_ID="$1" SEALWATCH_ROLES="$2" SEALWATCH_HTTP_PORT="$3" SEALWATCH_DEMO="$4" \
    node bin/sealwatch.mjs start > "data/cluster-$1.log" 2>&1 &
  pids+=($!)
  echo "  $1 ($2) on :$3, log data/cluster-$1.log"
}
mkdir -p data
trap 'echo; echo "stopping…"; kill "${pids[@]}" 2>/dev/null; wait; exit 0' INT TERM
echo "Sealwatch local cluster (DB schema $SEALWATCH_DB_SCHEMA, NATS stream ${SEALWATCH_CLUSTER_NAME^^}_INGEST, MQTT $MQTT_URL):"
run api-1 api,gateway 8080 true
sleep 2 # let the first process create the schema and the stream
run gw-2 gateway 8081 false
run proc-1 processor 8082 false
run proc-2 processor 8083 false
echo "Console: http://localhost:8080/#token=$SEALWATCH_ADMIN_TOKEN   (Ctrl-C to stop)"
wait

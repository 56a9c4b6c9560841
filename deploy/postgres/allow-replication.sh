#!/bin/sh
# Lets the timescaledb-replica service (compose profile `scaled`) stream from this server. Runs once,
# when the data volume is created; on an existing volume add the line by hand and reload (README, Scaling out).
set -eu
echo 'host replication all all scram-sha-256' >> "$PGDATA/pg_hba.conf"

#!/bin/sh
# A hot standby of $PRIMARY_HOST. On first start (empty volume): wait for the primary, copy it with
# pg_basebackup -R (standby.signal and primary_conninfo), then run PostgreSQL as the image always does.
# Later starts just resume streaming. Needs the primary's pg_hba.conf to allow replication (allow-replication.sh).
set -eu
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  until pg_isready -q -h "$PRIMARY_HOST" -U postgres; do sleep 1; done
  mkdir -p "$PGDATA"
  pg_basebackup -h "$PRIMARY_HOST" -U postgres -D "$PGDATA" -R -X stream --checkpoint=fast
  echo "primary_conninfo = 'host=$PRIMARY_HOST port=5432 user=postgres password=$PGPASSWORD application_name=timescaledb-replica'" >> "$PGDATA/postgresql.auto.conf"
  chown -R postgres:postgres "$PGDATA"
  chmod 700 "$PGDATA"
fi
exec docker-entrypoint.sh postgres

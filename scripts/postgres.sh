#!/usr/bin/env bash
# Starts the local PostgreSQL cluster for the tests (no systemd needed) and makes sure the test role
# exists. Prints the admin URL the tests use to create their own databases.
set -euo pipefail
version=$(ls /etc/postgresql | sort -n | tail -1)
if ! pg_lsclusters -h | awk '$1 == "'"$version"'" && $2 == "main" { print $4 }' | grep -q online; then
  pg_ctlcluster "$version" main start >&2
fi
for _ in $(seq 1 50); do
  su postgres -c "pg_isready -q" && break
  sleep 0.2
done
su postgres -c "psql -q -v ON_ERROR_STOP=1" >&2 <<'SQL'
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'begleitbuch_test') THEN
    CREATE ROLE begleitbuch_test LOGIN CREATEDB PASSWORD 'begleitbuch_test';
  END IF;
END
$$;
SQL
if ! su postgres -c "psql -tAc \"SELECT 1 FROM pg_database WHERE datname = 'begleitbuch_test'\"" | grep -q 1; then
  su postgres -c "createdb -O begleitbuch_test begleitbuch_test" >&2
fi
# Databases that earlier test runs created for single tests.
su postgres -c "psql -tAc \"SELECT datname FROM pg_database WHERE datname LIKE 'begleitbuch_test_%'\"" |
  while read -r stale; do su postgres -c "dropdb --if-exists $stale" >&2; done
echo "postgres://begleitbuch_test:begleitbuch_test@127.0.0.1:5432/begleitbuch_test"

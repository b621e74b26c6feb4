# Source this file: starts a throwaway PostgreSQL on 127.0.0.1 for the PostgreSQL repository
# contract tests and exports SKYRUN_TEST_POSTGRES_URL; `skyrun_postgres_stop` stops it and deletes
# its data. When PostgreSQL is not installed it says so, and those tests are skipped.
skyrun_postgres_stop() { :; }
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [ -z "$pg_bin" ] || [ ! -x "$pg_bin/initdb" ]; then
  echo "postgres: not installed here; the PostgreSQL contract tests will be skipped"
else
  pg_dir=$(mktemp -d /tmp/skyrun-pg.XXXXXX)
  pg_port=55432
  while (echo > "/dev/tcp/127.0.0.1/$pg_port") 2>/dev/null; do pg_port=$((pg_port + 1)); done
  if [ "$(id -u)" = 0 ]; then
    chown postgres "$pg_dir"
    pg_as() { runuser -u postgres -- "$@"; }
  else
    pg_as() { "$@"; }
  fi
  if pg_as "$pg_bin/initdb" -D "$pg_dir/data" -U postgres --auth=trust -E UTF8 > "$pg_dir/initdb.log" 2>&1 &&
     pg_as "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w \
       -o "-p $pg_port -k $pg_dir -c listen_addresses=127.0.0.1" start > /dev/null; then
    export SKYRUN_TEST_POSTGRES_URL="jdbc:postgresql://127.0.0.1:$pg_port/postgres"
    export SKYRUN_TEST_POSTGRES_USER=postgres
    echo "postgres: started on 127.0.0.1:$pg_port for the PostgreSQL contract tests"
    skyrun_postgres_stop() {
      pg_as "$pg_bin/pg_ctl" -D "$pg_dir/data" -m fast stop > /dev/null 2>&1
      rm -rf "$pg_dir"
    }
  else
    echo "postgres: could not start (see $pg_dir); the PostgreSQL contract tests will be skipped"
  fi
fi

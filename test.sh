#!/usr/bin/env bash
# Runs the whole test suite, browser tests included, on SQLite and then on PostgreSQL, installing what it needs first.
# Ends with one line "N passed, N failed" for both runs; exits non-zero when anything failed or did not build.
set -uo pipefail
cd "$(dirname "$0")"

chromium_path="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ ! -x "$chromium_path" ]; then
  echo "Chromium is missing: installing Debian's package for the browser tests."
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq && $sudo_cmd apt-get install -y -qq chromium >/dev/null || {
    echo "Could not install Chromium; install it (apt-get install -y chromium) or set CHROMIUM_PATH."
    echo "0 passed, 1 failed"
    exit 1
  }
fi

# Certificates are drawn with DejaVu Sans (or Liberation Sans): install Debian's package when neither is there.
if [ ! -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] && [ ! -f /usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf ]; then
  echo "The certificate fonts are missing: installing Debian's fonts-dejavu-core."
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq && $sudo_cmd apt-get install -y -qq fonts-dejavu-core >/dev/null || {
    echo "Could not install the fonts; install them (apt-get install -y fonts-dejavu-core)."
    echo "0 passed, 1 failed"
    exit 1
  }
fi

results="$(mktemp -d)"
pg_data=""
cleanup() {
  if [ -n "$pg_data" ]; then
    $pg_as "$pg_bin/pg_ctl" -D "$pg_data" -m immediate stop >/dev/null 2>&1
    rm -rf "$pg_data"
  fi
  rm -rf "$results"
}
trap cleanup EXIT

# The suite runs on SQLite, then again on PostgreSQL: on the server CERTIFICATIONS_TEST_POSTGRES names, or on a
# throwaway cluster of the PostgreSQL installed here (CI installs Debian's package when it is missing), started before
# the first pass so that the tests of the live updates between instances, which need the server, run in both. Its
# server runs as the postgres user, since PostgreSQL refuses to run as root, on loopback only, without fsync: nothing in
# it outlives the run.
status=0
pg_server="${CERTIFICATIONS_TEST_POSTGRES:-}"
pg_bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
if [ -z "$pg_server" ] && [ -z "$pg_bin" ] && [ "${CI:-}" = "true" ]; then
  echo "PostgreSQL is missing: installing Debian's package for the second run."
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq && $sudo_cmd apt-get install -y -qq postgresql >/dev/null
  pg_bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  [ -z "$pg_bin" ] && { echo "Could not install PostgreSQL (apt-get install -y postgresql)."; pg_failed=1; status=1; }
fi
if [ -z "$pg_server" ] && [ -n "$pg_bin" ]; then
  pg_as=""
  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    pg_as="runuser -u postgres --"
  fi
  pg_data="$(mktemp -d)"
  [ -n "$pg_as" ] && chown postgres "$pg_data"
  pg_port=$((54000 + RANDOM % 1000))
  if $pg_as "$pg_bin/initdb" -D "$pg_data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$results/initdb.log" 2>&1 \
    && $pg_as "$pg_bin/pg_ctl" -D "$pg_data" -w -l "$pg_data/server.log" -o "-p $pg_port -k $pg_data -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null; then
    pg_server="Host=127.0.0.1;Port=$pg_port;Username=postgres"
  else
    echo "Could not start PostgreSQL from $pg_bin:"
    cat "$results/initdb.log" "$pg_data/server.log" 2>/dev/null | tail -n 20
    pg_failed=1
    status=1
  fi
fi
echo "Running the suite on SQLite."
CERTIFICATIONS_TEST_PROVIDER=Sqlite CERTIFICATIONS_TEST_POSTGRES="$pg_server" \
  dotnet test Certifications.sln --logger "trx;LogFileName=sqlite.trx" --results-directory "$results" "$@"
[ $? -ne 0 ] && status=1

# The second run needs the build the first one made (its results say it ran).
built=false
[ -e "$results/sqlite.trx" ] && built=true
if [ -n "$pg_server" ] && $built && [ -z "${pg_failed:-}" ]; then
  echo "Running the suite on PostgreSQL."
  CERTIFICATIONS_TEST_PROVIDER=PostgreSQL CERTIFICATIONS_TEST_POSTGRES="$pg_server" \
    dotnet test Certifications.sln --no-build --logger "trx;LogFileName=postgresql.trx" --results-directory "$results" "$@"
  [ $? -ne 0 ] && status=1
elif [ -z "$pg_server" ] && [ -z "${pg_failed:-}" ]; then
  echo "PostgreSQL is not installed: the suite ran on SQLite only (apt-get install -y postgresql, or set CERTIFICATIONS_TEST_POSTGRES)."
fi

passed=0
failed=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
done

if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  # The build failed or the test host crashed: no test result says so, so count it as one failure.
  failed=1
fi
echo "$passed passed, $failed failed"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]

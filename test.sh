#!/usr/bin/env bash
# Runs the whole test suite, browser tests included, installing what it needs first.
# Ends with the line "N passed, N failed"; exits non-zero when anything failed or did not build.
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
trap 'rm -rf "$results"' EXIT
dotnet test Certifications.sln --logger "trx" --results-directory "$results" "$@"
status=$?

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

#!/usr/bin/env bash
# Developer loop: build what the end-to-end tests need, then run the ones matching FILTER.
#   tools/e2e.sh [--no-build] [--console] FILTER [cargo test args...]
# Heavy steps hold /tmp/berth-heavy.lock, so parallel callers on 2 cores take turns.
# (`cargo xtask test` stays the one command that runs every layer.)
set -euo pipefail
cd "$(dirname "$0")/.."
build=1; console=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --no-build) build=0; shift ;;
    --console) console=1; shift ;;
    *) break ;;
  esac
done
root=$PWD
export PATH="$root/.tools/bin:$root/node_modules/.bin:$PATH"
export CARGO_INCREMENTAL=${CARGO_INCREMENTAL:-1}
lock=/tmp/berth-heavy.lock
if [[ $build == 1 ]]; then
  flock "$lock" trunk build --release --offline --public-url / --dist target/dist
  if [[ $console == 1 ]]; then
    flock "$lock" trunk build --release --offline --public-url /console/ --dist target/dist-console
  fi
  flock "$lock" cargo build --package berth-sandbox
fi
export BERTH_DIST=$root/target/dist BERTH_DIST_CONSOLE=$root/target/dist-console \
  BERTH_NGINX=$root/.tools/nginx BERTH_SANDBOX=$root/target/debug/berth-sandbox
flock "$lock" cargo test --test e2e -- "$@"

#!/usr/bin/env bash
# Runs one segment of the study's `paper` run:   docs/study/segment.sh WORKSPACE
#
# Why segments: this project's machine ends every process when a work session ends, and a new session may
# start on a new machine with nothing but the repository. The run therefore goes on with `--resume` in
# segments, and between sessions its results database travels in the repository (docs/study/run/, written
# by snapshot.sh). This script
#   1. restores WORKSPACE from docs/study/run/ when WORKSPACE has no results.db yet and a snapshot exists;
#   2. copies the built jars into WORKSPACE/lib once (so rebuilding the checkout never changes the code of a
#      running run; delete WORKSPACE/lib to take new jars);
#   3. appends "segment start TIME" to WORKSPACE/segments.log, runs `mrw run paper --resume` at nice 19,
#      and appends "segment end TIME" when the process ends (kill it with SIGTERM, never -9, to get the line).
# Progress goes to WORKSPACE/run.log. docs/study/fragments.py turns segments.log into the compute time.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
ws="${1:?usage: docs/study/segment.sh WORKSPACE}"
mkdir -p "$ws"
ws="$(cd "$ws" && pwd)"
now() { date -u +%Y-%m-%dT%H:%M:%SZ; }

if [ ! -f "$ws/results.db" ] && [ -f "$here/run/results.db.gz" ]; then
  echo "segment.sh: restoring $ws from docs/study/run/" >&2
  gzip -dc "$here/run/results.db.gz" > "$ws/results.db.part" && mv "$ws/results.db.part" "$ws/results.db"
  cp "$here/run/segments.log" "$ws/segments.log"
fi

jar="$root/app/target/mrw-app-0.1.0-SNAPSHOT.jar"
if [ ! -d "$ws/lib" ]; then
  [ -f "$jar" ] || "$root/mrw" info >/dev/null   # builds the jars
  mkdir -p "$ws/lib.part"
  cp "$jar" "$root"/app/target/lib/*.jar "$ws/lib.part/"
  mv "$ws/lib.part" "$ws/lib"
fi

export MRW_HOME="$root" DJL_OFFLINE=true OPT_OUT_TRACKING=true TF_CPP_MIN_LOG_LEVEL=2
export DNNL_MAX_CPU_ISA="${DNNL_MAX_CPU_ISA:-AVX2}"   # as ./mrw; keep one cap for the whole run
echo "segment start $(now)" >> "$ws/segments.log"
child=0
stop() { [ "$child" -gt 0 ] && kill -TERM "$child" 2>/dev/null; }
trap stop TERM INT
set +e
nice -n 19 java -Dai.djl.offline=true -DOPT_OUT_TRACKING=true -Xss4m -cp "$ws/lib/*" org.mrw.core.cli.Mrw \
  run paper --workspace "$ws" --resume --json >> "$ws/run.json" 2>> "$ws/run.log" &
child=$!
wait "$child"; rc=$?
# A trapped signal interrupts the first wait (rc > 128); the second waits for the run's own exit status.
if [ "$rc" -gt 128 ]; then wait "$child"; rc=$?; fi
set -e
echo "segment end $(now) rc=$rc" >> "$ws/segments.log"

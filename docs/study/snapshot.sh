#!/usr/bin/env bash
# Saves the state of the study's `paper` run into the repository:   docs/study/snapshot.sh WORKSPACE
#
# Writes docs/study/run/results.db.gz (an online SQLite backup, consistent while the run writes) and
# docs/study/run/segments.log, from which docs/study/segment.sh restores a new machine's workspace and
# resumes. The adversarial tensors (WORKSPACE/adversarials, NPY) stay behind: the report and a resume
# need only the database. If the run's last segment is still open, the copy gets "segment end TIME
# snapshot": the work after this moment is not in the snapshot, and a resume from it redoes that work.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ws="${1:?usage: docs/study/snapshot.sh WORKSPACE}"
[ -f "$ws/results.db" ] || { echo "snapshot.sh: no results.db in $ws" >&2; exit 2; }
out="$here/run"
mkdir -p "$out"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
sqlite3 "$ws/results.db" ".backup '$tmp/results.db'"
[ "$(sqlite3 "$tmp/results.db" 'pragma integrity_check')" = ok ] || { echo "snapshot.sh: backup failed its integrity check" >&2; exit 1; }
gzip -9 -n -c "$tmp/results.db" > "$tmp/results.db.gz"
cp "$ws/segments.log" "$tmp/segments.log" 2>/dev/null || : > "$tmp/segments.log"
if [ "$(grep -c '^segment start' "$tmp/segments.log")" -gt "$(grep -c '^segment end' "$tmp/segments.log")" ]; then
  echo "segment end $(date -u +%Y-%m-%dT%H:%M:%SZ) snapshot" >> "$tmp/segments.log"
fi
mv "$tmp/results.db.gz" "$out/results.db.gz"
mv "$tmp/segments.log" "$out/segments.log"
rows="$(gzip -dc "$out/results.db.gz" > "$tmp/check.db" && sqlite3 "$tmp/check.db" 'select count(*) from results')"
echo "snapshot.sh: $rows result rows, $(du -h "$out/results.db.gz" | cut -f1) in $out/results.db.gz" >&2

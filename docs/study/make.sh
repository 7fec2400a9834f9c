#!/usr/bin/env bash
# Regenerates the study's figures, tables and numbers (docs/STUDY.md, docs/study/) from a workspace of
# the `paper` preset:   docs/study/make.sh WORKSPACE [OUT]
#
# Everything comes from `mrw report` on WORKSPACE's latest run:
#   report.json            metrics and paired tests (minified, keys sorted, floats at 6 significant digits)
#   metrics.csv/.tex       the metrics table (95 % bootstrap intervals)
#   fig-ATTACK--SOURCE[--8bit].svg/.png   robustness curves per attack and source, one panel per
#                          framework, for the float and the 8-bit rounded adversarials
#   numbers.md, paired.md  Markdown with the key numbers and the paired tests (fragments.py)
# and, when OUT is the default (docs/study), the generated blocks of docs/STUDY.md are replaced.
#
# WORKSPACE is read only. If a run is still writing to it, snapshot it first and pass the snapshot:
#   mkdir -p /tmp/ws && sqlite3 WORKSPACE/results.db ".backup /tmp/ws/results.db"
#   cp WORKSPACE/segments.log /tmp/ws/ 2>/dev/null || true
#
# Environment: MRW_CMD  the mrw command (default: this checkout's ./mrw); e.g. a java command line.
#              STUDY_DPI PNG resolution (default 100); STUDY_PDF=1 also writes PDFs (not committed);
#              STUDY_ROUNDED=0 skips the 8-bit figures (half the calls).
# Each `mrw report` call recomputes the whole report (bootstrap intervals, paired tests), so the run
# time grows with the run: about 30 s a call on a 1,000-image run with one source done, two cores
# (1 + 4 calls per source and bounded attack: 9 calls, 4.5 minutes, for that partial run).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
ws="${1:?usage: docs/study/make.sh WORKSPACE [OUT]}"
out="${2:-$here}"
[ -f "$ws/results.db" ] || { echo "make.sh: no results.db in $ws" >&2; exit 2; }
mkdir -p "$out"
out="$(cd "$out" && pwd)"
read -r -a mrw <<< "${MRW_CMD:-$root/mrw}"
dpi="${STUDY_DPI:-100}"
py="${PYTHON:-python3}"

step() { echo "make.sh: $*" >&2; }

step "report → $out/report.json, metrics.csv, metrics.tex"
raw="$(mktemp)"
trap 'rm -f "$raw"' EXIT
"${mrw[@]}" report --workspace "$ws" --json --csv "$out/metrics.csv" --latex "$out/metrics.tex" > "$raw"

# (source, attack, rounded) with a finite ε: the workbench draws curves over ε only
mapfile -t figs < <("$py" - "$raw" "${STUDY_ROUNDED:-1}" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1], encoding="utf-8"))
seen = []
for m in r["metrics"]:
    if m["epsilon"] == "inf":
        continue
    for rounded in ([False, True] if sys.argv[2] == "1" else [False]):
        if m["rounded"] == rounded and (m["source"], m["attack"], rounded) not in seen:
            seen.append((m["source"], m["attack"], rounded))
for s, a, rounded in seen:
    print("%s %s %d" % (s, a, rounded))
EOF
)
rm -f "$out"/fig-*.svg "$out"/fig-*.png "$out"/fig-*.pdf
exts=(svg png)
[ "${STUDY_PDF:-0}" = 1 ] && exts+=(pdf)
for f in "${figs[@]}"; do
  read -r source attack rounded <<< "$f"
  name="fig-$attack--$source"; flag=()
  if [ "$rounded" = 1 ]; then name="$name--8bit"; flag=(--rounded); fi
  for ext in "${exts[@]}"; do
    step "figure $name.$ext"
    "${mrw[@]}" report --workspace "$ws" --figure "$out/$name.$ext" --group-by framework \
        --attack "$attack" --source "$source" "${flag[@]}" --size double --dpi "$dpi" > /dev/null
  done
done

study=()
[ "$out" = "$here" ] && [ -f "$root/docs/STUDY.md" ] && study=("$root/docs/STUDY.md")
step "numbers.md, paired.md${study:+, the generated blocks of docs/STUDY.md}"
"$py" "$here/fragments.py" "$raw" "$ws" "$out" "${study[@]}"
du -ch "$out"/report.json "$out"/metrics.* "$out"/*.md "$out"/fig-* 2>/dev/null | tail -1 | sed 's/^/make.sh: written, /; s/total$/in total/' >&2

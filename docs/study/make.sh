#!/usr/bin/env bash
# Regenerates the study's figures, tables and numbers (docs/STUDY.md, docs/study/) from a workspace of
# the `paper` preset:   docs/study/make.sh WORKSPACE [OUT]
#
# Everything comes from `mrw report` on WORKSPACE's latest run:
#   report.json            metrics and paired tests (minified, keys sorted, floats at 6 significant digits)
#   metrics.csv/.tex       the metrics table (95 % bootstrap intervals)
#   fig-ATTACK--SOURCE[--8bit].svg/.png   robustness curves per attack and source, one panel per
#                          framework, for the float and the 8-bit rounded adversarials: accuracy over ε
#                          for FGSM and BIM, over the L2 budget for Boundary (from its minimal adversarials)
#   numbers.md, paired.md  Markdown with the key numbers and the paired tests (fragments.py)
# and, when OUT is the default (docs/study), the generated blocks of docs/STUDY.md are replaced.
#
# WORKSPACE is read only. If a run is still writing to it, snapshot it first and pass the snapshot:
#   mkdir -p /tmp/ws && sqlite3 WORKSPACE/results.db ".backup /tmp/ws/results.db"
#   cp WORKSPACE/segments.log /tmp/ws/ 2>/dev/null || true
#
# Environment: MRW_CMD  the mrw command (default: this checkout's ./mrw); e.g. a java command line.
#              STUDY_DPI PNG resolution (default 100); STUDY_PDF=1 also writes PDFs (not committed);
#              STUDY_FIGURES=0 writes no figures (tables and numbers only).
# One `mrw report` call computes everything (bootstrap intervals, paired tests, figures): under 4 minutes on
# the complete 1,000-image paper run (three architectures, 36 figures), two cores.
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

step "report → $out/report.json, metrics.csv, metrics.tex, fig-*"
raw="$(mktemp)"
trap 'rm -f "$raw"' EXIT
rm -f "$out"/fig-*.svg "$out"/fig-*.png "$out"/fig-*.pdf
formats=svg,png
[ "${STUDY_PDF:-0}" = 1 ] && formats=svg,png,pdf
# One pass: the metrics, the tables, and a figure per attack, source and rounding (curves over ε for the
# bounded attacks, over the L2 budget for Boundary's minimal adversarials), panels per framework.
figures=(--figures "$out" --formats "$formats" --group-by framework --size double --dpi "$dpi")
[ "${STUDY_FIGURES:-1}" = 0 ] && figures=()
"${mrw[@]}" report --workspace "$ws" --json --csv "$out/metrics.csv" --latex "$out/metrics.tex" "${figures[@]}" > "$raw"

study=()
[ "$out" = "$here" ] && [ -f "$root/docs/STUDY.md" ] && study=("$root/docs/STUDY.md")
step "numbers.md, paired.md${study:+, the generated blocks of docs/STUDY.md}"
"$py" "$here/fragments.py" "$raw" "$ws" "$out" "${study[@]}"
du -ch "$out"/report.json "$out"/metrics.* "$out"/*.md "$out"/fig-* 2>/dev/null | tail -1 | sed 's/^/make.sh: written, /; s/total$/in total/' >&2

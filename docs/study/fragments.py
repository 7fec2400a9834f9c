#!/usr/bin/env python3
"""Markdown fragments of the study from `mrw report --json` (python3 standard library only).

Called by make.sh:  fragments.py REPORT.json WORKSPACE OUT [STUDY.md]

Writes into OUT:
  numbers.md  status of the run; clean accuracy per target; adversarial accuracy and success rate per
              target, source and attack (float and 8-bit rounded adversarials), with 95 % bootstrap
              intervals exactly as the report gives them
  paired.md   the report's paired tests (McNemar, Wilcoxon) for the pairs the paper's findings are about
              (PC float vs int8 vs mobile runtimes), Holm-adjusted over the table
  report.json the report, minified, keys sorted, floats at 6 significant digits (`mrw report --json`
              has them all)
and, when STUDY.md is given, replaces the text between `<!-- generated:NAME -->` and
`<!-- /generated:NAME -->` in it (NAME: status, figures, findings).

Every number comes from the report's JSON, except three things the report does not give, each
labelled where it is printed: the clean accuracy of a target whose group has no attack rows yet
(counted from results.db's clean rows), the run's progress and compute time (results.db's batches
table and the workspace's segments.log, if any), and the float-vs-8-bit test of one target (the
report pairs targets, not conditions; McNemar computed here from results.db rows with the report's
own rules: exact binomial below 25 discordant pairs, else χ² with continuity correction).
"""
import datetime as dt
import glob
import json
import math
import os
import re
import sqlite3
import sys

ATTACK_ORDER = ["fgsm", "bim", "pgd", "deepfool", "cw", "boundary", "hopskipjump", "square"]


# ---------------------------------------------------------------- targets and roles

def fmt_of(target):
    t = target.lower()
    for f in ("savedmodel", "tflite", "onnx", "ptl", "pt"):
        if re.search(r"(^|_)" + f + r"($|@|_)", t) or t.endswith(f):
            return f
    return "?"


def arch_of(target):
    return re.split(r"_(float|int8)_", target.split("/")[-1])[0]


def variant_of(target):
    return "int8" if "int8" in target.lower() else "float"


RUNTIME = {"pt": "PyTorch", "ptl": "PyTorch Mobile (lite)", "savedmodel": "TensorFlow",
           "tflite": "TensorFlow Lite", "onnx": "ONNX Runtime", "?": "?"}
PLACE = {"pt": "PC", "ptl": "mobile", "savedmodel": "PC", "tflite": "mobile", "onnx": "PC", "?": "?"}


def role(target):
    f = fmt_of(target)
    r = "%s · %s · %s" % (PLACE[f], RUNTIME[f], variant_of(target))
    if "@" in target:
        r += " (device %s)" % target.split("@", 1)[1]
    return r


# the pairs the paper's findings are about, by (format, variant); A is listed first
PAIRS = [
    ("F1", "mobile, TFLite vs PyTorch Mobile, float", ("tflite", "float"), ("ptl", "float")),
    ("F1", "mobile, TFLite vs PyTorch Mobile, int8", ("tflite", "int8"), ("ptl", "int8")),
    ("F1", "PC, TensorFlow vs PyTorch, float", ("savedmodel", "float"), ("pt", "float")),
    ("F2", "PyTorch, PC float vs mobile float", ("pt", "float"), ("ptl", "float")),
    ("F2", "TensorFlow, PC float vs mobile float", ("savedmodel", "float"), ("tflite", "float")),
    ("F4", "PyTorch, PC float vs mobile int8", ("pt", "float"), ("ptl", "int8")),
    ("F4", "TensorFlow, PC float vs mobile int8", ("savedmodel", "float"), ("tflite", "int8")),
    ("F4", "PyTorch, PC float vs PC int8", ("pt", "float"), ("pt", "int8")),
    ("F4", "PyTorch, PC int8 vs mobile int8", ("pt", "int8"), ("ptl", "int8")),
]
FINDINGS = {
    "F1": "Neither framework is more robust overall (TFLite vs PyTorch Mobile)",
    "F2": "PC and mobile versions do not differ much",
    "F3": "Under the Boundary attack the mobile version is more robust",
    "F4": "Quantization improved robustness in every case, PC to mobile",
}


# ---------------------------------------------------------------- numbers

def num(x, d=3):
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "–"
    return "%.*f" % (d, x)


def ci(iv, d=3):
    if iv is None or iv.get("estimate") is None:
        return "–"
    s = num(iv["estimate"], d)
    if iv.get("low") is not None and iv.get("high") is not None:
        s += " [%s, %s]" % (num(iv["low"], d), num(iv["high"], d))
    return s


def pval(p):
    if p is None or p == "NaN":
        return "–"
    p = float(p)
    if p == 0:
        return "0"
    if p < 1e-4:
        return "%.1e" % p
    return "%.4f" % p if p < 0.01 else "%.3f" % p


def eps_text(e):
    if e in ("inf", "Infinity") or (isinstance(e, float) and math.isinf(e)):
        return "∞ (unbounded L2)"
    return "%g" % float(e)


def short_method(m):
    m = m or ""
    if m.startswith("McNemar exact"):
        return "exact"
    if m.startswith("McNemar χ²"):
        return "χ²cc"
    if "normal approximation" in m:
        return "normal"
    if "no non-zero differences" in m:
        return "all zero"
    if "exact" in m:
        return "exact"
    return m


def holm(ps):
    """Holm step-down adjusted p-values, same order as ps."""
    order = sorted(range(len(ps)), key=lambda i: ps[i])
    out = [1.0] * len(ps)
    running = 0.0
    m = len(ps)
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (m - rank) * ps[i]))
        out[i] = running
    return out


def mcnemar(b, c):
    """The report's McNemar (org.mrw.core.stats.McNemar): exact below 25 discordant pairs, else χ² cc."""
    m = b + c
    if m == 0:
        return "McNemar exact (binomial, two-sided)", 1.0
    if m < 25:
        k = min(b, c)
        p = sum(math.comb(m, i) for i in range(k + 1)) / 2.0 ** m
        return "McNemar exact (binomial, two-sided)", min(1.0, 2 * p)
    d = max(0.0, abs(b - c) - 1.0)
    chi2 = d * d / m
    return "McNemar χ² with continuity correction", math.erfc(math.sqrt(chi2 / 2))


def round_floats(o, sig=6):
    if isinstance(o, float):
        return float("%.*g" % (sig, o)) if math.isfinite(o) else o
    if isinstance(o, list):
        return [round_floats(v, sig) for v in o]
    if isinstance(o, dict):
        return {k: round_floats(v, sig) for k, v in o.items()}
    return o


# ---------------------------------------------------------------- the workspace

class Workspace:
    def __init__(self, path, run):
        self.path = path
        self.db = None
        db = os.path.join(path, "results.db")
        if os.path.isfile(db):
            self.db = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
        self.run = run

    def q(self, sql, *args):
        if self.db is None:
            return []
        return self.db.execute(sql, args).fetchall()

    def spec(self):
        r = self.q("select spec, started, finished, status, seed, versions, name from runs where id=?", self.run)
        return r[0] if r else None

    def samples(self):
        r = self.q("select count(*) from samples where run=?", self.run)
        return r[0][0] if r else None

    def clean_counts(self):
        """target → (right, n) over the clean pass."""
        return {t: (k, n) for t, k, n in self.q(
            "select target, sum(prediction=label), count(*) from results "
            "where run=? and attack='clean' and repetition=0 group by target", self.run)}

    def judged(self):
        """(source, attack) → distinct samples judged (float adversarials, repetition 0)."""
        return {(s, a): n for s, a, n in self.q(
            "select source, attack, count(distinct sample) from results "
            "where run=? and attack<>'clean' and rounded=0 and repetition=0 group by source, attack", self.run)}

    def commits(self):
        return [r[0] for r in self.q("select committed_at from batches where run=? order by committed_at", self.run)]

    def rounding_pairs(self, source, attack, target):
        """(b, c, n): b = right on float adversarials and wrong on 8-bit ones, c = the reverse."""
        r = self.q(
            "select sum(f.prediction=f.label and r.prediction<>r.label), sum(f.prediction<>f.label and r.prediction=r.label), count(*) "
            "from results f join results r on r.run=f.run and r.sample=f.sample and r.source=f.source and r.attack=f.attack "
            "and r.epsilon=f.epsilon and r.target=f.target and r.repetition=f.repetition and r.rounded=1 "
            "where f.run=? and f.source=? and f.attack=? and f.target=? and f.rounded=0 and f.repetition=0",
            self.run, source, attack, target)
        return r[0] if r and r[0][2] else None

    def no_start(self, source, attack):
        """Samples whose minimal adversarial is the original (L2 = 0 on the float row judged by the source):
        the attack found no adversarial start; by label."""
        return self.q(
            "select label, count(*) from results where run=? and source=? and attack=? and target=? "
            "and rounded=0 and repetition=0 and l2=0 group by label", self.run, source, attack, source)


def parse_spec(text):
    """Sources (in order), attacks (in order), dataset count, from the preset-style YAML (flow lists)."""
    sources, attacks, count = [], [], None
    if not text:
        return sources, attacks, count
    for m in re.finditer(r"sources:\s*\[([^\]]*)\]", text):
        for s in m.group(1).split(","):
            s = s.strip().strip("'\"")
            s = s[4:] if s.startswith("zoo:") else s
            if s and s not in sources:
                sources.append(s)
    for m in re.finditer(r"^\s*-\s*\{\s*name:\s*([\w-]+)", text, re.M):
        attacks.append(m.group(1))
    m = re.search(r"count:\s*(\d+)", text)
    if m:
        count = int(m.group(1))
    return sources, attacks, count


def parse_time(s):
    s = s.strip().rstrip("Z")
    s = re.sub(r"(\.\d{6})\d+", r"\1", s)
    return dt.datetime.fromisoformat(s).replace(tzinfo=dt.timezone.utc)


def hours(td):
    return td.total_seconds() / 3600.0


def compute_time(ws, spec_row):
    """A sentence on the compute time: from segments.log (start/end lines of each process that ran the
    run, as in this project's run) bounded by the batches' commit times, else from started/finished."""
    commits = [parse_time(c) for c in ws.commits()]
    seg = os.path.join(ws.path, "segments.log")
    if os.path.isfile(seg) and commits:
        starts, ends = [], {}
        for line in open(seg, encoding="utf-8"):
            m = re.match(r"segment (start|end) (\S+)", line)
            if m and m.group(1) == "start":
                starts.append(parse_time(m.group(2)))
            elif m:
                ends[len(starts) - 1] = parse_time(m.group(2))
        if starts:
            lo = hi = dt.timedelta()
            open_ended = False
            for i, s in enumerate(starts):
                nxt = starts[i + 1] if i + 1 < len(starts) else None
                last = max((c for c in commits if c >= s and (nxt is None or c < nxt)), default=s)
                if i in ends:
                    lo += ends[i] - s
                    hi += ends[i] - s
                elif nxt is not None:
                    lo += last - s
                    hi += nxt - s
                else:
                    lo += last - s
                    hi += last - s
                    open_ended = True
            text = ("%d segment(s) in segments.log; wall-clock time of the run's processes between %.1f h and %.1f h"
                    % (len(starts), hours(lo), hours(hi)))
            if lo == hi:
                text = "%d segment(s) in segments.log; wall-clock time of the run's processes %.1f h" % (len(starts), hours(lo))
            if open_ended:
                text += " up to the last committed unit (%s UTC; the last segment is still running)" % commits[-1].strftime("%Y-%m-%d %H:%M")
            return text + " (a segment without an end line counts from its start to its last commit, at least, and to the next start, at most)"
    if spec_row and spec_row[1] and spec_row[2]:
        return "wall-clock %.1f h from start to finish (pauses included)" % hours(parse_time(spec_row[2]) - parse_time(spec_row[1]))
    if spec_row and spec_row[1] and commits:
        return "%.1f h from the start to the last committed unit (pauses included; no segments.log)" % hours(commits[-1] - parse_time(spec_row[1]))
    return "not derivable from the workspace"


# ---------------------------------------------------------------- the fragments

def main(argv):
    if len(argv) not in (4, 5):
        sys.exit("usage: fragments.py REPORT.json WORKSPACE OUT [STUDY.md]")
    report_path, workspace, out = argv[1], argv[2], argv[3]
    study = argv[4] if len(argv) == 5 else None
    with open(report_path, encoding="utf-8") as f:
        report = json.load(f)
    run = report["run"]
    ws = Workspace(workspace, run)
    spec_row = ws.spec()
    spec_sources, spec_attacks, spec_count = parse_spec(spec_row[0] if spec_row else "")
    metrics = report["metrics"]
    comps = report["comparisons"]

    sources = list(spec_sources)
    for m in metrics:
        if m["source"] and m["source"] not in sources:
            sources.append(m["source"])
    attacks = list(spec_attacks)
    for m in metrics:
        if m["attack"] not in attacks:
            attacks.append(m["attack"])
    attacks.sort(key=lambda a: (spec_attacks.index(a) if a in spec_attacks else 99,
                                ATTACK_ORDER.index(a) if a in ATTACK_ORDER else 99, a))

    by_cond = {}  # (source, attack, rounded) → {target: metric}
    for m in metrics:
        by_cond.setdefault((m["source"], m["attack"], m["rounded"]), {})[m["target"]] = m
    eps_of = {(m["source"], m["attack"]): m["epsilon"] for m in metrics}
    judged = ws.judged()
    count = spec_count or ws.samples() or 0

    # ------------------------------------------------ status
    done, partial, pending = [], [], []
    for s in sources:
        for a in attacks:
            n = judged.get((s, a))
            if n is None:
                n = max((m["n"] for t, m in by_cond.get((s, a, False), {}).items()), default=0)
            if count and n >= count:
                done.append("%s %s" % (s, a))
            elif n:
                partial.append("%s %s (partial: %s of %s images)" % (s, a, f"{n:,}", f"{count:,}"))
            else:
                pending.append((s, a))
    pending_sources = [s for s in sources if all((s, a) in pending for a in attacks)]
    pending_other = ["%s %s" % (s, a) for s, a in pending if s not in pending_sources]
    clean = ws.clean_counts()
    n_targets_clean = sum(1 for k, n in clean.values() if count and n >= count)
    status = []
    commits = ws.commits()
    status.append("**Status: %s.** Run `%s` (spec `%s`, seed %s, started %s), %s result rows, the last unit committed %s."
                  % ("finished" if report["status"] == "finished" else "partial — the run is still in progress (status `%s`)" % report["status"],
                     run, spec_row[6] if spec_row else "?", spec_row[4] if spec_row else "?",
                     parse_time(spec_row[1]).strftime("%Y-%m-%d %H:%M UTC") if spec_row else "?", f"{report['rows']:,}",
                     parse_time(commits[-1]).strftime("%Y-%m-%d %H:%M UTC") if commits else "–"))
    if clean:
        status.append("Clean baseline: %d of %d targets × %s images." % (n_targets_clean, len(clean), f"{count:,}"))
    status.append("Attacks done: %s." % (", ".join(done) if done else "none"))
    if partial:
        status.append("%s: %s." % ("Incomplete" if report["status"] == "finished" else "In progress", ", ".join(partial)))
    if pending_sources or pending_other:
        status.append("Pending: %s." % ", ".join(
            (["sources %s (every attack)" % ", ".join(pending_sources)] if pending_sources else []) + pending_other))
    status.append("Compute time%s: %s." % ("" if report["status"] == "finished" else " so far", compute_time(ws, spec_row)))
    status_md = "\n".join(status)

    # ------------------------------------------------ clean accuracy
    best = {}  # target → metric with the largest n (its clean accuracy with an interval)
    for m in metrics:
        if m["target"] not in best or m["n"] > best[m["target"]]["n"]:
            best[m["target"]] = m
    targets = sorted(set(clean) | set(best), key=lambda t: (arch_of(t), variant_of(t), PLACE[fmt_of(t)], fmt_of(t), t))
    lines = ["## Clean accuracy per target", "",
             "Over the run's %s selected images (correct on every source model, so every float file is 1.000 by "
             "construction: all float files of an architecture share one set of weights). 95 %% percentile bootstrap "
             "intervals from `mrw report`; † = counted from results.db's clean rows, no interval, because the report "
             "lists a target only once its group has attack results." % f"{count:,}", "",
             "| target | role | clean accuracy | n |", "|---|---|---|---|"]
    for t in targets:
        if t in best:
            lines.append("| `%s` | %s | %s | %d |" % (t, role(t), ci(best[t]["cleanAccuracy"]), best[t]["n"]))
        else:
            k, n = clean[t]
            lines.append("| `%s` | %s | %s † | %d |" % (t, role(t), num(k / n), n))
    cl = [c for c in comps if c["attack"] == "clean"]
    if cl:
        lines += ["", "Clean-accuracy drift, float vs int8 (paired, from the report's clean comparisons):", "",
                  "| A | B | acc A | acc B | A − B [95 % CI] | McNemar b / c, p | Wilcoxon p (margins) |",
                  "|---|---|---|---|---|---|---|"]
        for c in cl:
            if variant_of(c["targetA"]) != variant_of(c["targetB"]) and (
                    PLACE[fmt_of(c["targetA"])] == PLACE[fmt_of(c["targetB"])] and RUNTIME[fmt_of(c["targetA"])] == RUNTIME[fmt_of(c["targetB"])]):
                lines.append("| `%s` | `%s` | %s | %s | %s | %d / %d, %s (%s) | %s |" % (
                    c["targetA"], c["targetB"], num(c["accuracyA"]), num(c["accuracyB"]), ci(c["accuracyDifference"]),
                    c["mcnemar"]["b"], c["mcnemar"]["c"], pval(c["mcnemar"]["pValue"]), c["mcnemar"]["method"],
                    pval(c["wilcoxon"]["pValue"])))
    missing = [t for t in clean if t not in best]
    if missing:
        lines += ["", "No paired clean comparisons yet for %d targets (%s…): the report pairs targets only after "
                  "they judged a source's adversarials." % (len(missing), ", ".join("`%s`" % t for t in missing[:3]))]
    clean_md = "\n".join(lines)

    # ------------------------------------------------ adversarial accuracy and success
    lines = ["## Adversarial accuracy and success rate per target and attack", "",
             "Accuracy over all n images; success rate over the images **that target** got right when clean (its own "
             "baseline, so an int8 model's clean errors are not counted as attack successes). *float*: the "
             "adversarials as the attack produced them; *8-bit*: rounded to 8-bit pixel levels as a PNG sent to a "
             "phone would be (judged separately). Effective ε = the mean L∞ after rounding. 95 %% bootstrap "
             "intervals (report's method: %s)." % (metrics[0]["method"] if metrics else "–"), ""]
    for s in sources:
        for a in attacks:
            fl = by_cond.get((s, a, False), {})
            rd = by_cond.get((s, a, True), {})
            if not fl and not rd:
                continue
            e = eps_of.get((s, a))
            n = max((m["n"] for m in list(fl.values()) + list(rd.values())), default=0)
            any_rd = next(iter(rd.values()), None)
            eff = (" → effective ε %s after rounding" % num(any_rd["meanLinf"]["estimate"], 5)) \
                if any_rd and any_rd["meanLinf"]["estimate"] is not None and eps_text(e)[0] != "∞" else ""
            part = "" if not count or n >= count else " — **partial: %s of %s images**" % (f"{n:,}", f"{count:,}")
            lines += ["### %s on `%s`, ε = %s%s%s" % (a, s, eps_text(e), eff, part), "",
                      "| target | role | clean | accuracy, float | success, float | accuracy, 8-bit | success, 8-bit | median L2 that fooled it, float |",
                      "|---|---|---|---|---|---|---|---|"]
            for t in sorted(set(fl) | set(rd), key=lambda t: (variant_of(t), PLACE[fmt_of(t)], fmt_of(t), t)):
                f_, r_ = fl.get(t), rd.get(t)
                base = f_ or r_
                lines.append("| `%s` | %s | %s | %s | %s | %s | %s | %s |" % (
                    t, role(t), num(base["cleanAccuracy"]["estimate"]),
                    ci(f_["accuracy"]) if f_ else "–", ci(f_["successRate"]) if f_ else "–",
                    ci(r_["accuracy"]) if r_ else "–", ci(r_["successRate"]) if r_ else "–",
                    ci(f_.get("medianL2Fooled", f_["medianL2"])) if f_ and f_.get("medianL2Fooled", f_["medianL2"])["estimate"] is not None else "–"))
            lines.append("")
            own = fl.get(s)
            if own and eps_text(e)[0] == "∞" and own.get("unperturbed"):
                lines += ["%s of the %s images came back unchanged from the attack on `%s` (`unperturbed` in the "
                          "report): it found no adversarial for them, so every target judged their clean image." % (
                              f"{int(round(own['unperturbed'])):,}", f"{own['n']:,}", s), ""]
    pend = [s for s in sources if not any((s, a, False) in by_cond for a in attacks)]
    if pend:
        lines += ["Pending (no adversarial results yet): %s." % ", ".join("`%s`" % s for s in pend), ""]
    attacks_md = "\n".join(lines)

    # ------------------------------------------------ paired tests
    def find(source, attack, rounded, a, b):
        for c in comps:
            if c["source"] == source and c["attack"] == attack and c["rounded"] == rounded:
                if c["targetA"] == a and c["targetB"] == b:
                    return c, False
                if c["targetA"] == b and c["targetB"] == a:
                    return c, True
        return None, False

    def target_like(source, fmt, variant):
        arch = arch_of(source)
        cands = set(best) | set(clean)
        for t in sorted(cands):
            if arch_of(t) == arch and fmt_of(t) == fmt and variant_of(t) == variant and "@" not in t:
                return t
        return None

    def oriented(c, flip, **fields):
        """One row of a paired comparison, turned around when the report compared the targets as (b, a)."""
        d = c["accuracyDifference"]
        if flip:
            d = {"estimate": 0.0 - d["estimate"] if d["estimate"] is not None else None,
                 "low": 0.0 - d["high"] if d["high"] is not None else None,
                 "high": 0.0 - d["low"] if d["low"] is not None else None}
        b_, c_ = (c["mcnemar"]["c"], c["mcnemar"]["b"]) if flip else (c["mcnemar"]["b"], c["mcnemar"]["c"])
        return dict(fields, n=c["n"], accA=c["accuracyB"] if flip else c["accuracyA"],
                    accB=c["accuracyA"] if flip else c["accuracyB"], diff=d, b_=b_, c_=c_,
                    p=float(c["mcnemar"]["pValue"]), method=c["mcnemar"]["method"],
                    w=c["wilcoxon"]["pValue"], wmethod=c["wilcoxon"]["method"])

    rows = []  # dicts
    for s in sources:
        for a in attacks:
            for rounded in (False, True):
                if (s, a, rounded) not in by_cond:
                    continue
                for fid, label, ra, rb in PAIRS:
                    ta, tb = target_like(s, *ra), target_like(s, *rb)
                    if not ta or not tb:
                        continue
                    c, flip = find(s, a, rounded, ta, tb)
                    if c is None:
                        continue
                    rows.append(oriented(c, flip, f=fid, label=label, source=s, attack=a, rounded=rounded, a=ta, b=tb))
    # a file judged on a device (target MODEL@SERIAL) against the same file in this process: PC vs phone
    for s in sources:
        for a in attacks:
            for rounded in (False, True):
                for t in sorted(by_cond.get((s, a, rounded), {})):
                    if "@" not in t:
                        continue
                    base = t.split("@", 1)[0]
                    c, flip = find(s, a, rounded, base, t)
                    if c is None:
                        continue
                    rows.append(oriented(c, flip, f="F2", label="same file, this computer vs device %s" % t.split("@", 1)[1],
                                         source=s, attack=a, rounded=rounded, a=base, b=t))
    adj = holm([r["p"] for r in rows]) if rows else []
    for r, h in zip(rows, adj):
        r["holm"] = h

    def verdict(r, alpha=0.05):
        if r["holm"] < alpha:
            return "A more accurate" if r["b_"] > r["c_"] else "B more accurate"
        return "no evidence of a difference"

    lines = ["## Paired tests for the paper's findings", "",
             "From the report's `comparisons`: the same images judged by targets A and B. acc = accuracy on the "
             "adversarials (higher = more robust); b = images A got right and B wrong, c = the reverse. McNemar: "
             "*exact* = `McNemar exact (binomial, two-sided)`, *χ²cc* = `McNemar χ² with continuity correction`; "
             "Wilcoxon signed-rank on the per-image margins (true-class logit minus the best other), *normal* = "
             "`Wilcoxon signed-rank normal approximation (tie and continuity corrected)`, *all zero* = "
             "`Wilcoxon signed-rank (no non-zero differences: p = 1)`. Holm = McNemar p adjusted "
             "(Holm) over all %d target-pair tests of this page (F1, F2, F4); the report itself does not correct for multiplicity." % len(rows), ""]
    # F3: the Boundary attack, float vs 8-bit for one target (the study's mobile side got 8-bit PNGs)
    f3 = []
    for s in sources:
        for a in attacks:
            if a != "boundary" and not (eps_of.get((s, a)) in ("inf",)):
                continue
            if (s, a, False) not in by_cond:
                continue
            pr = ws.rounding_pairs(s, a, s)
            if pr:
                b_, c_, n = pr
                meth, p = mcnemar(b_, c_)
                fm, rm = by_cond[(s, a, False)].get(s), by_cond.get((s, a, True), {}).get(s)
                f3.append((s, a, n, fm, rm, b_, c_, p, meth))
    for fid in ("F1", "F2", "F3", "F4"):
        if fid == "F3" and f3:
            lines += ["### F3. %s" % FINDINGS["F3"], "",
                      "The study's PC numbers came from the float adversarials and its phone numbers from 8-bit PNGs. Here "
                      "every target judges both, so the two effects separate: PC vs mobile on the same inputs is in the F2 "
                      "table (Boundary rows); rounding on one target is below. b = right on the float adversarials and "
                      "wrong on the 8-bit ones, c = the reverse. **Computed by make.sh from results.db rows** (the report "
                      "pairs targets within a condition, not two conditions of one target), with the report's McNemar "
                      "rules; not Holm-adjusted.", "",
                      "| target (= source) | attack | n | acc, float [95 % CI] | acc, 8-bit [95 % CI] | b / c | McNemar p |",
                      "|---|---|---|---|---|---|---|"]
            for s, a, n, fm, rm, b_, c_, p, meth in f3:
                lines.append("| `%s` | %s | %d | %s | %s | %d / %d | %s (%s) |" % (
                    s, a, n, ci(fm["accuracy"]) if fm else "–", ci(rm["accuracy"]) if rm else "–", b_, c_, pval(p), short_method(meth)))
            lines.append("")
            for s, a, *_ in f3:
                ns = ws.no_start(s, a)
                if ns:
                    total = sum(k for _, k in ns)
                    lines.append("Note (results.db): on `%s` %s left %d image(s) unperturbed (L2 = 0: no adversarial "
                                 "start found), by label: %s. They count as failures of the attack."
                                 % (s, a, total, ", ".join("%d: %d" % (l, k) for l, k in ns)))
            lines.append("")

        sel = [r for r in rows if r["f"] == fid]
        if not sel:
            continue
        lines += ["### %s. %s" % (fid, FINDINGS[fid]), "",
                  "| pair (A vs B) | source | attack | adversarials | n | acc A | acc B | A − B [95 % CI] | b / c | McNemar p | Holm | Wilcoxon p |",
                  "|---|---|---|---|---|---|---|---|---|---|---|---|"]
        for r in sel:
            lines.append("| %s: `%s` vs `%s` | `%s` | %s | %s | %d | %s | %s | %s | %d / %d | %s (%s) | %s | %s (%s) |" % (
                r["label"], r["a"], r["b"], r["source"], r["attack"], "8-bit" if r["rounded"] else "float", r["n"],
                num(r["accA"]), num(r["accB"]), ci(r["diff"]), r["b_"], r["c_"], pval(r["p"]), short_method(r["method"]),
                pval(r["holm"]), pval(r["w"]), short_method(r["wmethod"])))
        lines.append("")
    paired_md = "\n".join(lines)

    # ------------------------------------------------ summary of the findings for STUDY.md
    lines = ["| finding | tests | A more accurate (Holm p < 0.05) | B more accurate | no evidence | largest \\|A − B\\| |",
             "|---|---|---|---|---|---|"]
    for fid in ("F1", "F2", "F4"):
        labels = [p[1] for p in PAIRS if p[0] == fid]
        labels += sorted({r["label"] for r in rows if r["f"] == fid and r["label"] not in labels})
        for label in labels:
            for rounded in (False, True):
                sel = [r for r in rows if r["f"] == fid and r["label"] == label and r["rounded"] == rounded]
                if not sel:
                    continue
                va = [verdict(r) for r in sel]
                big = max(sel, key=lambda r: abs(r["diff"]["estimate"] or 0))
                lines.append("| %s %s (%s adversarials) | %d | %d | %d | %d | %s (%s, %s) |" % (
                    fid, label, "8-bit" if rounded else "float", len(sel), va.count("A more accurate"),
                    va.count("B more accurate"), va.count("no evidence of a difference"),
                    ci(big["diff"]), big["attack"], big["source"]))
    for s, a, n, fm, rm, b_, c_, p, meth in f3:
        lines.append("| F3 rounding, `%s` %s: float vs 8-bit | 1 | %s | %s | %s | %s → %s |" % (
            s, a, "1" if p < 0.05 and b_ > c_ else "0", "1" if p < 0.05 and c_ > b_ else "0", "1" if p >= 0.05 else "0",
            num(fm["accuracy"]["estimate"]) if fm else "–", num(rm["accuracy"]["estimate"]) if rm else "–"))
    # the link as seen from docs/STUDY.md, wherever OUT is (docs/study, docs/study/host, ...)
    paired_link = os.path.relpath(os.path.join(out, "paired.md"), os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    findings_md = "\n".join(lines) + "\n\nEvery row is spelled out in [%s](%s)." % (paired_link, paired_link)

    # ------------------------------------------------ figures
    figs = []
    for f in glob.glob(os.path.join(out, "fig-*.png")):
        base = os.path.basename(f)[4:-4]
        m = re.match(r"(.+?)--(.+?)(--8bit)?$", base)
        a, s, r8 = (m.group(1), m.group(2), bool(m.group(3))) if m else (base, "", False)
        figs.append((sources.index(s) if s in sources else 99, attacks.index(a) if a in attacks else 99, r8, f, base, a, s))
    lines = []
    for _, _, r8, f, base, a, s in sorted(figs):
        svg = os.path.join(out, "fig-%s.svg" % base)
        n = max((mm["n"] for mm in by_cond.get((s, a, r8), {}).values()), default=0)
        part = "" if not count or n >= count else " — partial: %s of %s images" % (f"{n:,}", f"{count:,}")
        axis = " — accuracy over the L2 budget, from the minimal adversarials" if eps_of.get((s, a)) == "inf" else ""
        title = "%s on `%s`, %s adversarials%s%s" % (a, s, "8-bit rounded" if r8 else "float", axis, part)
        lines += ["**%s** ([SVG](study/%s))" % (title, os.path.basename(svg)), "",
                  "![%s](study/%s)" % (title.replace("`", ""), os.path.basename(f)), ""]
    figures_md = "\n".join(lines) if lines else "No figures yet."

    header = "<!-- generated by docs/study/make.sh from `mrw report --json` of run %s; do not edit -->\n\n" % run
    with open(os.path.join(out, "numbers.md"), "w", encoding="utf-8") as f:
        f.write(header + "# Study numbers\n\n" + status_md + "\n\n" + clean_md + "\n\n" + attacks_md + "\n")
    with open(os.path.join(out, "paired.md"), "w", encoding="utf-8") as f:
        f.write(header + "# Study: paired tests\n\n" + status_md + "\n\n" + paired_md + "\n")
    with open(os.path.join(out, "report.json"), "w", encoding="utf-8") as f:
        json.dump(round_floats(report), f, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
        f.write("\n")

    if study:
        with open(study, encoding="utf-8") as f:
            text = f.read()
        for name, body in (("status", status_md), ("figures", figures_md), ("findings", findings_md)):
            pat = re.compile(r"(<!-- generated:%s -->\n)(?:.*?\n)?(<!-- /generated:%s -->)" % (name, name), re.S)
            if not pat.search(text):
                print("fragments.py: no <!-- generated:%s --> block in %s; left as is" % (name, study), file=sys.stderr)
                continue
            text = pat.sub(lambda m: m.group(1) + body.rstrip("\n") + "\n" + m.group(2), text)
        with open(study, "w", encoding="utf-8") as f:
            f.write(text)


if __name__ == "__main__":
    main(sys.argv)

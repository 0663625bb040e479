#!/usr/bin/env python3
"""Draw PNG plots from the output directories of p2psip-sim runs.

Usage: plot.py --to DIR RUNDIR [RUNDIR ...]

Each RUNDIR is one run's output directory (summary.csv, and optionally hops.csv,
latency.csv, timeline.csv, revocations.csv).  Writes into DIR:

  hops.png               lookup hops (median, p99 from hops.csv) against N, with ½·log2 N
  attackers-success.png  lookup success against attacker fraction, one line per kind
  attackers-latency.png  lookup latency (median, p99 dashed) against attacker fraction
  survival.png           record survival against churn, one line per peers value
  maintenance.png        maintenance messages and bytes per peer per s against time
  revocation.png         time from revocation until cut off, "never" marked

All input is read and checked before anything is drawn.  A missing or malformed
file, line or column is an error naming the file (and line), exit status 2.
Nothing is invented: a plot for which no run has the data is skipped with a
one-line note on stderr (and a stale PNG of that name in DIR is removed); a run
that lacks the value a plot needs is left out of that plot with a note.  The
footer of every plot lists the runs it used.  Where several runs give a point at
the same x of one line, each is drawn as a marker and the line passes through
their mean (the footer then says so).

Matplotlib (Debian: python3-matplotlib) is used with the Agg backend; numpy is
not needed.  If the interpreter running this script cannot import matplotlib
(a pyenv or venv python that does not see /usr/lib/python3/dist-packages), the
script re-runs itself once under /usr/bin/python3.
"""

import argparse
import importlib.util
import math
import os
import re
import sys
import textwrap

PROG = "plot.py"
EXIT_ERROR = 2


class DataError(Exception):
    """Malformed or missing input; the message names the file and, if it has one, the line."""


def note(message):
    print(f"{PROG}: {message}", file=sys.stderr)


# ----------------------------------------------------------------------------
# Reading and checking the files of a run directory
# ----------------------------------------------------------------------------

NUMBER = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?\Z")
WHOLE = re.compile(r"[+-]?[0-9]+\Z")


def parse_number(text, where, what):
    if not NUMBER.match(text):
        raise DataError(f"{where}: {what}: {text!r} is not a decimal number")
    value = float(text)
    if not math.isfinite(value):
        raise DataError(f"{where}: {what}: {text!r} is out of range")
    return value


def parse_whole(text, where, what):
    if not WHOLE.match(text):
        raise DataError(f"{where}: {what}: {text!r} is not a whole number")
    return int(text)


def check_range(value, where, what, low=None, high=None, above=None):
    if low is not None and value < low:
        raise DataError(f"{where}: {what}: {value:g} is below {low:g}")
    if high is not None and value > high:
        raise DataError(f"{where}: {what}: {value:g} is above {high:g}")
    if above is not None and value <= above:
        raise DataError(f"{where}: {what}: {value:g} must be above {above:g}")
    return value


def read_lines(path):
    """The lines of a text file as (line number, text); a final newline ends the last line."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except FileNotFoundError:
        raise DataError(f"{path}: no such file")
    except IsADirectoryError:
        raise DataError(f"{path}: is a directory, not a file")
    except OSError as e:
        raise DataError(f"{path}: cannot read: {e.strerror}")
    raw = data.split(b"\n")
    if raw and raw[-1] == b"":
        raw.pop()
    lines = []
    for number, chunk in enumerate(raw, start=1):
        if chunk.endswith(b"\r"):
            chunk = chunk[:-1]
        try:
            text = chunk.decode("utf-8")
        except UnicodeDecodeError:
            raise DataError(f"{path}:{number}: not UTF-8 text")
        lines.append((number, text))
    return lines


def read_csv(path, columns, exact=False):
    """Header and rows of a CSV file as a list of (line number, {column: text}).

    Every column of `columns` must be in the header (others are ignored unless
    `exact`), no column twice; every row has as many fields as the header."""
    lines = read_lines(path)
    if not lines:
        raise DataError(f"{path}:1: empty file; expected the header line {','.join(columns)}")
    header_number, header_text = lines[0]
    header = header_text.split(",")
    where = f"{path}:{header_number}"
    if exact and header != list(columns):
        raise DataError(f"{where}: header is {header_text!r}; expected {','.join(columns)!r}")
    seen = set()
    for name in header:
        if name in seen:
            raise DataError(f"{where}: column {name!r} appears twice in the header")
        seen.add(name)
    missing = [c for c in columns if c not in seen]
    if missing:
        raise DataError(f"{where}: header {header_text!r} lacks column(s) {', '.join(missing)}")
    rows = []
    for number, text in lines[1:]:
        if text == "":
            raise DataError(f"{path}:{number}: empty line")
        fields = text.split(",")
        if len(fields) != len(header):
            raise DataError(
                f"{path}:{number}: {len(fields)} field(s), but the header has {len(header)}")
        rows.append((number, dict(zip(header, fields))))
    return rows


MODES = ("full", "routing-only")
ATTACKER_KINDS = ("none", "drop", "misroute", "not-found", "fake-store", "sybil",
                  "eclipse", "replay", "flood", "alter")

# metric -> kind of value.  Metrics marked "required" must have a non-empty value;
# all others may be empty (missing for the plots that need them).  Every metric listed
# here must have a row in summary.csv; unknown metrics are ignored.
SUMMARY_METRICS = {
    "name": "text",
    "mode": "mode",
    "peers": "peers",
    "duration_s": "duration",
    "attacker_kind": "kind",
    "attacker_fraction": "fraction_required",
    "churn_session_median_s": "nonneg_required",
    "churn_events_per_peer_per_hour": "nonneg",
    "lookups": "count",
    "lookup_success": "fraction",
    "lookup_latency_median_ms": "nonneg",
    "lookup_latency_p99_ms": "nonneg",
    "hops_median": "nonneg",
    "hops_p99": "nonneg",
    "records_acknowledged": "count",
    "records_surviving": "count",
    "survival_fraction": "fraction",
    "maintenance_messages_per_peer_per_s": "nonneg",
    "maintenance_bytes_per_peer_per_s": "nonneg",
    "cpu_ms_per_peer_per_s": "nonneg",
    "revocation_cutoff_s": "cutoff",
}


def parse_metric(kind, text, where, metric):
    required = kind in ("text", "mode", "peers", "duration", "kind",
                        "fraction_required", "nonneg_required")
    if text == "":
        if required:
            raise DataError(f"{where}: {metric}: empty, but a run always has one")
        return None
    if kind == "text":
        return text
    if kind == "mode":
        if text not in MODES:
            raise DataError(f"{where}: mode: {text!r} is not one of {', '.join(MODES)}")
        return text
    if kind == "kind":
        if text not in ATTACKER_KINDS:
            raise DataError(
                f"{where}: attacker_kind: {text!r} is not one of {', '.join(ATTACKER_KINDS)}")
        return text
    if kind == "peers":
        return check_range(parse_whole(text, where, metric), where, metric, low=1)
    if kind == "count":
        return check_range(parse_whole(text, where, metric), where, metric, low=0)
    if kind == "duration":
        return check_range(parse_number(text, where, metric), where, metric, above=0)
    if kind in ("fraction", "fraction_required"):
        return check_range(parse_number(text, where, metric), where, metric, low=0, high=1)
    if kind in ("nonneg", "nonneg_required"):
        return check_range(parse_number(text, where, metric), where, metric, low=0)
    if kind == "cutoff":
        if text == "never":
            return "never"
        return check_range(parse_number(text, where, metric), where, metric, low=0)
    raise AssertionError(kind)


def read_summary(path):
    rows = read_csv(path, ("metric", "value"), exact=True)
    values, line_of = {}, {}
    for number, row in rows:
        metric = row["metric"]
        where = f"{path}:{number}"
        if metric == "":
            raise DataError(f"{where}: empty metric name")
        if metric in line_of:
            raise DataError(f"{where}: metric {metric!r} again (first on line {line_of[metric]})")
        line_of[metric] = number
        if metric in SUMMARY_METRICS:
            values[metric] = parse_metric(SUMMARY_METRICS[metric], row["value"], where, metric)
    missing = [m for m in SUMMARY_METRICS if m not in line_of]
    if missing:
        last = rows[-1][0] if rows else 1
        raise DataError(f"{path}:{last}: no row for metric(s) {', '.join(missing)} "
                        f"(after the last line)")
    if values["attacker_kind"] == "none" and values["attacker_fraction"] != 0:
        raise DataError(f"{path}:{line_of['attacker_fraction']}: attacker_fraction "
                        f"{values['attacker_fraction']:g} with attacker_kind none")
    return values


def read_histogram(path, key_column, key_is_whole):
    """{key: count} of a histogram file (hops.csv, latency.csv)."""
    histogram = {}
    for number, row in read_csv(path, (key_column, "count")):
        where = f"{path}:{number}"
        if key_is_whole:
            key = parse_whole(row[key_column], where, key_column)
        else:
            key = parse_number(row[key_column], where, key_column)
        check_range(key, where, key_column, low=0)
        count = check_range(parse_whole(row["count"], where, "count"), where, "count", low=0)
        if key in histogram:
            raise DataError(f"{where}: {key_column} {row[key_column]} appears twice")
        histogram[key] = count
    return histogram


TIMELINE_COLUMNS = {
    "time_s": "time",
    "live_peers": "count",
    "lookups": "count",
    "lookup_success": "fraction",
    "maintenance_messages_per_peer_per_s": "nonneg",
    "maintenance_bytes_per_peer_per_s": "nonneg",
    "records_acknowledged": "count",
    "records_surviving": "count",
}


def read_timeline(path):
    """List of {column: value or None}; time_s is always there and strictly increases."""
    timeline = []
    previous = None
    for number, row in read_csv(path, tuple(TIMELINE_COLUMNS)):
        where = f"{path}:{number}"
        entry = {}
        for column, kind in TIMELINE_COLUMNS.items():
            text = row[column]
            if text == "":
                if kind == "time":
                    raise DataError(f"{where}: time_s: empty")
                entry[column] = None
            elif kind == "count":
                entry[column] = check_range(parse_whole(text, where, column), where, column, low=0)
            elif kind == "fraction":
                entry[column] = check_range(parse_number(text, where, column), where, column,
                                            low=0, high=1)
            else:
                entry[column] = check_range(parse_number(text, where, column), where, column,
                                            low=0)
        if previous is not None and entry["time_s"] <= previous:
            raise DataError(f"{where}: time_s {entry['time_s']:g} does not follow "
                            f"the previous row's {previous:g}")
        previous = entry["time_s"]
        timeline.append(entry)
    return timeline


def read_revocations(path):
    """List of (revoked_at_s, peer, cut_off_at_s or None)."""
    revocations = []
    for number, row in read_csv(path, ("revoked_at_s", "peer", "cut_off_at_s")):
        where = f"{path}:{number}"
        revoked = check_range(parse_number(row["revoked_at_s"], where, "revoked_at_s"),
                              where, "revoked_at_s", low=0)
        if row["peer"] == "":
            raise DataError(f"{where}: peer: empty")
        cut = None
        if row["cut_off_at_s"] != "":
            cut = parse_number(row["cut_off_at_s"], where, "cut_off_at_s")
            if cut < revoked:
                raise DataError(f"{where}: cut_off_at_s {cut:g} is before revoked_at_s {revoked:g}")
        revocations.append((revoked, row["peer"], cut))
    return revocations


class Run:
    def __init__(self, directory):
        self.directory = directory
        self.summary = read_summary(os.path.join(directory, "summary.csv"))
        self.name = self.summary["name"]
        self.label = self.name  # made unique in read_runs
        self.hops = self._optional("hops.csv", lambda p: read_histogram(p, "hops", True))
        self.latency = self._optional("latency.csv",
                                      lambda p: read_histogram(p, "bucket_ms", False))
        self.timeline = self._optional("timeline.csv", read_timeline)
        self.revocations = self._optional("revocations.csv", read_revocations)

    def _optional(self, filename, reader):
        path = os.path.join(self.directory, filename)
        if not os.path.lexists(path):
            return None
        return reader(path)

    def __getitem__(self, metric):
        return self.summary[metric]


def read_runs(directories):
    runs = []
    for directory in directories:
        if not os.path.isdir(directory):
            raise DataError(f"{directory}: not a directory (expected a run's output directory)")
        runs.append(Run(directory))
    runs.sort(key=lambda r: (r.name, r.directory))
    counts = {}
    for run in runs:
        counts[run.name] = counts.get(run.name, 0) + 1
    for run in runs:
        if counts[run.name] > 1:
            run.label = f"{run.name} [{os.path.normpath(run.directory)}]"
    return runs


# ----------------------------------------------------------------------------
# Derived values
# ----------------------------------------------------------------------------

def histogram_quantile(histogram, q):
    """Nearest-rank quantile of a {value: count} histogram; None when it counts nothing."""
    total = sum(histogram.values())
    if total == 0:
        return None
    rank = max(1, math.ceil(q * total))
    cumulative = 0
    for value in sorted(histogram):
        cumulative += histogram[value]
        if cumulative >= rank:
            return value
    raise AssertionError("rank beyond total")


def format_seconds(seconds):
    if seconds == 0:
        return "no churn"
    if seconds % 3600 == 0:
        return f"session {seconds / 3600:g} h"
    if seconds % 60 == 0:
        return f"session {seconds / 60:g} min"
    return f"session {seconds:g} s"


# ----------------------------------------------------------------------------
# Drawing
# ----------------------------------------------------------------------------

class Plotter:
    def __init__(self, to, plt):
        self.to = to
        self.plt = plt
        self.written = []
        self.averaged = False  # of the figure being drawn

    def series(self, ax, points, **style):
        """Draw (x, y) points as markers joined by a line.  Where several runs share an x,
        every run's point is drawn and the line passes through their mean."""
        points = sorted(points)
        by_x = {}
        for x, y in points:
            by_x.setdefault(x, []).append(y)
        xs = sorted(by_x)
        if len(xs) == len(points):
            ax.plot(xs, [by_x[x][0] for x in xs], **style)
            return
        self.averaged = True
        unlabelled = {k: v for k, v in style.items() if k != "label"}
        line = {k: v for k, v in unlabelled.items() if k not in ("marker", "markerfacecolor")}
        ax.plot(xs, [sum(by_x[x]) / len(by_x[x]) for x in xs], **line)
        dots = {k: v for k, v in unlabelled.items() if k != "linestyle"}
        ax.plot([p[0] for p in points], [p[1] for p in points], linestyle="none", **dots)
        ax.plot([], [], **style)  # the legend entry: line and marker

    def colour(self, index):
        palette = self.plt.get_cmap("tab10").colors
        return palette[index % len(palette)]

    @staticmethod
    def linestyle_for(index):
        return ("-", "--", "-.", ":")[(index // 10) % 4] if index >= 10 else "-"

    def skip(self, filename, reason):
        path = os.path.join(self.to, filename)
        extra = ""
        if os.path.lexists(path):
            os.remove(path)
            extra = f"; removed the stale {path}"
        note(f"skipped {filename}: {reason}{extra}")

    def finish(self, fig, filename, runs_used, legend_axes, outside=False):
        for ax in legend_axes:
            handles, labels = ax.get_legend_handles_labels()
            if not handles:
                continue
            if outside:
                ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small",
                          borderaxespad=0.0)
            else:
                ax.legend(loc="best", fontsize="small")
        names = ", ".join(r.label for r in runs_used)
        footer = f"runs ({len(runs_used)}): {names}"
        if self.averaged:
            footer += (".  Where several runs share an x value, each is a marker and "
                       "the line passes through their mean.")
        self.averaged = False
        footer = textwrap.fill(footer, width=150, break_on_hyphens=False)
        fig.text(0.01, -0.01, footer, ha="left", va="top", fontsize=7, family="monospace")
        path = os.path.join(self.to, filename)
        fig.savefig(path, dpi=110, bbox_inches="tight", metadata={"Software": None})
        self.plt.close(fig)
        self.written.append(path)

    # 1. hops.png -------------------------------------------------------------
    def hops(self, runs):
        filename = "hops.png"
        with_file = [r for r in runs if r.hops is not None]
        used = []
        for run in with_file:
            if sum(run.hops.values()) == 0:
                note(f"{filename}: left out {run.label}: its hops.csv counts no lookup")
            else:
                used.append(run)
        if not used:
            self.skip(filename, "no run has a hops.csv with counted lookups")
            return
        # One series per mode and condition (attacker, churn); a plain sweep has one per mode.
        series = {}
        for run in used:
            key = (MODES.index(run["mode"]), run["mode"], run["attacker_kind"],
                   run["attacker_fraction"], run["churn_session_median_s"])
            series.setdefault(key, []).append(run)
        fig, ax = self.plt.subplots(figsize=(8, 5.5))
        markers = {"full": "o", "routing-only": "s"}
        for index, key in enumerate(sorted(series)):
            _, mode, kind, fraction, churn = key
            members = sorted(series[key], key=lambda r: (r["peers"], r.name))
            label = mode
            if kind != "none":
                label += f", {kind} {fraction * 100:g} %"
            if churn != 0:
                label += f", {format_seconds(churn)}"
            colour = self.colour(index)
            self.series(ax, [(r["peers"], histogram_quantile(r.hops, 0.5)) for r in members],
                        marker=markers[mode], linestyle="-", color=colour,
                        label=f"{label}: median")
            self.series(ax, [(r["peers"], histogram_quantile(r.hops, 0.99)) for r in members],
                        marker=markers[mode], linestyle="--", color=colour,
                        markerfacecolor="none", label=f"{label}: p99")
        peers = [r["peers"] for r in used]
        low, high = min(100, min(peers)), max(100_000, max(peers))
        steps = 200
        ref_x = [low * (high / low) ** (i / steps) for i in range(steps + 1)]
        ax.plot(ref_x, [0.5 * math.log2(n) for n in ref_x], color="black", linestyle=":",
                linewidth=1.2, label="½·log₂ N (reference)")
        ax.set_xscale("log")
        ax.set_xlabel("N, number of peers (log scale)")
        ax.set_ylabel("hops per lookup (count)")
        ax.set_ylim(bottom=0)
        ax.grid(True, which="both", alpha=0.3)
        ax.set_title("Lookup hops against ½·log2 N")
        self.finish(fig, filename, used, [ax], outside=len(series) > 2)

    # 2. attackers-success.png, attackers-latency.png ----------------------------
    def attacker_groups(self, runs, filename, metrics):
        """{(kind, peers, churn): [runs]} of mode-full attack runs with any of `metrics`,
        each with the matching attacker-free runs added as the 0 % point."""
        full = [r for r in runs if r["mode"] == "full"]
        baseline = [r for r in full if r["attacker_kind"] == "none"]
        groups = {}
        for run in full:
            if run["attacker_kind"] == "none":
                continue
            if all(run[m] is None for m in metrics):
                note(f"{filename}: left out {run.label}: no {' or '.join(metrics)}")
                continue
            key = (run["attacker_kind"], run["peers"], run["churn_session_median_s"])
            groups.setdefault(key, []).append(run)
        for key, members in groups.items():
            _, peers, churn = key
            for run in baseline:
                if (run["peers"] == peers and run["churn_session_median_s"] == churn
                        and any(run[m] is not None for m in metrics)):
                    members.append(run)
        return groups

    @staticmethod
    def group_label(key, keys):
        kind, peers, churn = key
        label = kind
        if len({k[1] for k in keys}) > 1:
            label += f", N={peers}"
        if len({k[2] for k in keys}) > 1:
            label += f", {format_seconds(churn)}"
        return label

    @staticmethod
    def fraction_points(members, metric):
        return [(r["attacker_fraction"] * 100, r[metric]) for r in members
                if r[metric] is not None]

    def attackers(self, runs):
        for filename, metrics in (("attackers-success.png", ("lookup_success",)),
                                  ("attackers-latency.png", ("lookup_latency_median_ms",
                                                             "lookup_latency_p99_ms"))):
            groups = self.attacker_groups(runs, filename, metrics)
            if not groups:
                self.skip(filename, f"no run of mode full with an attacker and "
                                    f"{' or '.join(metrics)}")
                continue
            keys = sorted(groups, key=lambda k: (ATTACKER_KINDS.index(k[0]), k[1], k[2]))
            fig, ax = self.plt.subplots(figsize=(8, 5.5))
            used = set()
            for index, key in enumerate(keys):
                members = groups[key]
                used.update(members)
                colour = self.colour(index)
                style = self.linestyle_for(index)
                label = self.group_label(key, keys)
                if filename == "attackers-success.png":
                    self.series(ax, self.fraction_points(members, "lookup_success"),
                                marker="o", color=colour, linestyle=style, label=label)
                else:
                    self.series(ax, self.fraction_points(members, "lookup_latency_median_ms"),
                                marker="o", color=colour, linestyle=style,
                                label=f"{label}: median")
                    self.series(ax, self.fraction_points(members, "lookup_latency_p99_ms"),
                                marker="^", color=colour, linestyle="--",
                                markerfacecolor="none", label=f"{label}: p99")
            ax.set_xlabel("attacker fraction (% of peers)")
            if filename == "attackers-success.png":
                ax.set_ylabel("lookup success (fraction of lookups, 0–1)")
                ax.set_ylim(-0.02, 1.02)
                ax.set_title("Lookup success against attacker fraction (mode full)")
            else:
                ax.set_ylabel("lookup latency (ms)")
                ax.set_ylim(bottom=0)
                ax.set_title("Lookup latency against attacker fraction (mode full; "
                             "p99 dashed)")
            ax.set_xlim(left=-1)
            ax.grid(True, alpha=0.3)
            used_runs = sorted(used, key=lambda r: (r.name, r.directory))
            self.finish(fig, filename, used_runs, [ax], outside=len(keys) > 4)

    # 3. survival.png ----------------------------------------------------------
    def survival(self, runs):
        filename = "survival.png"
        candidates = [r for r in runs if r["attacker_kind"] == "none"]
        used = []
        for run in candidates:
            missing = [m for m in ("survival_fraction", "churn_events_per_peer_per_hour")
                       if run[m] is None]
            if missing:
                if run["mode"] == "full":
                    note(f"{filename}: left out {run.label}: no {' or '.join(missing)}")
                continue
            used.append(run)
        if not used:
            self.skip(filename, "no run without attackers has survival_fraction "
                                "and churn_events_per_peer_per_hour")
            return
        several_modes = len({r["mode"] for r in used}) > 1
        series = {}
        for run in used:
            series.setdefault((run["peers"], run["mode"]), []).append(run)
        fig, ax = self.plt.subplots(figsize=(8, 5.5))
        for index, key in enumerate(sorted(series)):
            peers, mode = key
            points = [(r["churn_events_per_peer_per_hour"], r["survival_fraction"])
                      for r in series[key]]
            label = f"N={peers}" + (f", {mode}" if several_modes else "")
            self.series(ax, points, marker="o", color=self.colour(index),
                        linestyle=self.linestyle_for(index), label=label)
        ax.set_xlabel("churn (leave/join events per peer per hour)")
        ax.set_ylabel("records surviving (fraction of acknowledged, 0–1)")
        ax.set_ylim(-0.02, 1.02)
        ax.set_xlim(left=0)
        ax.grid(True, alpha=0.3)
        ax.set_title("Stored-record survival against churn (no attackers)")
        self.finish(fig, filename, used, [ax])

    # 4. maintenance.png -------------------------------------------------------
    def maintenance(self, runs):
        filename = "maintenance.png"
        columns = ("maintenance_messages_per_peer_per_s", "maintenance_bytes_per_peer_per_s")
        used = []
        for run in runs:
            if run.timeline is None:
                continue
            if not any(row[c] is not None for row in run.timeline for c in columns):
                note(f"{filename}: left out {run.label}: its timeline.csv has no "
                     f"maintenance values")
                continue
            used.append(run)
        if not used:
            self.skip(filename, "no run has a timeline.csv with maintenance values")
            return
        longest = max(row["time_s"] for r in used for row in r.timeline)
        if longest > 3 * 3600:
            scale, unit = 3600.0, "h"
        elif longest > 180:
            scale, unit = 60.0, "min"
        else:
            scale, unit = 1.0, "s"
        fig, (top, bottom) = self.plt.subplots(2, 1, sharex=True, figsize=(9, 7))
        for index, run in enumerate(used):
            colour = self.colour(index)
            style = self.linestyle_for(index)
            for ax, column in ((top, columns[0]), (bottom, columns[1])):
                xs = [row["time_s"] / scale for row in run.timeline]
                ys = [math.nan if row[column] is None else row[column] for row in run.timeline]
                ax.plot(xs, ys, color=colour, linestyle=style, linewidth=1.2,
                        marker="." if len(xs) < 3 else None,
                        label=run.label if ax is top else None)
        top.set_ylabel("maintenance messages\n(per peer per s)")
        bottom.set_ylabel("maintenance bytes\n(B per peer per s)")
        bottom.set_xlabel(f"simulated time ({unit})")
        for ax in (top, bottom):
            ax.set_ylim(bottom=0)
            ax.grid(True, alpha=0.3)
        top.set_title("Maintenance traffic per peer against time")
        self.finish(fig, filename, used, [top], outside=True)

    # 5. revocation.png --------------------------------------------------------
    def revocation(self, runs):
        filename = "revocation.png"
        used = []
        for run in runs:
            if run.revocations is None:
                continue
            if not run.revocations:
                note(f"{filename}: left out {run.label}: its revocations.csv lists no revocation")
                continue
            used.append(run)
        if not used:
            self.skip(filename, "no run has a revocations.csv with a revocation")
            return
        delays = [cut - revoked for r in used for revoked, _, cut in r.revocations
                  if cut is not None]
        highest = max(delays) if delays else 0.0
        never_y = highest * 1.15 if highest > 0 else 1.0
        fig, ax = self.plt.subplots(figsize=(8, 5.5))
        any_never = False
        for index, run in enumerate(used):
            colour = self.colour(index)
            cut = sorted((c, c - r) for r, _, c in run.revocations if c is not None)
            never = sum(1 for _, _, c in run.revocations if c is None)
            label = f"{run.label}: {len(cut)} cut off"
            if cut:
                ax.plot([c[0] for c in cut], [c[1] for c in cut], linestyle="none", marker="o",
                        color=colour, alpha=0.8, label=label)
            if never:
                any_never = True
                end = run["duration_s"]
                ax.plot([end] * never, [never_y] * never, linestyle="none", marker="x",
                        markersize=10, markeredgewidth=2, color=colour, zorder=3,
                        label=f"{run.label}: {never} never cut off (x at run end)")
                if never > 1:
                    ax.annotate(f"×{never}", (end, never_y), textcoords="offset points",
                                xytext=(6, 4), fontsize=8, color=colour)
        ticks = [t for t in ax.get_yticks() if 0 <= t < never_y * 0.95] if delays else [0.0]
        if any_never:
            ax.axhline(never_y * 0.96, color="grey", linewidth=0.8, linestyle=":")
            ax.set_yticks(ticks + [never_y])
            ax.set_yticklabels([f"{t:g}" for t in ticks] + ["never"])
            ax.set_ylim(bottom=0, top=never_y * 1.08)
        else:
            ax.set_ylim(bottom=0)
        ax.set_xlim(left=0)
        ax.set_xlabel("simulated time of cut-off (s); run end for \"never\"")
        ax.set_ylabel("time from revocation until cut off (s)")
        ax.grid(True, alpha=0.3)
        ax.set_title("Revoked peers: time until cut off")
        self.finish(fig, filename, used, [ax], outside=True)


# ----------------------------------------------------------------------------

def ensure_matplotlib():
    """Find matplotlib, re-running this script once under the system python if need be."""
    if importlib.util.find_spec("matplotlib") is not None:
        return
    system = "/usr/bin/python3"
    if (os.environ.get("P2PSIP_PLOT_REEXEC") != "1" and os.access(system, os.X_OK)
            and os.path.realpath(sys.executable) != os.path.realpath(system)):
        os.environ["P2PSIP_PLOT_REEXEC"] = "1"
        sys.stdout.flush()
        sys.stderr.flush()
        os.execv(system, [system, os.path.abspath(__file__)] + sys.argv[1:])
    note("matplotlib is not installed for this python "
         "(Debian: apt-get install python3-matplotlib)")
    sys.exit(EXIT_ERROR)


def main(argv):
    parser = argparse.ArgumentParser(
        prog=PROG, description="Draw PNG plots from p2psip-sim run output directories.")
    parser.add_argument("--to", required=True, metavar="DIR",
                        help="directory to write the PNGs into (created if absent)")
    parser.add_argument("rundirs", nargs="+", metavar="RUNDIR",
                        help="a run's output directory (holds summary.csv)")
    args = parser.parse_args(argv)  # exits 2 on a usage error

    ensure_matplotlib()
    try:
        runs = read_runs(args.rundirs)
    except DataError as e:
        note(f"error: {e}")
        return EXIT_ERROR

    try:
        os.makedirs(args.to, exist_ok=True)
    except OSError as e:
        note(f"error: {args.to}: cannot create the output directory: {e.strerror}")
        return EXIT_ERROR

    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plotter = Plotter(args.to, plt)
    plotter.hops(runs)
    plotter.attackers(runs)
    plotter.survival(runs)
    plotter.maintenance(runs)
    plotter.revocation(runs)
    for path in plotter.written:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

#!/usr/bin/env python3
"""Tests of plot.py on small synthetic run directories.  Run: python3 Tools/sim/test_plot.py"""

import os
import struct
import subprocess
import sys
import tempfile
import unittest
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
PLOT = os.path.join(HERE, "plot.py")
ALL_PNGS = ("hops.png", "attackers-success.png", "attackers-latency.png", "survival.png",
            "maintenance.png", "revocation.png")
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def summary_rows(**values):
    """summary.csv rows in the documented order; keyword arguments override the defaults."""
    rows = {
        "name": "run", "mode": "full", "peers": "1000", "duration_s": "3600",
        "attacker_kind": "none", "attacker_fraction": "0", "churn_session_median_s": "0",
        "churn_events_per_peer_per_hour": "0", "lookups": "500", "lookup_success": "0.99",
        "lookup_latency_median_ms": "120", "lookup_latency_p99_ms": "480",
        "hops_median": "3", "hops_p99": "6", "records_acknowledged": "200",
        "records_surviving": "198", "survival_fraction": "0.99",
        "maintenance_messages_per_peer_per_s": "0.8", "maintenance_bytes_per_peer_per_s": "410.5",
        "cpu_ms_per_peer_per_s": "0.02", "revocation_cutoff_s": "",
    }
    for key, value in values.items():
        rows[key] = str(value)
    return rows


def write_run(root, name, hops=None, timeline=None, revocations=None, latency=None, **values):
    directory = os.path.join(root, name)
    os.makedirs(directory)
    rows = summary_rows(name=name, **values)
    with open(os.path.join(directory, "summary.csv"), "w") as f:
        f.write("metric,value\n")
        for key, value in rows.items():
            f.write(f"{key},{value}\n")
    if hops is not None:
        with open(os.path.join(directory, "hops.csv"), "w") as f:
            f.write("hops,count\n")
            for h, c in sorted(hops.items()):
                f.write(f"{h},{c}\n")
    if latency is not None:
        with open(os.path.join(directory, "latency.csv"), "w") as f:
            f.write("bucket_ms,count\n")
            for b, c in sorted(latency.items()):
                f.write(f"{b},{c}\n")
    if timeline is not None:
        with open(os.path.join(directory, "timeline.csv"), "w") as f:
            f.write("time_s,live_peers,lookups,lookup_success,maintenance_messages_per_peer_per_s,"
                    "maintenance_bytes_per_peer_per_s,records_acknowledged,records_surviving\n")
            for minute in range(1, timeline + 1):
                f.write(f"{minute * 60},{1000 - minute},{10 * minute},0.98,"
                        f"{0.5 + 0.01 * minute:.3f},{300 + 2.5 * minute:.1f},{minute * 3},"
                        f"{minute * 3 - 1}\n")
    if revocations is not None:
        with open(os.path.join(directory, "revocations.csv"), "w") as f:
            f.write("revoked_at_s,peer,cut_off_at_s\n")
            for revoked, peer, cut in revocations:
                f.write(f"{revoked},{peer},{'' if cut is None else cut}\n")
    return directory


def hop_histogram(peers):
    """A plausible hop histogram for N peers (median near ½·log2 N)."""
    centre = max(1, round(0.5 * (peers.bit_length() - 1)))
    return {h: max(0, 100 - 30 * abs(h - centre)) for h in range(0, centre + 4)}


def check_png(test, path):
    test.assertTrue(os.path.isfile(path), f"{path} was not written")
    with open(path, "rb") as f:
        data = f.read()
    test.assertGreater(len(data), 1000, f"{path} is suspiciously small")
    test.assertEqual(data[:8], PNG_MAGIC, f"{path} lacks the PNG signature")
    length, kind = struct.unpack(">I4s", data[8:16])
    test.assertEqual(kind, b"IHDR", f"{path}: first chunk is not IHDR")
    width, height = struct.unpack(">II", data[16:24])
    test.assertGreater(width, 100)
    test.assertGreater(height, 100)
    crc = struct.unpack(">I", data[16 + length:20 + length])[0]
    test.assertEqual(crc, zlib.crc32(data[12:16 + length]), f"{path}: IHDR CRC is wrong")
    test.assertEqual(data[-12:-4], b"\x00\x00\x00\x00IEND", f"{path}: does not end in IEND")


class PlotTests(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="p2psip-plot-test-")
        self.root = os.path.join(self.tmp.name, "runs")
        self.out = os.path.join(self.tmp.name, "plots")
        os.makedirs(self.root)

    def tearDown(self):
        self.tmp.cleanup()

    def plot(self, *rundirs):
        return subprocess.run([sys.executable, PLOT, "--to", self.out, *rundirs],
                              capture_output=True, text=True, timeout=60)

    def pngs(self):
        if not os.path.isdir(self.out):
            return []
        return sorted(f for f in os.listdir(self.out) if f.endswith(".png"))

    def test_every_plot_from_a_full_set_of_runs(self):
        dirs = []
        for mode in ("full", "routing-only"):
            for peers in (100, 1000, 10000, 100000):
                dirs.append(write_run(self.root, f"hops-{mode}-{peers}", mode=mode, peers=peers,
                                      hops=hop_histogram(peers),
                                      latency={0: 3, 10: 40, 20: 12, 150: 1}))
        dirs.append(write_run(self.root, "baseline", peers=1000))
        for kind in ("drop", "misroute", "eclipse"):
            for fraction in ("0.1", "0.2", "0.3"):
                success = 1 - float(fraction) * (1.5 if kind == "eclipse" else 1)
                dirs.append(write_run(self.root, f"attack-{kind}-{fraction}", peers=1000,
                                      attacker_kind=kind, attacker_fraction=fraction,
                                      lookup_success=f"{success:.3f}",
                                      lookup_latency_median_ms=150 + 300 * float(fraction),
                                      lookup_latency_p99_ms=600 + 900 * float(fraction)))
        for peers in (100, 1000):
            for churn_session, events in ((3600, 2), (600, 12)):
                dirs.append(write_run(self.root, f"churn-{peers}-{churn_session}", peers=peers,
                                      churn_session_median_s=churn_session,
                                      churn_events_per_peer_per_hour=events,
                                      survival_fraction=f"{1 - events / 100:.2f}"))
        dirs.append(write_run(self.root, "timeline-a", timeline=30))
        dirs.append(write_run(self.root, "timeline-b", timeline=20, peers=100))
        dirs.append(write_run(self.root, "revoke", duration_s=900, revocation_cutoff_s="never",
                              revocations=[(100, "peer-7", 160.5), (200, "peer-9", None),
                                           (300, "peer-3", 345)]))
        result = self.plot(*dirs)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(self.pngs(), sorted(ALL_PNGS), result.stderr)
        for name in ALL_PNGS:
            check_png(self, os.path.join(self.out, name))
        self.assertNotIn("skipped", result.stderr)

    def test_malformed_summary_names_file_and_line(self):
        good = write_run(self.root, "good", hops={2: 5, 3: 5})
        bad = write_run(self.root, "bad", peers="12x")  # peers is the third row: line 4
        result = self.plot(good, bad)
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertIn(os.path.join(bad, "summary.csv") + ":4:", result.stderr)
        self.assertIn("peers", result.stderr)
        self.assertEqual(self.pngs(), [], "nothing may be drawn from malformed input")

    def test_summary_with_a_row_of_three_fields(self):
        bad = write_run(self.root, "bad")
        with open(os.path.join(bad, "summary.csv"), "a") as f:
            f.write("extra,1,2\n")
        result = self.plot(bad)
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertIn(os.path.join(bad, "summary.csv") + ":23:", result.stderr)

    def test_missing_summary_metric_and_missing_file(self):
        bad = write_run(self.root, "bad")
        path = os.path.join(bad, "summary.csv")
        with open(path) as f:
            lines = [line for line in f if not line.startswith("lookup_success,")]
        with open(path, "w") as f:
            f.writelines(lines)
        result = self.plot(bad)
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertIn(path + ":", result.stderr)
        self.assertIn("lookup_success", result.stderr)

        empty = os.path.join(self.root, "empty")
        os.makedirs(empty)
        result = self.plot(empty)
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertIn(os.path.join(empty, "summary.csv"), result.stderr)

    def test_malformed_optional_files(self):
        run = write_run(self.root, "run", hops={1: 2, 2: 3})
        with open(os.path.join(run, "hops.csv"), "a") as f:
            f.write("3\n")  # one field: line 4
        result = self.plot(run)
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertIn(os.path.join(run, "hops.csv") + ":4:", result.stderr)

        other = write_run(self.root, "other", timeline=2)
        path = os.path.join(other, "timeline.csv")
        with open(path) as f:
            lines = f.readlines()
        lines[0] = lines[0].replace(",maintenance_bytes_per_peer_per_s", "")
        with open(path, "w") as f:
            f.writelines(lines)
        result = self.plot(other)
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertIn(path + ":1:", result.stderr)
        self.assertIn("maintenance_bytes_per_peer_per_s", result.stderr)

    def test_absent_plots_are_skipped_not_drawn_empty(self):
        os.makedirs(self.out)
        stale = os.path.join(self.out, "hops.png")
        with open(stale, "wb") as f:
            f.write(PNG_MAGIC)
        # No hops.csv, no attackers, no survival value, no revocations; only a timeline.
        run = write_run(self.root, "only-timeline", timeline=5, survival_fraction="",
                        records_acknowledged=0)
        result = self.plot(run)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(self.pngs(), ["maintenance.png"], result.stderr)
        check_png(self, os.path.join(self.out, "maintenance.png"))
        skipped = [line for line in result.stderr.splitlines() if "skipped" in line]
        self.assertEqual(sorted(line.split()[2].rstrip(":") for line in skipped),
                         sorted(set(ALL_PNGS) - {"maintenance.png"}), result.stderr)
        self.assertFalse(os.path.exists(stale), "a stale hops.png must not survive a skip")

    def test_script_is_executable(self):
        self.assertTrue(os.access(PLOT, os.X_OK), f"{PLOT} is not executable")
        with open(PLOT) as f:
            self.assertEqual(f.readline(), "#!/usr/bin/env python3\n")


if __name__ == "__main__":
    unittest.main()

"""The load test: concurrent browser-like sessions walk the analysis pages of the real server, first alone, then
while one hostile session runs each attack (bench/load_attacks.py); the others' page times and the server's peak
memory, per run.

python -m bench load --db PATH [--sessions 20] [--rounds N] [--attacks NAME ...] [--out FILE.json]

The issue's bound: with the attacker, the others' p95 page time stays within 2× of the same load alone. A page
visit is one rerun of the page, timed from the request to its script_finished. Peak memory is the server process's
VmHWM (reset between runs through /proc/PID/clear_refs) and the largest resident size of the server with its
children, polled.
"""
from __future__ import annotations

import json
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench import load_attacks
from bench.load_client import Server, Session, serve

# url path → title; 总览 is the default page, asked for by the empty path
PAGES = {"": "总览", "proactive": "主动公开", "applications": "依申请公开", "appeals": "复议诉讼", "trends": "趋势对比",
         "quality": "数据质量", "agency": "单位详情"}
BOUND = 2.0
POLL_SECONDS = 0.2


def percentile(values: list[float], p: float) -> float:
    """Nearest rank: the smallest value with at least p% of the values at or below it."""
    ordered = sorted(values)
    return ordered[max(0, -(-len(ordered) * p // 100) - 1)] if ordered else float("nan")


class Memory:
    """The server's peak resident memory during one run: its own high-water mark, and its process tree's largest
    polled sum (a child's pages are not in the server's VmHWM)."""

    def __init__(self, pid: int):
        self.pid, self.tree_peak, self._stop = pid, 0, threading.Event()
        try:
            Path(f"/proc/{pid}/clear_refs").write_text("5")  # 5: reset the peak RSS to the current RSS
            self.reset = True
        except OSError:
            self.reset = False
        self._thread = threading.Thread(target=self._poll, daemon=True)
        self._thread.start()

    def _poll(self) -> None:
        while not self._stop.wait(POLL_SECONDS):
            self.tree_peak = max(self.tree_peak, sum(_status_kb(p, "VmRSS") for p in _tree(self.pid)))

    def stop(self) -> dict:
        self._stop.set()
        self._thread.join()
        return {"server_peak_mb": round(_status_kb(self.pid, "VmHWM") / 1024), "peak_reset": self.reset,
                "tree_peak_polled_mb": round(self.tree_peak / 1024)}


def _status_kb(pid: int, field: str) -> int:
    try:
        with open(f"/proc/{pid}/status") as f:
            return next((int(line.split()[1]) for line in f if line.startswith(field + ":")), 0)
    except OSError:
        return 0


def _tree(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        try:
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            pass
    return found


def walk(server: Server, index: int, rounds: int, start: threading.Barrier) -> list[dict]:
    """One session: every analysis page in turn, `rounds` times, starting at a page of its own so the sessions do
    not all ask for the same page at once."""
    session = Session(server.url)
    try:
        session.visit("")  # its first run, as a browser opening the site: not timed
        start.wait()
        order = list(PAGES)
        order = order[index % len(order):] + order[:index % len(order)]
        visits = []
        for _ in range(rounds):
            for page in order:
                try:
                    v = session.visit(page)
                except Exception as e:  # noqa: BLE001 - a session the server dropped or left waiting is counted
                    visits.append({"page": PAGES[page], "failed": f"{type(e).__name__}: {e}"})
                    return visits
                visits.append({"page": PAGES[page], "seconds": v.seconds, "errors": v.errors,
                               "error_texts": v.error_texts})
        return visits
    finally:
        session.close()


def one_run(server: Server, sessions: int, rounds: int, attack: str | None) -> dict:
    memory = Memory(server.pid)
    stop = threading.Event()
    hostile, attacker, attacker_result = None, None, {}

    def attack_loop() -> None:
        try:
            attacker_result["actions"] = load_attacks.ATTACKS[attack](hostile, stop)
        except Exception as e:  # noqa: BLE001 - an attack that fails is reported beside the figures
            attacker_result["failed"] = f"{type(e).__name__}: {e}"

    start = threading.Barrier(sessions + 1)
    with ThreadPoolExecutor(sessions) as pool:
        walkers = [pool.submit(walk, server, i, rounds, start) for i in range(sessions)]
        start.wait()
        if attack:
            hostile = Session(server.url)
            attacker = threading.Thread(target=attack_loop, daemon=True)
            attacker.start()
        began = time.perf_counter()
        visits = [v for w in walkers for v in w.result()]
        elapsed = time.perf_counter() - began
    stop.set()
    if attacker:
        attacker.join(timeout=120)
        hostile.close()
    failed = [v["failed"] for v in visits if "failed" in v]
    visits = [v for v in visits if "failed" not in v]
    times = [v["seconds"] for v in visits]
    per_page = {title: round(percentile([v["seconds"] for v in visits if v["page"] == title], 95), 3)
                for title in PAGES.values()}
    return {"attack": attack or "none", "visits": len(visits), "seconds": round(elapsed, 1),
            "p50": round(percentile(times, 50), 3), "p95": round(percentile(times, 95), 3),
            "max": round(max(times, default=float("nan")), 3), "errors": sum(v["errors"] for v in visits),
            "failed_sessions": len(failed), "failures": failed[:5], "p95_per_page": per_page,
            "error_texts": sorted({t for v in visits for t in v["error_texts"]})[:5],
            **memory.stop(), **{f"attacker_{k}": v for k, v in attacker_result.items()}}


def table(runs: list[dict]) -> str:
    lines = [f"{'run':<12} {'visits':>6} {'p50 s':>7} {'p95 s':>7} {'×alone':>7} {'max s':>7} {'errors':>6} "
             f"{'server MB':>9} {'tree MB':>8}  attacker"]
    for r in runs:
        ratio = f"{r['ratio_p95']:.2f}" if "ratio_p95" in r else "—"
        attacker = r.get("attacker_failed") or (f"{r['attacker_actions']} actions" if "attacker_actions" in r else "")
        lines.append(f"{r['attack']:<12} {r['visits']:>6} {r['p50']:>7.2f} {r['p95']:>7.2f} {ratio:>7} "
                     f"{r['max']:>7.2f} {r['errors']:>6} {r['failed_sessions']:>6} {r['server_peak_mb']:>9} {r['tree_peak_polled_mb']:>8}  "
                     f"{attacker}")
    return "\n".join(lines)


def main(args) -> int:
    if not args.db.is_file():
        print(f"{args.db}: 没有这个数据库文件（先运行 python -m bench generate）", file=sys.stderr)
        return 2
    figures: dict = {"db": str(args.db), "sessions": args.sessions, "rounds": args.rounds, "bound": BOUND,
                     "runs": []}
    with serve(args.db) as server:
        warm = Session(server.url)  # the first run of each page fills the caches: both runs start warm
        began = time.perf_counter()
        figures["warmup_seconds"] = {PAGES[p]: round(warm.visit(p).seconds, 2) for p in PAGES}
        figures["warmup_total_seconds"] = round(time.perf_counter() - began, 1)
        warm.close()
        print(f"warm-up {figures['warmup_total_seconds']} s: {figures['warmup_seconds']}", flush=True)
        alone = one_run(server, args.sessions, args.rounds, None)
        figures["runs"].append(alone)
        print(table(figures["runs"]), flush=True)
        for attack in args.attacks:
            run = one_run(server, args.sessions, args.rounds, attack)
            run["ratio_p95"] = round(run["p95"] / alone["p95"], 2)
            run["within_bound"] = run["ratio_p95"] <= BOUND and not run["failed_sessions"]
            figures["runs"].append(run)
            print(table(figures["runs"][-1:]).splitlines()[1], flush=True)
    print()
    print(table(figures["runs"]))
    over = [r["attack"] for r in figures["runs"] if r.get("within_bound") is False or r["failed_sessions"]]
    print(f"bound: p95 with an attacker ≤ {BOUND}× alone — " + (f"exceeded by {', '.join(over)}" if over else "held"))
    if args.out:
        args.out.write_text(json.dumps(figures, ensure_ascii=False, indent=1))
    return 1 if over else 0

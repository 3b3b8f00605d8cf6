"""Reader accuracy on real published reports and on layout variants of them: precision, recall, reports per second.

python -m bench.parse_accuracy [FOLDER] [--folder FOLDER] [--seeds N]   (default: tests/data/reports)

Each NNN.txt is scored against the `values` of NNN.json. Values the reader marks approximate count
neither way, as do expected values that are absent from the JSON (cut off or not determinable).
The per-class table reads each example through every layout variant of tests/layout_variants.py
(N seeds each, where the variant changes the text) and scores table cells (s2–s4) and narrative
figures (s1) apart; for dropped_blanks the rows it leaves incomplete are expected absent.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

from disclosure.read.read_report import read_text
from disclosure.read.report_source import load

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT / "tests" / "data" / "reports"
PDFS = ROOT / "tests" / "data" / "pdf"


def _pairs(folder: Path) -> list[tuple[Path, dict]]:
    return [(p, json.loads(p.with_suffix(".json").read_text(encoding="utf-8"))["values"])
            for p in sorted(folder.glob("*.txt")) if p.with_suffix(".json").is_file()]


def _read(name: str, text: str):
    source = load(name, text.encode("utf-8"))
    return read_text(source.text, source.notices)


def score(folder: Path) -> dict:
    rows, right_all, produced_all, expected_all = [], 0, 0, 0
    pairs = _pairs(folder)
    started = time.perf_counter()
    readings = [read_text(*(lambda s: (s.text, s.notices))(load(p.name, p.read_bytes()))) for p, _ in pairs]
    seconds = time.perf_counter() - started
    for (path, expected), reading in zip(pairs, readings):
        produced = {c: v for c, v in reading.values.items() if c not in reading.approximate}
        right = sum(1 for c, v in produced.items() if c in expected and expected[c] == v)
        wrong = sorted(c for c, v in produced.items() if expected.get(c) != v)
        missed = sorted(set(expected) - set(produced))
        rows.append((path.name, right, len(produced), len(expected), wrong, missed))
        right_all, produced_all, expected_all = right_all + right, produced_all + len(produced), expected_all + len(expected)
    return {"files": rows, "precision": right_all / produced_all if produced_all else 1.0,
            "recall": right_all / expected_all if expected_all else 1.0,
            "reports_per_second": len(pairs) / seconds if seconds else 0.0, "reports": len(pairs)}


def _tally(counts: dict, produced: dict, approximate: set, expected: dict) -> None:
    """Add right / produced / expected per part: 'table' (s2–s4) and 'narrative' (s1)."""
    for part, wanted in (("table", lambda c: not c.startswith("s1.")), ("narrative", lambda c: c.startswith("s1."))):
        made = {c: v for c, v in produced.items() if wanted(c) and c not in approximate}
        want = {c: v for c, v in expected.items() if wanted(c) and c not in approximate}
        n = counts.setdefault(part, [0, 0, 0])
        n[0] += sum(1 for c, v in made.items() if want.get(c) == v)
        n[1] += len(made)
        n[2] += len(want)


def score_classes(folder: Path, seeds: int = 3) -> dict[str, dict]:
    """class -> {texts, table: (precision, recall), narrative: (precision, recall), reports_per_second};
    the class 'as is' is the examples unchanged."""
    sys.path.insert(0, str(ROOT))  # tests/ is no package of the app: found from the checkout
    from tests import layout_variants as lv
    out = {}
    pairs = [(p.name, p.read_text(encoding="utf-8"), expected) for p, expected in _pairs(folder)]
    for name in ("as is", *lv.VARIANTS):
        jobs = [(f, t, expected) for f, t, expected in pairs] if name == "as is" else [
            (f, lv.VARIANTS[name](t, random.Random(seed)), lv.expected(name, t, expected))
            for f, t, expected in pairs if lv.applies(name, t) for seed in range(seeds)]
        started, readings = time.perf_counter(), []
        for f, text, _ in jobs:
            readings.append(_read(f, text))
        seconds = time.perf_counter() - started
        counts: dict = {}
        for (_, _, expected), r in zip(jobs, readings):
            _tally(counts, r.values, set(r.approximate), expected)
        ratio = lambda a, b: a / b if b else 1.0  # noqa: E731
        out[name] = {"texts": len(jobs), "reports_per_second": len(jobs) / seconds if seconds else 0.0,
                     **{part: (ratio(n[0], n[1]), ratio(n[0], n[2])) for part, n in counts.items()}}
    return out


def score_pdfs(folder: Path = PDFS) -> dict:
    """The PDFs beside their answers: precision, recall and pages read per second (the text layer and the reader)."""
    right = produced = expected = pages = 0
    started = time.perf_counter()
    for pdf in sorted(folder.glob("*.pdf")):
        answer = pdf.with_suffix(".json")
        source = load(pdf.name, pdf.read_bytes())
        pages += max(source.line_pages, default=0)
        if source.error or not answer.is_file():
            continue
        reading = read_text(source.text, source.notices)
        want = json.loads(answer.read_text(encoding="utf-8"))["values"]
        got = {c: v for c, v in reading.values.items() if c not in reading.approximate}
        right += sum(1 for c, v in got.items() if want.get(c) == v)
        produced, expected = produced + len(got), expected + len(want)
    seconds = time.perf_counter() - started
    return {"precision": right / produced if produced else 1.0, "recall": right / expected if expected else 1.0,
            "pages_per_second": pages / seconds if seconds else 0.0, "pages": pages}


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(prog="python -m bench.parse_accuracy")
    p.add_argument("path", nargs="?", type=Path, help="a folder of NNN.txt / NNN.json")
    p.add_argument("--folder", type=Path, help="the same, by name (e.g. the unseen set)")
    p.add_argument("--seeds", type=int, default=3, help="variants per example and class")
    args = p.parse_args(argv)
    folder = args.folder or args.path or DEFAULT
    result = score(folder)
    print(f"{'file':16s} {'right':>5s} {'made':>5s} {'want':>5s}  wrong / missed")
    for name, right, made, want, wrong, missed in result["files"]:
        print(f"{name:16s} {right:5d} {made:5d} {want:5d}  {' '.join(wrong[:4]) or '-'} / {' '.join(missed[:4]) or '-'}")
    print(f"\n{'class':24s} {'texts':>5s}  {'table P':>8s} {'table R':>8s}  {'narr. P':>8s} {'narr. R':>8s}  reports/s")
    for name, c in score_classes(folder, args.seeds).items():
        table, prose = c.get("table", (1.0, 1.0)), c.get("narrative", (1.0, 1.0))
        print(f"{name:24s} {c['texts']:5d}  {table[0]:8.1%} {table[1]:8.1%}  {prose[0]:8.1%} {prose[1]:8.1%}  "
              f"{c['reports_per_second']:9.0f}")
    pdfs = score_pdfs()
    print(f"\nPDF ({PDFS.relative_to(ROOT)}): precision {pdfs['precision']:.2%}  recall {pdfs['recall']:.2%}  "
          f"{pdfs['pages_per_second']:.1f} pages/s over {pdfs['pages']} pages")
    print(f"\nprecision {result['precision']:.2%}  recall {result['recall']:.2%}  "
          f"{result['reports_per_second']:.0f} reports/s over {result['reports']} reports")
    print(json.dumps({k: round(v, 4) for k, v in result.items() if k != "files"}))


if __name__ == "__main__":
    main()

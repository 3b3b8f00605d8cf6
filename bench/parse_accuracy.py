"""Reader accuracy on real published reports: precision and recall per file and overall, and reports per second.

python -m bench.parse_accuracy [FOLDER]   (default: ../shared/examples beside the checkout)

Each NNN.txt is scored against the `values` of NNN.json. Values the reader marks approximate count
neither way, as do expected values that are absent from the JSON (cut off or not determinable).
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from disclosure.read_report import read_text
from disclosure.report_source import load

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "examples"


def score(folder: Path) -> dict:
    rows, right_all, produced_all, expected_all = [], 0, 0, 0
    pairs = [(p, p.with_suffix(".json")) for p in sorted(folder.glob("*.txt")) if p.with_suffix(".json").is_file()]
    started = time.perf_counter()
    readings = [read_text(*(lambda s: (s.text, s.notices))(load(p.name, p.read_bytes()))) for p, _ in pairs]
    seconds = time.perf_counter() - started
    for (path, answer), reading in zip(pairs, readings):
        expected = json.loads(answer.read_text(encoding="utf-8"))["values"]
        produced = {c: v for c, v in reading.values.items() if c not in reading.approximate}
        right = sum(1 for c, v in produced.items() if c in expected and expected[c] == v)
        wrong = sorted(c for c, v in produced.items() if expected.get(c) != v)
        missed = sorted(set(expected) - set(produced))
        rows.append((path.name, right, len(produced), len(expected), wrong, missed))
        right_all, produced_all, expected_all = right_all + right, produced_all + len(produced), expected_all + len(expected)
    return {"files": rows, "precision": right_all / produced_all if produced_all else 1.0,
            "recall": right_all / expected_all if expected_all else 1.0,
            "reports_per_second": len(pairs) / seconds if seconds else 0.0, "reports": len(pairs)}


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    result = score(folder)
    print(f"{'file':16s} {'right':>5s} {'made':>5s} {'want':>5s}  wrong / missed")
    for name, right, made, want, wrong, missed in result["files"]:
        print(f"{name:16s} {right:5d} {made:5d} {want:5d}  {' '.join(wrong[:4]) or '-'} / {' '.join(missed[:4]) or '-'}")
    print(f"precision {result['precision']:.2%}  recall {result['recall']:.2%}  "
          f"{result['reports_per_second']:.0f} reports/s over {result['reports']} reports")
    print(json.dumps({k: round(v, 4) for k, v in result.items() if k != "files"}))


if __name__ == "__main__":
    main()

"""python -m bench generate|run — synthetic data at scale, and the benchmark of every dashboard query beside its baselines."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bench import generate, run


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench")
    sub = p.add_subparsers(required=True, metavar="COMMAND")
    c = sub.add_parser("generate", help="build a database of synthetic reports")
    c.add_argument("--scale", choices=tuple(generate.SCALES), required=True)
    c.add_argument("--db", type=Path, required=True)
    c.add_argument("--seed", type=int, default=1)
    c.set_defaults(main=generate.main)
    c = sub.add_parser("run", help="time every dashboard query, page, the rules and imports against baselines")
    c.add_argument("--db", type=Path, required=True)
    c.add_argument("--repeat", type=int, default=5, help="runs per figure; the median is reported")
    c.add_argument("--skip", nargs="*", default=[], choices=run.PARTS, help="parts to leave out")
    c.set_defaults(main=run.main)
    args = p.parse_args(argv)
    return args.main(args)


if __name__ == "__main__":
    sys.exit(main())

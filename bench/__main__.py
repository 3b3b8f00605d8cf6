"""python -m bench generate|run|load — synthetic data at scale, the benchmark of every dashboard query beside its
baselines, and the load test of the real server with and without a hostile session."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bench import generate, load, load_attacks, run


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
    c = sub.add_parser("load", help="concurrent sessions on the real server, alone and beside each hostile session")
    c.add_argument("--db", type=Path, required=True)
    c.add_argument("--sessions", type=int, default=20)
    c.add_argument("--rounds", type=int, default=3, help="walks through the analysis pages per session")
    c.add_argument("--attacks", nargs="*", default=[a for a in load_attacks.ATTACKS if a != "hammer"] + ["hammer"], choices=tuple(load_attacks.ATTACKS),
                   help="hostile runs after the one alone, each with the same load")
    c.add_argument("--out", type=Path, help="write every figure here as JSON")
    c.set_defaults(main=load.main)
    args = p.parse_args(argv)
    return args.main(args)


if __name__ == "__main__":
    sys.exit(main())

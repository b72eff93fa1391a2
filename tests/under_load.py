"""Run a command while CPU-bound processes keep cores busy, as on a shared machine:
`python3 tests/under_load.py [--cores N] -- COMMAND ...` (what `make test-stress` does). Standard library only, so
that it can wrap `bash .ci/run` before the virtual environment exists. Exits with the command's exit code."""
from __future__ import annotations

import argparse
import multiprocessing as mp
import subprocess
import sys
import time


def _burn() -> None:
    x = 0
    while True:
        x = (x * 31 + 7) % 1_000_003


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cores", type=int, default=1, help="how many cores to keep busy (default 1)")
    ap.add_argument("command", nargs=argparse.REMAINDER)
    a = ap.parse_args(argv)
    cmd = a.command[1:] if a.command[:1] == ["--"] else a.command
    if not cmd:
        ap.error("no command")
    burners = [mp.Process(target=_burn, daemon=True) for _ in range(a.cores)]
    for b in burners:
        b.start()
    t0 = time.monotonic()
    try:
        rc = subprocess.call(cmd)
    finally:
        for b in burners:
            b.terminate()
            b.join(5)
    print(f"under load ({a.cores} busy core(s)): exit {rc} after {time.monotonic() - t0:.0f} s", flush=True)
    return rc


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

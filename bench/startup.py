"""Benchmark: start-up time of the `decroche` command (issue 17, point 7: under 0.5 s).

Run:

    .venv/bin/python bench/startup.py [--repeat 5]

Times, in fresh interpreters and in the same run, two baselines (`python -c pass`, and
`python -c "import django"`) and the commands `decroche --help` and `decroche check` (which
loads the models, the admin, the URL configuration and runs the system checks). Prints the
median wall time of each, its spread, the CPU time (user + system, what the machine's load
does not inflate) and the ratio to `import django`. Bytecode is cached (under a temporary
``PYTHONPYCACHEPREFIX``) and one warm-up run precedes the timed ones, as on an installed
copy.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
COMMANDS = {
    "python -c pass": ["-c", "pass"],
    'python -c "import django"': ["-c", "import django"],
    "decroche --help": ["-m", "decroche", "--help"],
    "decroche check": ["-m", "decroche", "check"],
}


def timed(arguments: list[str], environment: dict) -> tuple[float, float]:
    """Wall and CPU seconds of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, *arguments],
        env=environment,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as cache:
        environment = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")]),
            "PYTHONPYCACHEPREFIX": cache,
        }
        environment.pop("PYTHONDONTWRITEBYTECODE", None)
        for arguments in COMMANDS.values():  # warm-up: bytecode written
            timed(arguments, environment)
        walls: dict[str, list[float]] = {label: [] for label in COMMANDS}
        cpus: dict[str, list[float]] = {label: [] for label in COMMANDS}
        for _run in range(args.repeat):  # alternately, so a load peak hits all alike
            for label, arguments in COMMANDS.items():
                wall, cpu = timed(arguments, environment)
                walls[label].append(wall)
                cpus[label].append(cpu)
    django = statistics.median(walls['python -c "import django"'])
    for label in COMMANDS:
        wall = statistics.median(walls[label])
        print(
            f"{label}: median {wall:.3f} s (min {min(walls[label]):.3f}, "
            f"max {max(walls[label]):.3f}; {args.repeat} runs), "
            f"CPU {statistics.median(cpus[label]):.3f} s, {wall / django:.1f}× import django"
        )
    worst = max(statistics.median(walls[label]) for label in ("decroche --help", "decroche check"))
    print(f"commands under 0.5 s: {'yes' if worst < 0.5 else 'NO'}")


if __name__ == "__main__":
    main()

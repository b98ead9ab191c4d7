"""Start-up: `interviewer --help` and `interviewer bank list` ÷ `python -c "import typer, yaml"` (target ≤ 1.5).

Also checks that neither command imports torch or sentence_transformers (`python -X importtime`).

Usage: python benchmarks/bench_startup.py [--runs N]
"""

from __future__ import annotations

import argparse
import subprocess

from measure import INTERVIEWER, PYTHON, bank_args, bench_env, paired, ratio_line, run_process

TARGET = 1.5
HEAVY = ("torch", "sentence_transformers", "transformers")


def heavy_imports(arguments: list[str]) -> list[str]:
    """Heavy top-level packages imported by `interviewer ARGUMENTS` (empty when it stays light)."""
    code = "import sys; from interviewer.cli import main; sys.argv[0] = 'interviewer'; main()"
    done = subprocess.run(
        [PYTHON, "-X", "importtime", "-c", code, *arguments],
        env=bench_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    names = {line.rsplit("|", 1)[-1].strip().split(".")[0] for line in done.stderr.splitlines()}
    return sorted(names & set(HEAVY))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    options = parser.parse_args()
    env = bench_env()
    baseline = [PYTHON, "-c", "import typer, yaml"]
    commands = {
        "interviewer --help": [INTERVIEWER, "--help"],
        "interviewer bank list": [INTERVIEWER, "bank", "list", *bank_args()],
    }
    for name, command in commands.items():
        a, b = paired(
            lambda command=command: run_process(command, env=env).wall,  # type: ignore[misc]
            lambda: run_process(baseline, env=env).wall,
            runs=options.runs,
            warmup=2,
        )
        print(ratio_line(f"start-up {name} ÷ import typer, yaml", a, b, TARGET))
    for name, command in commands.items():
        heavy = heavy_imports(command[1:])
        print(
            f"start-up {name}: heavy imports: {', '.join(heavy) if heavy else 'none'} · {'ok' if not heavy else 'FAIL'}"
        )


if __name__ == "__main__":
    main()

"""`make bench`: time `digicons measure` against two baselines on 1M and 10M rows.

Each command runs as a whole process under /usr/bin/time (wall time, peak resident memory).
Results go to the terminal and to bench/results.md. Not part of `make test` or CI.
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORK = HERE / "work"
BIN = Path(sys.executable).parent
SIZES = [int(s) for s in os.environ.get("BENCH_ROWS", "1000000,10000000").split(",")]


@dataclass(frozen=True)
class Timing:
    label: str
    seconds: float
    peak_mib: float


def timed(label: str, command: list[str]) -> Timing:
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
        subprocess.run(
            ["/usr/bin/time", "-f", "%e %M", "-o", report.name, *command],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        seconds, kib = report.read().split()[-2:]
    timing = Timing(label, float(seconds), int(kib) / 1024)
    print(f"  {label:<42} {timing.seconds:8.2f} s {timing.peak_mib:9.0f} MiB", flush=True)
    return timing


def sample(rows: int, suffix: str) -> Path:
    path = WORK / f"sample_{rows}.{suffix}"
    if not path.exists():
        print(f"generating {path.name}", flush=True)
        subprocess.run(
            [
                str(BIN / "digicons"),
                "sample",
                "--rows",
                str(rows),
                "--period",
                "2024Q3",
                "-o",
                str(path),
            ],
            check=True,
        )
    return path


def run_size(rows: int, suffix: str) -> list[Timing]:
    path = sample(rows, suffix)
    out = WORK / "out"
    out.mkdir(exist_ok=True)
    print(f"{rows:,} rows, {suffix} ({path.stat().st_size / 2**20:,.0f} MiB)", flush=True)
    python = str(BIN / "python")
    return [
        timed(
            "digicons measure (validation + workbook)",
            [
                str(BIN / "digicons"),
                "measure",
                str(path),
                "--period",
                "2024Q3",
                "-o",
                str(out / "t.xlsx"),
                "--json",
                str(out / "r.json"),
            ],
        ),
        timed("bare DuckDB join + ROLLUP", [python, str(HERE / "baseline_duckdb.py"), str(path)]),
        timed(
            "pandas read + merge + groupby", [python, str(HERE / "baseline_pandas.py"), str(path)]
        ),
    ]


def main() -> None:
    WORK.mkdir(exist_ok=True)
    sections = []
    for rows in SIZES:
        for suffix in ("parquet", "csv") if rows == max(SIZES) else ("parquet",):
            timings = run_size(rows, suffix)
            ours, duck, pandas = timings
            sections.append(
                (rows, suffix, timings, ours.seconds / duck.seconds, pandas.seconds / ours.seconds)
            )
    lines = [
        "# Benchmark results",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB, "
        f"Python {platform.python_version()}. Whole processes, wall time and peak RSS from "
        "/usr/bin/time; synthetic data from `digicons sample` "
        "(7 text columns, 0.2% defective rows).",
        "",
        "| rows | format | command | wall (s) | peak (MiB) |",
        "| ---: | --- | --- | ---: | ---: |",
    ]
    for rows, suffix, timings, _, _ in sections:
        lines += [
            f"| {rows:,} | {suffix} | {t.label} | {t.seconds:.2f} | {t.peak_mib:,.0f} |"
            for t in timings
        ]
    lines += [
        "",
        "| rows | format | measure ÷ bare DuckDB | pandas ÷ measure |",
        "| ---: | --- | ---: | ---: |",
    ]
    lines += [
        f"| {rows:,} | {suffix} | {slow:.1f}× | {fast:.1f}× |"
        for rows, suffix, _, slow, fast in sections
    ]
    # Hand-written: where the time goes, and the one-off 100M-row run.
    for extra in (HERE / "profile.md", HERE / "once.md"):
        if extra.exists():
            lines += ["", extra.read_text(encoding="utf-8").rstrip()]
    (HERE / "results.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()

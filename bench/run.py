"""`make bench`: whole processes, timed against baselines run in the same session.

Each command runs as a whole process under /usr/bin/time (wall time, peak resident memory),
BENCH_REPEAT times (default 3), interleaved so that a slow minute of this shared machine falls on
every command alike; the tables give medians and the ratios are of medians from this run.

Measured:
- 10M rows of Parquet: `measure` (every validation, workbook and JSON) against the bare DuckDB
  join + ROLLUP and the pandas script (#10);
- the same rows as CSV: `measure` against the bare DuckDB query on that CSV (#10);
- the same rows exported "dirty" (industry codes through a number type, full-width region codes,
  thousands separators, padded names): what normalising costs (#9);
- disclosure control: `--confidential` on Beijing (16 districts) and on 31 provinces (#11);
- `company`: one credit code looked up in the 10M rows (#13).

Results go to the terminal and to bench/results.md, with bench/profile.md (where the time goes)
and bench/once.md (the 100M-row run, made by hand) appended. Not part of `make test` or CI.
"""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb

HERE = Path(__file__).resolve().parent
WORK = HERE / "work"
OUT = WORK / "out"
BIN = Path(sys.executable).parent
ROWS = int(os.environ.get("BENCH_ROWS", "10000000"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "3"))
PERIOD = "2024Q3"


@dataclass(frozen=True)
class Command:
    key: str
    label: str
    argv: list[str]


@dataclass(frozen=True)
class Timing:
    command: Command
    seconds: list[float]
    peak_mib: float

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


def once(command: Command) -> tuple[float, float]:
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
        done = subprocess.run(
            ["/usr/bin/time", "-f", "%e %M", "-o", report.name, *command.argv],
            check=False,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        if done.returncode != 0:
            raise SystemExit(f"{command.label} failed ({done.returncode}):\n{done.stderr}")
        seconds, kib = report.read().split()[-2:]
    return float(seconds), int(kib) / 1024


def timed(commands: list[Command]) -> dict[str, Timing]:
    """Every command REPEAT times, round-robin; medians of wall time, the largest peak."""
    runs: dict[str, list[tuple[float, float]]] = {c.key: [] for c in commands}
    for round_ in range(REPEAT):
        for command in commands:
            seconds, peak = once(command)
            runs[command.key].append((seconds, peak))
            print(f"  [{round_ + 1}/{REPEAT}] {command.label:<58} {seconds:7.2f} s {peak:7.0f} MiB")
    return {
        c.key: Timing(c, [s for s, _ in runs[c.key]], max(p for _, p in runs[c.key]))
        for c in commands
    }


def digicons(*args: str) -> list[str]:
    return [str(BIN / "digicons"), *args]


def python(script: str, *args: str) -> list[str]:
    return [str(BIN / "python"), str(HERE / script), *args]


def sample(rows: int, suffix: str, *extra: str, name: str | None = None) -> Path:
    path = WORK / f"{name or f'sample_{rows}'}.{suffix}"
    if not path.exists():
        print(f"generating {path.name}", flush=True)
        subprocess.run(
            digicons("sample", "--rows", str(rows), "--period", PERIOD, "-o", str(path), *extra),
            check=True,
        )
    return path


def dirty(clean: Path) -> Path:
    """The same rows as a careless export writes them: every value needs normalising."""
    path = WORK / f"{clean.stem}_dirty.parquet"
    if path.exists():
        return path
    print(f"generating {path.name}", flush=True)
    full = "０１２３４５６７８９"
    with duckdb.connect() as con:
        con.execute(
            f"""
            COPY (
                SELECT
                    "统一社会信用代码",
                    '  ' || "单位详细名称" || '　' AS "单位详细名称",
                    -- through a number type: 6422 -> 6422.0
                    "行业代码" || '.0' AS "行业代码",
                    translate("区划代码", '0123456789', '{full}') AS "区划代码",
                    -- thousands separators and a trailing space on every amount
                    CASE WHEN TRY_CAST("营业收入" AS DOUBLE) IS NULL THEN "营业收入"
                        ELSE format('{{:,}}', TRY_CAST("营业收入" AS DECIMAL(18, 1))) || ' '
                    END AS "营业收入",
                    CASE WHEN TRY_CAST("营业收入上年同期" AS DOUBLE) IS NULL THEN "营业收入上年同期"
                        ELSE format('{{:,}}', TRY_CAST("营业收入上年同期" AS DECIMAL(18, 1)))
                    END AS "营业收入上年同期",
                    "报告期"
                FROM read_parquet($clean)
            ) TO '{path}' (FORMAT parquet, ROW_GROUP_SIZE 1000000)
            """,
            {"clean": str(clean)},
        )
    return path


def measure(path: Path, *extra: str) -> list[str]:
    stem = path.stem
    return digicons(
        "measure",
        str(path),
        "-p",
        PERIOD,
        "-o",
        str(OUT / f"{stem}.xlsx"),
        "--json",
        str(OUT / f"{stem}.json"),
        *extra,
    )


def a_credit_code(path: Path) -> str:
    with duckdb.connect() as con:
        row = con.execute(
            'SELECT "统一社会信用代码" FROM read_parquet($p) LIMIT 1 OFFSET $middle',
            {"p": str(path), "middle": ROWS // 2},
        ).fetchone()
    return str(row[0]) if row else ""


def machine() -> str:
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{date.today().isoformat()}: {platform.machine()} {cpu}, {os.cpu_count()} cores, "
        f"{memory:.0f} GiB, Linux {platform.release()}, Python {platform.python_version()}, "
        f"DuckDB {duckdb.__version__}. A shared machine: medians of {REPEAT} interleaved runs."
    )


def main() -> None:
    WORK.mkdir(exist_ok=True)
    OUT.mkdir(exist_ok=True)
    parquet = sample(ROWS, "parquet")
    csv = sample(ROWS, "csv")
    messy = dirty(parquet)
    beijing = sample(ROWS // 10, "parquet", name=f"beijing_{ROWS // 10}")
    provinces = sample(
        ROWS // 10, "parquet", "--regions", "provinces", name=f"provinces_{ROWS // 10}"
    )
    code = a_credit_code(parquet)
    n = f"{ROWS:,}"
    commands = [
        Command("ours", f"measure, {n} rows Parquet (workbook + JSON)", measure(parquet)),
        Command(
            "duck", "bare DuckDB join + ROLLUP, Parquet", python("baseline_duckdb.py", str(parquet))
        ),
        Command(
            "pandas",
            "pandas read + merge + groupby, Parquet",
            python("baseline_pandas.py", str(parquet)),
        ),
        Command("ours_csv", f"measure, {n} rows CSV", measure(csv)),
        Command(
            "duck_csv", "bare DuckDB join + ROLLUP, CSV", python("baseline_duckdb.py", str(csv))
        ),
        Command(
            "dirty", f"measure, {n} rows Parquet, every value needing normalising", measure(messy)
        ),
        Command(
            "company",
            f"company <a credit code> in {n} rows",
            digicons("company", code, "--in", str(parquet), "-p", PERIOD),
        ),
        Command("bj", f"measure, Beijing {ROWS // 10:,} rows", measure(beijing)),
        Command(
            "bj_conf",
            "… --confidential (16 districts × 22 mediums)",
            measure(beijing, "--confidential"),
        ),
        Command(
            "prov",
            f"measure, 31 provinces {ROWS // 10:,} rows, --region-level province",
            measure(provinces, "--region-level", "province"),
        ),
        Command(
            "prov_conf",
            "… --confidential (31 provinces × 22 mediums)",
            measure(provinces, "--region-level", "province", "--confidential"),
        ),
    ]
    t = timed(commands)

    def ratio(a: str, b: str) -> float:
        return t[a].median / t[b].median

    lines = [
        "# Benchmark results",
        "",
        f"Machine: {machine()} Whole processes; wall time and peak resident memory from "
        "/usr/bin/time; data from `digicons sample` (0.2% defective rows).",
        "",
        "| command | median wall (s) | runs (s) | peak (MiB) |",
        "| --- | ---: | --- | ---: |",
    ]
    lines += [
        f"| {x.command.label} | {x.median:.2f} | {', '.join(f'{s:.2f}' for s in x.seconds)} "
        f"| {x.peak_mib:,.0f} |"
        for x in t.values()
    ]
    rows = [
        (f"{n} Parquet: measure ÷ bare DuckDB", ratio("ours", "duck"), "≤ 5×"),
        (f"{n} Parquet: pandas ÷ measure (speed-up)", ratio("pandas", "ours"), "≥ 2×"),
        (f"{n} CSV: measure ÷ bare DuckDB on the CSV", ratio("ours_csv", "duck_csv"), "≤ 3×"),
        ("normalising every value: dirty ÷ clean", ratio("dirty", "ours"), "≤ 1.10×"),
        ("--confidential ÷ plain, Beijing", ratio("bj_conf", "bj"), ""),
        ("--confidential ÷ plain, 31 provinces", ratio("prov_conf", "prov"), ""),
    ]
    lines += ["", "| ratio (of medians, this run) | value | target |", "| --- | ---: | --- |"]
    lines += [f"| {label} | {value:.2f}× | {target} |" for label, value, target in rows]
    lines += [
        "",
        f"Peak memory of measure on {n} rows: Parquet {t['ours'].peak_mib:,.0f} MiB, "
        f"CSV {t['ours_csv'].peak_mib:,.0f} MiB (target < 1,024 MiB). "
        "--confidential − plain (the audit, less the rejected and flagged rows a confidential "
        f"数据质量 sheet does not list): Beijing {_cost(t['bj_conf'], t['bj'])}, "
        f"31 provinces {_cost(t['prov_conf'], t['prov'])}. "
        f"`company` answers in {t['company'].median:.2f} s on {n} rows (the whole process: "
        "reading, validating and classifying every row as measure does).",
    ]
    for extra in (HERE / "profile.md", HERE / "once.md"):
        if extra.exists():
            lines += ["", extra.read_text(encoding="utf-8").rstrip()]
    (HERE / "results.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


def _cost(more: Timing, base: Timing) -> str:
    """The extra time of `more` over `base` (negative: `more` took less)."""
    return f"{more.median - base.median:+.2f} s"


if __name__ == "__main__":
    main()

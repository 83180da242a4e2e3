"""The classification data and SQL are found by an editable install and inside a built wheel."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import digicons
from digicons.resources import resource_dir

REPO = Path(__file__).resolve().parent.parent


def test_editable_install_finds_the_top_level_folders() -> None:
    assert Path(digicons.__file__).resolve().parent.parent == REPO
    assert resource_dir("classification") == REPO / "classification"
    assert (resource_dir("queries")).is_dir()


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    # Offline: hatchling comes from the dev environment, no isolated build environment.
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--wheel-dir",
            str(out),
            str(REPO),
        ],
        check=True,
        capture_output=True,
    )
    (found,) = out.glob("digicons-*.whl")
    return found


def test_wheel_ships_data_and_queries(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    assert "digicons/classification/categories.csv" in names
    assert "digicons/classification/patterns.csv" in names
    assert any(n.startswith("digicons/queries/") and n.endswith(".sql") for n in names)


def test_installed_wheel_runs_without_the_source_tree(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    env = {**os.environ, "PYTHONPATH": str(site)}
    code = (
        "import digicons, digicons.resources as r;"
        "from digicons.scope.catalogue import load_catalogue;"
        "c = load_catalogue();"
        "print(r.resource_dir('classification'), len(c.level('minor')), r.resource_dir('queries'))"
    )
    out = subprocess.run(
        [sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, {str(site)!r}); {code}"],
        check=True,
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
    ).stdout.split()
    assert out[0] == str(site / "digicons" / "classification")
    assert out[1] == "63"
    assert out[2] == str(site / "digicons" / "queries")


def test_measure_runs_without_pandas(tmp_path: Path) -> None:
    # pandas is only the bench's baseline (a dev extra): no command may need it.
    script = (
        "import sys\n"
        "class NoPandas:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] == 'pandas':\n"
        "            raise ModuleNotFoundError(name)\n"
        "sys.meta_path.insert(0, NoPandas())\n"
        "from digicons.cli import main\n"
        f"sys.argv = ['digicons', 'measure', {str(REPO / 'data' / 'sample')!r}, '-p', '2024Q3',"
        f" '-o', {str(tmp_path / 't.xlsx')!r}, '--json', {str(tmp_path / 'r.json')!r}]\n"
        "main()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], check=False, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "t.xlsx").exists() and (tmp_path / "r.json").exists()
    assert "pandas" not in done.stdout + done.stderr


def _measure_in_a_process(tmp_path: Path, before: str, after: str) -> str:
    """The last line a Python process prints that runs `before`, then `digicons measure` on the
    sample through the console-script entry point, then `after`."""
    script = (
        "import gc, sys\n"
        f"{before}\n"
        "from digicons.cli import main\n"
        f"sys.argv = ['digicons', 'measure', {str(REPO / 'data' / 'sample')!r}, '-p', '2024Q3',"
        f" '-o', {str(tmp_path / 't.xlsx')!r}]\n"
        "try:\n"
        "    main()\n"
        "except SystemExit as exc:\n"
        "    assert not exc.code, exc.code\n"
        f"{after}\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], check=False, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "t.xlsx").exists()
    return done.stdout.split("\n")[-2]


def test_measure_does_not_import_pandas_where_it_is_installed(tmp_path: Path) -> None:
    # pyarrow imports pandas (0.2 s) on its first conversion of Python values when pandas is
    # installed, as it is where the bench runs and in most offices' Python; digicons needs none.
    pytest.importorskip("pandas")
    assert _measure_in_a_process(tmp_path, "", "print('pandas' in sys.modules)") == "False"


def test_the_command_line_collects_garbage_rarely(tmp_path: Path) -> None:
    # Python's default (a collection every 700 new objects) walked a 10M-row run's objects some
    # 400 times (0.1 s); the command line, a short-lived process, collects rarely.
    printed = _measure_in_a_process(
        tmp_path, "default = gc.get_threshold()", "print(default[0], *gc.get_threshold())"
    )
    default, *during = (int(n) for n in printed.split())
    assert default == 700 and during[0] >= 50 * default


def test_the_command_line_starts_without_the_engine() -> None:
    # `classify`, `--help` and `--version` need neither DuckDB nor Arrow (0.2 s to import): only
    # measure, company and series load them, when they run.
    found = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, digicons.cli; "
            "print(sorted(m for m in ('duckdb', 'pyarrow', 'numpy') if m in sys.modules))",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert found.stdout.strip() == "[]"


def _console(*args: str) -> subprocess.CompletedProcess[str]:
    """`python -m digicons …`, the console script's own entry point, as a user runs it."""
    return subprocess.run(
        [sys.executable, "-m", "digicons", *args], capture_output=True, text=True, check=False
    )


def test_the_console_script_leaves_without_python_s_teardown(tmp_path: Path) -> None:
    # After a run, Python's teardown of its modules and memory took 0.07-0.08 s of a 10M-row
    # measure: the console script leaves at once, everything it writes closed, its output
    # flushed (also into a pipe), its exit status kept.
    import digicons.cli

    assert getattr(digicons.cli, "entry", None) is not None
    done = _console(
        "measure", str(REPO / "data" / "sample"), "-p", "2024Q3", "-o", str(tmp_path / "t.xlsx")
    )
    assert done.returncode == 0, done.stderr
    assert "核对" in done.stdout and "已写出" in done.stderr
    assert (tmp_path / "t.xlsx").exists() and not list(tmp_path.glob("*.tmp*"))
    assert _console("classify", "6422").stdout.strip()
    refused = _console("measure", str(tmp_path / "none.csv"), "-p", "2024Q3")
    assert refused.returncode != 0 and "none.csv" in refused.stderr
    assert _console("--version").stdout.strip()

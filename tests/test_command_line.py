"""The data command line as an installed program (``pip install .`` gives ``carte-des-possibles``): one
function per sub-command, each answering in French, a refusal never a traceback."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import DATA

PROGRAM = Path(sys.executable).parent / "carte-des-possibles"
COMMANDS = ("build", "sources", "hash-password", "export", "import", "backup", "facts")


def run(*arguments: str, cwd: Path) -> subprocess.CompletedProcess:
    if not PROGRAM.exists():
        pytest.skip("le projet n'est pas installé dans cet environnement (pip install -e .)")
    return subprocess.run([str(PROGRAM), *arguments], cwd=cwd, capture_output=True, text=True, timeout=120)


def test_the_installed_program_lists_every_sub_command(tmp_path):
    answer = run("--help", cwd=tmp_path)
    assert answer.returncode == 0 and answer.stdout.startswith("usage: carte-des-possibles")
    assert all(name in answer.stdout for name in COMMANDS)


def test_the_installed_program_writes_the_facts_then_builds_offline_in_any_folder(tmp_path):
    folder = tmp_path / "données"
    shutil.copytree(DATA, folder, ignore=shutil.ignore_patterns("*.sqlite*", "backups"))
    facts = run("facts", "--data", str(folder), cwd=tmp_path)
    assert facts.returncode == 0, facts.stderr
    assert "faits de practical_facts.csv" in facts.stdout
    built = run("build", "--offline", "--data", str(folder), cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    assert "initiatives écrites dans" in built.stdout and "Traceback" not in built.stderr


def test_a_bad_catalogue_file_is_refused_in_french_and_nothing_is_imported(tmp_path, data_copy):
    shutil.copy(DATA / "initiatives.csv", data_copy / "initiatives.csv")
    bad = tmp_path / "mauvais.csv"
    bad.write_text("id,name\nx,\n", encoding="utf-8")
    answer = run("import", "--data", str(data_copy), str(bad), cwd=tmp_path)
    assert answer.returncode == 1 and "rien n'a été importé" in answer.stderr and "Traceback" not in answer.stderr

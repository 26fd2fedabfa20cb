"""One place for settings: every ``CARTE_`` variable and secret is read by ``geo.settings`` (typed, the
environment over the secrets, an unreadable value said and replaced by its default), nowhere else."""

from __future__ import annotations

import logging
import re
from pathlib import Path

from geo import settings
from geo.files import REPO_DIR

CODE = [path for folder in ("geo", "ui", "app_pages") for path in (REPO_DIR / folder).rglob("*.py")]
CODE.append(REPO_DIR / "app.py")


def test_no_module_but_the_settings_reads_the_environment_or_the_secrets():
    readers = {str(path.relative_to(REPO_DIR)) for path in CODE
               if re.search(r"os\.environ|os\.getenv|st\.secrets", path.read_text(encoding="utf-8"))}
    assert readers == {"geo/settings.py", "ui/settings.py"}


def test_variables_are_typed_and_lists_split_on_commas(monkeypatch, tmp_path):
    monkeypatch.setenv("CARTE_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("CARTE_STAFF_DOMAINS", " ampmetropole.fr, ,provence-promotion.fr ")
    monkeypatch.setenv("CARTE_EPHEMERAL_DISK", "1")
    monkeypatch.setenv("CARTE_TILES", "none")
    monkeypatch.setenv("CARTE_GEOCODING", "Offline")
    now = settings.current()
    assert now.data_dir == Path(tmp_path) and now.ephemeral_disk is True
    assert now.staff_domains == ("ampmetropole.fr", "provence-promotion.fr")
    assert now.tile_url is None and now.online is False


def test_an_unreadable_value_is_said_with_its_variable_and_the_default_is_used(monkeypatch, caplog):
    monkeypatch.setenv("CARTE_EPHEMERAL_DISK", "peut-être")
    monkeypatch.setenv("CARTE_LOG_LEVEL", "DEBUG")
    monkeypatch.setattr(logging.getLogger("carte"), "propagate", True)  # the app's own handler stops it otherwise
    with caplog.at_level(logging.WARNING, logger="carte"):
        now = settings.current()
    assert now.ephemeral_disk is False and now.log_level == "DEBUG"  # the other settings are kept
    assert "réglage CARTE_EPHEMERAL_DISK illisible" in caplog.text


def test_the_environment_wins_over_the_secrets(monkeypatch):
    secrets = {"staff_password_hash": "des-secrets", "database_url": "sqlite:///secrets.sqlite"}
    monkeypatch.delenv("CARTE_STAFF_PASSWORD_HASH", raising=False)
    monkeypatch.setenv("CARTE_DATABASE_URL", "sqlite:///environnement.sqlite")
    now = settings.current(secrets)
    assert now.staff_password_hash == "des-secrets" and now.database_url == "sqlite:///environnement.sqlite"


def test_every_setting_is_documented_with_its_variable():
    documented = (REPO_DIR / "docs" / "deploiement.md").read_text(encoding="utf-8")
    variables = {f"`CARTE_{name.upper()}" for name in settings.Settings.model_fields if name != "oidc"}
    assert {variable for variable in variables if variable not in documented} == set()


def test_the_log_is_stamped_in_paris_time_from_its_first_line():
    """A server on a UTC host logged its start-up in UTC, then an hour later once the hours engine had set Paris
    as the process's zone: the log's timeline jumped in the middle of one start-up."""
    import os
    import subprocess
    import sys

    from geo.files import REPO_DIR

    check = ("import logging, time; from geo import logs; logs.configure(); "
             "logging.getLogger('carte.essai').warning('première ligne'); print(time.tzname)")
    answer = subprocess.run([sys.executable, "-c", check], cwd=REPO_DIR, capture_output=True, text=True,
                            timeout=60, check=True, env={**os.environ, "TZ": "UTC"})
    assert answer.stdout.strip() in {"('CET', 'CEST')"}, answer.stdout
    assert "première ligne" in answer.stderr

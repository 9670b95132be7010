"""The hostile input catalogue: counts what was tried and what was handled.

Every test marked `hostile` is one hostile input. It counts as tried when it
starts and as handled when it passes; the run ends with the totals.

Each hostile request must be answered with a clear message, a 4xx (never a
5xx) and nothing stored: `nothing_stored` compares row counts and every file
under the test's folders before and after (tests/hostile/checks.py has the
other checks).
"""

from contextlib import contextmanager
from pathlib import Path

import pytest

_tally = {"tried": 0, "handled": 0}


def pytest_runtest_logreport(report):
    if "hostile" not in report.keywords:
        return
    if report.when == "setup":
        _tally["tried"] += 1
    elif report.when == "call" and report.passed:
        _tally["handled"] += 1


def pytest_terminal_summary(terminalreporter):
    if _tally["tried"]:
        terminalreporter.write_sep(
            "-", f"hostile inputs: {_tally['tried']} tried, {_tally['handled']} handled"
        )


def _stored_state(root: Path) -> tuple[dict, list]:
    from django.contrib.auth import get_user_model

    from claims.models import Claim, CustomerNote, EvidencePhoto
    from helpcentre.models import Article, ArticleImage, Comment, Vote

    models = (Claim, EvidencePhoto, CustomerNote, Comment, Vote, Article, ArticleImage)
    counts = {m.__name__: m.objects.count() for m in (*models, get_user_model())}
    files = sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())
    return counts, files


@pytest.fixture
def nothing_stored(db, tmp_path):
    """`with nothing_stored(): ...` fails if the block added rows or files."""

    @contextmanager
    def check():
        before = _stored_state(tmp_path)
        yield
        assert _stored_state(tmp_path) == before

    return check

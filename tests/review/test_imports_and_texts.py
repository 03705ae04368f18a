"""Start-up discipline and the bilingual catalogue of the console."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
import unicodedata
from importlib import resources
from pathlib import Path
from typing import Any

from itdeclare.client import Decision
from itdeclare.i18n import has_text, t
from itdeclare.models import DeclarationStatus
from itdeclare.reviewing.filters import AgeFilter, DepartureFilter, StatusFilter
from itdeclare.screens.review.note import SUGGESTIONS

HEAVY = ("fastapi", "sqlalchemy", "uvicorn", "alembic", "cryptography.hazmat", "qrcode")
PACKAGE = Path(__file__).parents[2] / "itdeclare"
SOURCES = [
    PACKAGE / "review_app.py",
    *sorted((PACKAGE / "screens" / "review").glob("*.py")),
    *sorted((PACKAGE / "widgets" / "review").glob("*.py")),
]


def test_the_console_imports_no_backend_and_no_crypto() -> None:
    """The embedded backend is imported only when the local backend starts."""
    code = (
        "import sys\n"
        "import itdeclare.review_app\n"
        "import itdeclare.screens.review.queue, itdeclare.screens.review.declaration\n"
        f"heavy = sorted(m for m in sys.modules if m.startswith({HEAVY!r}))\n"
        "print(' '.join(heavy))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == []


def test_the_first_screen_loads_neither_the_http_client_nor_the_models() -> None:
    """The sign-in screen draws before the client (httpx) and the domain models load."""
    code = (
        "import sys\n"
        "import itdeclare.review_app\n"
        "late = ('httpx', 'itdeclare.client', 'itdeclare.models')\n"
        "print(' '.join(sorted(m for m in sys.modules if m.startswith(late))))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == []


def entries(node: dict[str, Any], prefix: str = "review") -> list[tuple[str, dict[str, str]]]:
    found = []
    for name, value in node.items():
        key = f"{prefix}.{name}"
        if isinstance(value, dict) and "en" in value:
            found.append((key, value))
        elif isinstance(value, dict):
            found += entries(value, key)
    return found


CATALOGUE = tomllib.loads(
    resources.files("itdeclare.i18n").joinpath("catalog", "review.toml").read_text("utf-8")
)
AMBIGUOUS_OK = set("《》「」（）：，。；！？、—…")


def test_every_entry_speaks_both_languages_without_ambiguous_symbols() -> None:
    for key, entry in entries(CATALOGUE):
        assert set(entry) == {"en", "zh"}, key
        for language, words in entry.items():
            odd = {
                c for c in words if unicodedata.east_asian_width(c) == "A" and c not in AMBIGUOUS_OK
            }
            assert not odd, (key, language, odd)
        assert not re.search(r"[\u4e00-\u9fff][,;:?!]", entry["zh"]), (key, "ASCII punctuation")


def test_every_key_the_code_names_exists() -> None:
    literal = re.compile(r"""tr\(\s*"(review\.[a-z0-9_.]+)\"""")
    for path in SOURCES:
        for key in literal.findall(path.read_text("utf-8")):
            assert has_text(key), (path.name, key)


def test_keys_made_from_values_exist() -> None:
    made = [f"review.filter.status.{s.value}" for s in StatusFilter]
    made += [
        f"review.filter.status.{s.value}"
        for s in (DeclarationStatus.PENDING_REVIEW, DeclarationStatus.SUPPLEMENT_REQUESTED)
    ]
    made += [f"review.filter.age.{a.value}" for a in AgeFilter]
    made += [f"review.filter.departure.{d.value}" for d in DepartureFilter]
    for decision in Decision:
        made += [
            f"review.decided.{decision.value}",
            f"review.confirm.question.{decision.value}",
            f"review.confirm.yes.{decision.value}",
            f"review.action.{decision.value}",
        ]
    for decision, reasons in SUGGESTIONS.items():
        made += [f"review.note.title.{decision.value}", f"review.note.placeholder.{decision.value}"]
        made += [f"review.confirm.note.{decision.value}"]
        made += [f"review.reason.{decision.value}.{reason}" for reason in reasons]
    for key in made:
        assert has_text(key), key
        assert t(key, "zh") != t(key, "en") or key.endswith("sha256"), key


def test_every_binding_has_an_id_and_words_in_both_languages() -> None:
    from itdeclare.review_app import ReviewerApp
    from itdeclare.screens.review.confirm import ConfirmDecision
    from itdeclare.screens.review.declaration import DeclarationScreen
    from itdeclare.screens.review.note import NoteModal
    from itdeclare.screens.review.queue import QueueScreen

    for owner in (ReviewerApp, QueueScreen, DeclarationScreen, NoteModal, ConfirmDecision):
        for binding in owner.BINDINGS:
            assert not isinstance(binding, tuple)
            if binding.system:
                continue
            assert binding.id is not None and binding.id.startswith("review."), binding
            assert has_text(f"review.keys.{binding.id.removeprefix('review.')}"), binding.id

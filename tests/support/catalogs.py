"""A translation catalog of a test's own: while `only_catalog(language, po)` runs, the app reads
that language from `po` alone (the shipped catalogs set aside) and renders everything afresh."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from bot.domain import i18n


@contextmanager
def only_catalog(language: str, po: str) -> Iterator[None]:
    with tempfile.TemporaryDirectory() as directory, pytest.MonkeyPatch.context() as patch:
        path = Path(directory) / language / "LC_MESSAGES" / "messages.po"
        path.parent.mkdir(parents=True)
        path.write_text(po, encoding="utf-8")
        patch.setattr(i18n, "LOCALES_DIR", Path(directory))
        i18n.forget_translations()
        try:
            yield
        finally:
            i18n.forget_translations()

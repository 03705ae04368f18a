"""Exporting a health code: PNG and SVG images of the QR, and a printable PDF page.

Blocking work (QR encoding, image drawing, disk): call it from a thread worker. Each file is
written beside its final name and moved into place, so a reader never sees half a file.

The PDF page (:mod:`itdeclare.certificate.page`) is vector: text as text in a font that ships
with the install, so it reads the same in Chinese and English on any machine.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from itdeclare.certificate import qr


@dataclass(frozen=True, slots=True)
class PageText:
    """What the PDF page says, and in which language."""

    title: str
    lines: Sequence[str]
    language: Literal["zh", "en"]


@dataclass(frozen=True, slots=True)
class Exported:
    path: Path


def _write_atomically(path: Path, write: Callable[[Path], object]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=path.suffix)
    os.close(fd)
    try:
        write(Path(temporary))
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def export_png(payload: str, path: Path) -> Exported:
    return Exported(_write_atomically(path, lambda target: qr.write_png(payload, target)))


def export_svg(payload: str, path: Path) -> Exported:
    return Exported(_write_atomically(path, lambda target: qr.write_svg(payload, target)))


def export_pdf(payload: str, text: PageText, path: Path) -> Exported:
    """One printable A4 page: the title, the QR (11 cm wide) and the holder's lines."""
    from itdeclare.certificate import page

    def write(target: Path) -> None:
        page.write_pdf(payload, text.title, text.lines, target, text.language)

    return Exported(_write_atomically(path, write))

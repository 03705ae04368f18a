"""Uploads are judged before any byte is stored; refused ones leave nothing; downloads are
never rendered by a browser; files no attachment names are swept."""

from __future__ import annotations

import os
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import insert, select, update

from itdeclare.server.blobs import DatabaseBlobs, FileBlobs
from itdeclare.server.services import attachments
from itdeclare.server.tables import BlobChunk, utcnow
from tests.server import uploads
from tests.server.conftest import DATABASES, LiveServer, Traveller, running_server, sign_in
from tests.server.test_cli import itdeclare


def _upload(traveller: Traveller, declaration_id: str, content: bytes) -> httpx.Response:
    return traveller.post(
        f"/api/v1/declarations/{declaration_id}/attachments",
        files={"file": ("scan.png", content, "image/png")},
    )


def _stored(live: LiveServer) -> set[str]:
    """Every file kept: in the attachment directory (half-written ones included) and, on
    PostgreSQL, in the database."""
    root = live.config.attachments_dir
    on_disk = {str(p) for p in root.rglob("*") if p.is_file()} if root.exists() else set()
    with live.db.read() as session:
        in_database = session.execute(select(BlobChunk.sha256).distinct()).scalars()
        return on_disk | {f"database:{sha256}" for sha256 in in_database}


@pytest.mark.parametrize(
    ("width", "height"),
    [(30_000, 30_000), (8_000, 8_000)],
    ids=["past-pillows-bomb-limit", "past-the-backends-limit"],
)
def test_an_image_with_too_many_pixels_is_refused_before_it_is_stored(
    server: LiveServer, traveller: Traveller, width: int, height: int
) -> None:
    declaration = traveller.submitted()
    before = _stored(server)
    answer = _upload(traveller, declaration["id"], uploads.png_header(width, height))
    assert answer.status_code == 413, answer.text
    error = answer.json()["error"]
    assert error["code"] == "attachment_too_many_pixels"
    assert "50 million" in error["message"]
    assert _stored(server) == before


@pytest.mark.parametrize(
    "content",
    [uploads.png_header(10, 10), uploads.png_header(10, 10)[:-12] + uploads.empty_palette()],
    ids=["header-and-end", "empty-palette"],
)
def test_a_picture_pillow_trips_on_is_damaged_not_a_server_error(
    server: LiveServer, traveller: Traveller, content: bytes
) -> None:
    """Found by a QA pass: these made Pillow raise IndexError, and the backend answer 500."""
    declaration = traveller.submitted()
    answer = _upload(traveller, declaration["id"], content)
    assert (answer.status_code, answer.json()["error"]["code"]) == (422, "attachment_damaged")


def test_refused_uploads_leave_no_byte_in_the_store(
    server: LiveServer, traveller: Traveller
) -> None:
    declaration = traveller.submitted()
    before = _stored(server)
    for content in (b"", b"<html></html>", b"%PDF-1.4\n" + os.urandom(64), uploads.image()[:40]):
        assert _upload(traveller, declaration["id"], content).status_code in (415, 422)
    assert _stored(server) == before


@pytest.mark.parametrize("kind", DATABASES)
def test_past_the_limit_an_upload_is_refused_and_not_kept(kind: str, tmp_path: Path) -> None:
    """Sequentially, and then with many uploads racing for the last place: exactly
    ``MAX_PER_DECLARATION`` files are stored, every other upload is a 409 and stores nothing."""
    with running_server(kind, tmp_path) as live, live.client() as http:
        traveller = sign_in(http)
        declaration = traveller.submitted()["id"]
        limit = attachments.MAX_PER_DECLARATION
        for n in range(limit - 1):
            assert _upload(traveller, declaration, uploads.image("PNG", (n + 1, 1))).is_success
        racing = [uploads.image("PNG", (1, n + 1)) for n in range(2, 12)]
        with ThreadPoolExecutor(max_workers=5) as pool:
            answers = list(pool.map(lambda c: _upload(traveller, declaration, c), racing))
        assert sorted(a.status_code for a in answers) == [201] + [409] * (len(racing) - 1)
        late = _upload(traveller, declaration, uploads.image("JPEG", (7, 7)))
        assert late.status_code == 409
        assert late.json()["error"]["code"] == "too_many_attachments"
        assert len(_stored(live)) == limit


def test_downloads_are_never_rendered(server: LiveServer, traveller: Traveller) -> None:
    """A PDF with HTML inside comes back as a PDF to save, which no browser may sniff."""
    declaration = traveller.submitted()["id"]
    posted = _upload(traveller, declaration, uploads.pdf_with_html())
    assert posted.status_code == 201, posted.text
    attachment = posted.json()["id"]
    answer = traveller.get(f"/api/v1/declarations/{declaration}/attachments/{attachment}")
    assert answer.headers["content-type"] == "application/pdf"
    assert answer.headers["content-disposition"] == f'attachment; filename="{attachment}.pdf"'
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert "sandbox" in answer.headers["content-security-policy"]
    assert answer.headers["cache-control"] == "no-store"


def test_the_sweep_removes_only_old_files_no_attachment_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with running_server("sqlite", tmp_path) as live, live.client() as http:
        traveller = sign_in(http)
        declaration = traveller.submitted()["id"]
        kept = _upload(traveller, declaration, uploads.image()).json()["sha256"]
    store = FileBlobs(live.config.attachments_dir)
    old = time.time() - 2 * 3600
    orphan, young, half_written = (
        store.path("ab" * 32),
        store.path("cd" * 32),
        store.root / ".upload-x",
    )
    for path in (orphan, young, half_written):
        path.parent.mkdir(mode=0o700, exist_ok=True)
        path.write_bytes(b"left behind")
    for path in (orphan, half_written, store.path(kept)):
        os.utime(path, (old, old))
    monkeypatch.setenv("ITDECLARE_DATA_DIR", str(tmp_path))
    done = itdeclare("admin", "sweep-attachments", "--database-url", live.config.database_url)
    assert done.returncode == 0, done.stderr
    assert "2 stored files" in done.stdout
    assert store.path(kept).exists() and young.exists()
    assert not orphan.exists() and not half_written.exists()


def test_the_sweep_in_the_database_removes_only_old_pieces_no_attachment_names(
    tmp_path: Path,
) -> None:
    with running_server("postgres", tmp_path) as live, live.client() as http:
        traveller = sign_in(http)
        declaration = traveller.submitted()["id"]
        kept = _upload(traveller, declaration, uploads.image()).json()["sha256"]
        old = utcnow() - timedelta(hours=2)
        orphan, young = "ab" * 32, "cd" * 32
        pieces = [
            {"sha256": orphan, "seq": 0, "data": b"left", "created_at": old},
            {"sha256": orphan, "seq": 1, "data": b"behind", "created_at": old},
            {"sha256": young, "seq": 0, "data": b"young", "created_at": utcnow()},
        ]
        with live.db.engine.begin() as connection:
            connection.execute(insert(BlobChunk), pieces)
            connection.execute(  # the kept file is old too: named, it stays
                update(BlobChunk).where(BlobChunk.sha256 == kept).values(created_at=old)
            )
        store = DatabaseBlobs(live.db, FileBlobs(live.config.attachments_dir))
        with live.db.read() as session:
            referenced = attachments.referenced(session)
        assert store.sweep(referenced) == 1
        assert _stored(live) == {f"database:{kept}", f"database:{young}"}

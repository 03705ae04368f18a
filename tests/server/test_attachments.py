"""Uploads: the type comes from the content, the size is capped, the bytes are kept by SHA-256."""

from __future__ import annotations

import hashlib
import io
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from PIL import Image
from sqlalchemy import select

from itdeclare.config import BackendSettings
from itdeclare.server.blobs import CHUNK_BYTES
from itdeclare.server.tables import BlobChunk
from tests.server import uploads
from tests.server.conftest import (
    LiveServer,
    Reviewer,
    Traveller,
    running_server,
    sign_in,
)


def _upload(
    traveller: Traveller, declaration_id: str, name: str, content: bytes, kind: str
) -> httpx.Response:
    return traveller.post(
        f"/api/v1/declarations/{declaration_id}/attachments",
        files={"file": (name, content, kind)},
    )


def _stored(server: LiveServer, sha256: str) -> list[bytes]:
    """Every copy kept of the file with that digest: in the data directory on SQLite, in the
    database on PostgreSQL (each in one place only)."""
    directory = server.config.attachments_dir / sha256[:2]
    files = [p.read_bytes() for p in directory.iterdir()] if directory.exists() else []
    with server.db.read() as session:
        pieces = session.execute(
            select(BlobChunk.data).where(BlobChunk.sha256 == sha256).order_by(BlobChunk.seq)
        ).scalars()
        in_database = b"".join(pieces)
    if server.db.sqlite:
        assert not in_database
        return files
    assert not files
    return [in_database] if in_database else []


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (uploads.pdf(), "application/pdf"),
        (uploads.image("JPEG"), "image/jpeg"),
        (uploads.image("PNG"), "image/png"),
    ],
    ids=["pdf", "jpeg", "png"],
)
def test_accepted_types_are_judged_by_content(
    server: LiveServer, traveller: Traveller, content: bytes, expected: str
) -> None:
    declaration = traveller.submitted()
    # The name and the declared type lie; the content decides.
    answer = _upload(traveller, declaration["id"], "photo.txt", content, "text/plain")
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert body["content_type"] == expected
    assert body["sha256"] == hashlib.sha256(content).hexdigest()
    assert _stored(server, body["sha256"]) == [content]
    again = traveller.get(f"/api/v1/declarations/{declaration['id']}/attachments/{body['id']}")
    assert again.content == content
    assert again.headers["content-type"] == expected


def test_the_same_file_twice_is_stored_once(server: LiveServer, traveller: Traveller) -> None:
    declaration = traveller.submitted()
    content = uploads.image("PNG", (3, 5))
    first = _upload(traveller, declaration["id"], "a.png", content, "image/png").json()
    second = _upload(traveller, declaration["id"], "b.png", content, "image/png").json()
    assert first["id"] != second["id"]
    assert first["sha256"] == second["sha256"]
    assert _stored(server, first["sha256"]) == [content]


def _noise_png(side: int) -> bytes:
    """A PNG that does not compress: about 3 bytes a pixel."""
    buffer = io.BytesIO()
    Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_a_file_in_several_pieces_comes_back_whole(
    server: LiveServer, traveller: Traveller
) -> None:
    declaration = traveller.submitted()
    content = _noise_png(800)
    assert len(content) > CHUNK_BYTES  # in the database: more than one piece
    body = _upload(traveller, declaration["id"], "scan.png", content, "image/png").json()
    again = traveller.get(f"/api/v1/declarations/{declaration['id']}/attachments/{body['id']}")
    assert again.content == content
    assert again.headers["content-length"] == str(len(content))
    assert _stored(server, body["sha256"]) == [content]


@pytest.mark.parametrize(
    ("content", "status", "code"),
    [
        (b"", 422, "attachment_empty"),
        (b"GIF89a" + bytes(100), 415, "attachment_type"),
        (b"<html><body>certificate</body></html>", 415, "attachment_type"),
        (b"%PDF-1.4\n" + bytes(300), 422, "attachment_damaged"),
        (uploads.image("PNG")[:40], 422, "attachment_damaged"),
    ],
    ids=["empty", "gif", "html-named-pdf", "pdf-without-end", "truncated-png"],
)
def test_wrong_or_damaged_files_are_refused(
    traveller: Traveller, content: bytes, status: int, code: str
) -> None:
    declaration = traveller.submitted()
    answer = _upload(traveller, declaration["id"], "certificate.pdf", content, "application/pdf")
    assert answer.status_code == status, answer.text
    assert answer.json()["error"]["code"] == code
    assert traveller.get(f"/api/v1/declarations/{declaration['id']}").json()["attachments"] == []


def test_a_missing_file_field_names_it(traveller: Traveller) -> None:
    declaration = traveller.submitted()
    answer = traveller.post(
        f"/api/v1/declarations/{declaration['id']}/attachments", data={"other": "x"}
    )
    assert answer.status_code == 422
    assert [f["loc"] for f in answer.json()["error"]["fields"]] == ["file"]


@pytest.fixture
def small_limit_server(tmp_path: Path) -> Iterator[LiveServer]:
    settings = BackendSettings(codes_per_address_per_hour=1000, attachment_max_bytes=4096)
    with running_server("sqlite", tmp_path, settings) as live:
        yield live


def test_oversize_files_are_refused(small_limit_server: LiveServer) -> None:
    with small_limit_server.client() as http:
        traveller = sign_in(http)
        declaration = traveller.submitted()
        # Over the file limit, within the request limit (which leaves room for the framing).
        big = uploads.image("PNG") + bytes(8192)
        answer = _upload(traveller, declaration["id"], "big.png", big, "image/png")
        assert answer.status_code == 413, answer.text
        assert answer.json()["error"]["code"] == "attachment_too_large"
        assert "(at most 4 KB)" in answer.json()["error"]["message"]
        # Just under the limit (the file itself) passes.
        small = uploads.image("PNG", (4, 4))
        assert len(small) < 4096
        assert _upload(traveller, declaration["id"], "s.png", small, "image/png").status_code == 201


def test_a_streamed_body_over_the_limit_is_cut_off(small_limit_server: LiveServer) -> None:
    """Without Content-Length (chunked), the limit still holds while the body arrives."""
    with small_limit_server.client() as http:
        traveller = sign_in(http)
        declaration = traveller.submitted()
        boundary = "xyz"
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.png"'
            "\r\nContent-Type: image/png\r\n\r\n"
        ).encode()

        def chunks() -> Iterator[bytes]:
            yield head
            for _ in range(200):
                yield bytes(1024)
            yield f"\r\n--{boundary}--\r\n".encode()

        answer = http.post(
            f"/api/v1/declarations/{declaration['id']}/attachments",
            content=chunks(),
            headers={
                **traveller.auth,
                "Content-Type": f"multipart/form-data; boundary={boundary}",
            },
        )
        assert answer.status_code == 413, answer.text


def test_uploads_only_while_in_review(
    traveller: Traveller, make_reviewer: Callable[[str], Reviewer]
) -> None:
    declaration = traveller.submitted()
    make_reviewer("USA").decide(declaration["id"], "reject", "Not readable")
    answer = _upload(traveller, declaration["id"], "a.png", uploads.image(), "image/png")
    assert answer.status_code == 409
    assert answer.json()["error"]["code"] == "not_in_review"


def test_supplement_names_unknown_attachments(
    traveller: Traveller, make_reviewer: Callable[[str], Reviewer]
) -> None:
    declaration = traveller.submitted()
    make_reviewer("USA").decide(declaration["id"], "request_supplement", "More, please")
    answer = traveller.post(
        f"/api/v1/declarations/{declaration['id']}/supplement",
        json={"message": "done", "attachment_ids": ["nope"]},
    )
    assert answer.status_code == 422
    assert answer.json()["error"]["fields"][0]["loc"] == "attachment_ids.0"
    assert answer.json()["error"]["fields"][0]["code"] == "attachment_unknown"

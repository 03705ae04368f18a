"""Attachments: a valid multipart body streamed from disk in chunks, with progress."""

from __future__ import annotations

from collections.abc import Callable
from email.message import Message
from email.parser import BytesParser
from email.policy import HTTP
from itertools import pairwise
from pathlib import Path

import httpx
import pytest

from itdeclare import i18n
from itdeclare.client import ApiClient, FileUnreadable, InvalidInput, ServerError
from itdeclare.client.upload import CHUNK_SIZE
from tests.client.conftest import ScriptedServer, Sleeps, reply

STORED = {"id": "a1", "sha256": "00" * 32, "content_type": "application/pdf", "size": 0}


def parts(request: httpx.Request) -> list[Message]:
    """The parts of a multipart/form-data body, read by the standard library's MIME parser."""
    head = f"Content-Type: {request.headers['Content-Type']}\r\n\r\n".encode()
    message = BytesParser(policy=HTTP).parsebytes(head + request.content)
    assert message.is_multipart()
    return list(message.iter_parts())  # type: ignore[attr-defined]


@pytest.fixture
def report(tmp_path: Path) -> Path:
    path = tmp_path / "lab report.pdf"
    path.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 1000)  # about 4 chunks
    return path


async def test_the_file_goes_as_the_file_part(
    connect: Callable[..., ApiClient], report: Path
) -> None:
    server = ScriptedServer(reply(201, {**STORED, "size": report.stat().st_size}))
    stored = await connect(server, token="t").upload_attachment("d1", report)
    request = server.requests[0]
    assert (request.method, request.url.path) == ("POST", "/api/v1/declarations/d1/attachments")
    assert int(request.headers["Content-Length"]) == len(request.content)
    assert "Transfer-Encoding" not in request.headers
    [part] = parts(request)
    assert part.get_param("name", header="Content-Disposition") == "file"
    assert part.get_filename() == "lab report.pdf"
    assert part.get_content_type() == "application/pdf"
    assert part.get_payload(decode=True) == report.read_bytes()
    assert stored.id == "a1"
    assert stored.size == report.stat().st_size


async def test_progress_is_reported_chunk_by_chunk(
    connect: Callable[..., ApiClient], report: Path
) -> None:
    seen: list[tuple[int, int]] = []
    server = ScriptedServer(reply(201, STORED))
    await connect(server).upload_attachment("d1", report, progress=lambda *p: seen.append(p))
    size = report.stat().st_size
    assert seen[0] == (0, size)
    assert seen[-1] == (size, size)
    sent = [done for done, _ in seen]
    assert sent == sorted(sent)
    assert len(seen) == 1 + -(-size // CHUNK_SIZE)
    assert all(b - a <= CHUNK_SIZE for a, b in pairwise(sent))


async def test_an_empty_file_is_sent_as_one(
    connect: Callable[..., ApiClient], tmp_path: Path
) -> None:
    empty = tmp_path / "empty.png"
    empty.write_bytes(b"")
    seen: list[tuple[int, int]] = []
    server = ScriptedServer(reply(201, STORED))
    await connect(server).upload_attachment("d1", empty, progress=lambda *p: seen.append(p))
    [part] = parts(server.requests[0])
    assert part.get_payload(decode=True) == b""
    assert seen == [(0, 0)]


async def test_an_unusual_file_name_cannot_break_the_form(
    connect: Callable[..., ApiClient], tmp_path: Path
) -> None:
    odd = tmp_path / 'scan "1"\r\n化验单.jpg'
    odd.write_bytes(b"\xff\xd8\xff" + b"\0" * 100)
    server = ScriptedServer(reply(201, STORED))
    await connect(server).upload_attachment("d1", odd)
    [part] = parts(server.requests[0])
    assert part.get_content_type() == "image/jpeg"
    assert part.get_payload(decode=True) == odd.read_bytes()


async def test_a_missing_file_is_reported_before_anything_is_sent(
    connect: Callable[..., ApiClient], tmp_path: Path
) -> None:
    server = ScriptedServer(reply(201, STORED))
    with pytest.raises(FileUnreadable) as caught:
        await connect(server).upload_attachment("d1", tmp_path / "gone.pdf")
    assert server.requests == []
    assert caught.value.message == "Cannot read the file gone.pdf."
    i18n.set_language("zh")
    assert caught.value.message == "无法读取文件 gone.pdf。"


async def test_a_directory_is_not_a_file(connect: Callable[..., ApiClient], tmp_path: Path) -> None:
    with pytest.raises(FileUnreadable):
        await connect(ScriptedServer(reply(201, STORED))).upload_attachment("d1", tmp_path)


@pytest.mark.parametrize("change", ["shrink", "grow"])
async def test_a_file_that_changes_while_it_is_sent_is_reported(
    connect: Callable[..., ApiClient], report: Path, change: str
) -> None:
    def edit_after_first_chunk(done: int, total: int) -> None:
        if done == CHUNK_SIZE:
            with report.open("r+b") as handle:
                if change == "shrink":
                    handle.truncate(CHUNK_SIZE + 10)
                else:
                    handle.seek(0, 2)
                    handle.write(b"more")

    server = ScriptedServer(reply(201, STORED))
    with pytest.raises(FileUnreadable) as caught:
        await connect(server).upload_attachment("d1", report, progress=edit_after_first_chunk)
    assert caught.value.changed
    assert "changed" in caught.value.message


async def test_an_upload_is_not_retried(
    connect: Callable[..., ApiClient], sleeps: Sleeps, report: Path
) -> None:
    server = ScriptedServer(reply(503), reply(201, STORED))
    with pytest.raises(ServerError):
        await connect(server).upload_attachment("d1", report)
    assert len(server.requests) == 1
    assert sleeps == []


async def test_a_refused_file_type_says_which_types_are_welcome(
    connect: Callable[..., ApiClient], report: Path
) -> None:
    server = ScriptedServer(reply(415))
    with pytest.raises(InvalidInput) as caught:
        await connect(server).upload_attachment("d1", report)
    assert "PDF, JPEG and PNG" in caught.value.message

"""A file sent as ``multipart/form-data`` straight from disk, in chunks, reporting progress.

httpx can build multipart bodies itself, but it reads the file on the event loop and says
nothing about progress; a phone photo of a lab report is a few megabytes, and the traveller
should see it move. The body's length is known in advance, so it goes with ``Content-Length``
and the server can refuse an oversized file before reading it.
"""

from __future__ import annotations

import asyncio
import io
import mimetypes
import secrets
from collections.abc import AsyncIterator, Callable, Mapping
from pathlib import Path
from typing import BinaryIO

from itdeclare.client.errors import FileUnreadable

CHUNK_SIZE = 64 * 1024

#: Called with (bytes of the file sent so far, size of the file): once at 0, then per chunk.
Progress = Callable[[int, int], None]


class MultipartFile:
    """One file as the last part of a form, under the field name ``field``, after the plain
    ``fields`` (short texts such as a test's index). The file is read from ``path``, or is
    ``content`` when given (a copy kept in memory; ``path`` then only names it)."""

    def __init__(
        self,
        path: Path,
        field: str = "file",
        *,
        fields: Mapping[str, str] | None = None,
        content: bytes | None = None,
    ) -> None:
        self.path = path
        self._content = content
        self.size = len(content) if content is not None else _size_of(path)
        self._boundary = secrets.token_hex(16)
        media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        plain = "".join(
            f"--{self._boundary}\r\n"
            f'Content-Disposition: form-data; name="{_quoted(name)}"\r\n\r\n{value}\r\n'
            for name, value in (fields or {}).items()
        )
        self._head = (
            f"{plain}--{self._boundary}\r\n"
            f'Content-Disposition: form-data; name="{field}"; filename="{_quoted(path.name)}"\r\n'
            f"Content-Type: {media_type}\r\n\r\n"
        ).encode()
        self._tail = f"\r\n--{self._boundary}--\r\n".encode()

    @property
    def headers(self) -> dict[str, str]:
        return {
            "Content-Type": f"multipart/form-data; boundary={self._boundary}",
            "Content-Length": str(len(self._head) + self.size + len(self._tail)),
        }

    async def body(self, progress: Progress | None = None) -> AsyncIterator[bytes]:
        """The encoded form; the file is read off the event loop, one chunk at a time."""
        report = progress or _ignore
        with self._open() as handle:
            report(0, self.size)
            yield self._head
            async for chunk in self._chunks(handle):
                yield chunk
                report(handle.tell(), self.size)
            yield self._tail

    def _open(self) -> BinaryIO:
        if self._content is not None:
            return io.BytesIO(self._content)
        try:
            return self.path.open("rb")
        except OSError as exc:
            raise FileUnreadable(self.path.name, detail=repr(exc)) from exc

    async def _chunks(self, handle: BinaryIO) -> AsyncIterator[bytes]:
        remaining = self.size
        while remaining:
            chunk = await self._read(handle, min(CHUNK_SIZE, remaining))
            if not chunk:
                raise FileUnreadable(self.path.name, changed=True, detail="file shrank")
            remaining -= len(chunk)
            yield chunk
        if await self._read(handle, 1):
            raise FileUnreadable(self.path.name, changed=True, detail="file grew")

    async def _read(self, handle: BinaryIO, size: int) -> bytes:
        try:
            return await asyncio.to_thread(handle.read, size)
        except OSError as exc:
            raise FileUnreadable(self.path.name, detail=repr(exc)) from exc


def _size_of(path: Path) -> int:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise FileUnreadable(path.name, detail=repr(exc)) from exc
    if not path.is_file():
        raise FileUnreadable(path.name, detail="not a regular file")
    return size


def _quoted(filename: str) -> str:
    """The file name as browsers put it in a form: UTF-8, with quote and line breaks escaped."""
    return filename.replace('"', "%22").replace("\r", "%0D").replace("\n", "%0A")


def _ignore(sent: int, total: int) -> None:
    """No one is watching the progress."""

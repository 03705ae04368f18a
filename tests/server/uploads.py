"""Small, genuine files of each accepted type, made on the spot."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import Image


def image(kind: str = "PNG", size: tuple[int, int] = (8, 8)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format=kind)
    return buffer.getvalue()


def pdf() -> bytes:
    """A one-page PDF with a correct cross-reference table."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    trailer = b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
    out.write(trailer % (len(objects) + 1, xref))
    return out.getvalue()


def png_header(width: int, height: int) -> bytes:
    """A PNG that announces ``width`` × ``height`` pixels in a few dozen bytes (its data is
    missing): what a decompression bomb looks like to whoever reads only the header."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IEND", b"")


def empty_palette() -> bytes:
    """An empty PLTE chunk, then the image's end: a palette Pillow's reader indexes into."""
    return _chunk(b"PLTE", b"") + _chunk(b"IEND", b"")


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def pdf_with_html() -> bytes:
    """A polyglot: a valid PDF whose body a browser sniffing for HTML would find and render."""
    html = b"<html><body><script>alert(document.domain)</script></body></html>\n"
    whole = pdf()
    return whole[:9] + b"%" + html + whole[9:]

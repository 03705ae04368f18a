"""What an upload must be before anything of it is stored, whatever the store.

The upload as it arrived (the multipart parser's spooled file) is read here: measured, hashed,
its type judged from its bytes, its whole structure checked, an image's dimensions checked
before any pixel is decoded. Only a file that passes reaches ``BlobStore.put``; a refused one
leaves nothing behind in the store.
"""

from __future__ import annotations

import hashlib
import warnings
from dataclasses import dataclass
from typing import BinaryIO

from itdeclare.server.blobs import JPEG, PDF, PNG, CheckedUpload, human_size
from itdeclare.server.errors import ApiError

_CHUNK = 64 * 1024
_HEAD = 16
#: A PDF's end-of-file marker must be this close to the end (the spec says the last line;
#: writers leave a little whitespace or junk behind it).
_PDF_TAIL = 1024


@dataclass(frozen=True, slots=True)
class UploadLimits:
    max_bytes: int
    max_pixels: int


def sniff(head: bytes) -> str | None:
    """The type the first bytes announce, among those accepted; ``None`` for anything else."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    return None


def check(source: BinaryIO, limits: UploadLimits) -> CheckedUpload:
    """Judge ``source`` (seekable; left at its start); raise ``ApiError`` if it is refused."""
    source.seek(0)
    digest, head, size = _measure(source, limits.max_bytes)
    if size == 0:
        raise ApiError(422, "attachment_empty")
    content_type = sniff(head)
    if content_type is None:
        raise ApiError(415, "attachment_type")
    if content_type == PDF:
        whole = _pdf_is_whole(source, size)
    else:
        whole = _image_is_whole(source, limits.max_pixels)
    source.seek(0)
    if not whole:
        raise ApiError(422, "attachment_damaged", {"type": content_type})
    return CheckedUpload(digest, content_type, size)


def _measure(source: BinaryIO, max_bytes: int) -> tuple[str, bytes, int]:
    digest = hashlib.sha256()
    head = b""
    size = 0
    while chunk := source.read(_CHUNK):
        size += len(chunk)
        if size > max_bytes:
            raise ApiError(413, "attachment_too_large", {"max": human_size(max_bytes)})
        if len(head) < _HEAD:
            head = (head + chunk)[:_HEAD]
        digest.update(chunk)
    return digest.hexdigest(), head, size


def _pdf_is_whole(source: BinaryIO, size: int) -> bool:
    source.seek(max(0, size - _PDF_TAIL))
    return b"%%EOF" in source.read()


def _image_is_whole(source: BinaryIO, max_pixels: int) -> bool:
    """Pillow reads the header (dimensions) on open and decodes nothing; an image with more
    pixels than allowed is refused there, before ``verify`` walks its data."""
    from PIL import Image

    source.seek(0)
    with warnings.catch_warnings():
        # Pillow warns past its own pixel limit and raises past twice that: both are ours to
        # answer, with the limit that this backend sets.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(source) as image:
                _check_pixels(image.width, image.height, max_pixels)
                image.verify()
        except ApiError:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _too_many_pixels(max_pixels) from None
        except Exception:
            # Not only UnidentifiedImageError, OSError, SyntaxError or ValueError: Pillow's
            # parsers meet hostile bytes with whatever their code trips on (a PNG of a header
            # and its end raises IndexError, which was a 500). A picture Pillow cannot read
            # through is damaged, whatever the exception says.
            return False
    return True


def _check_pixels(width: int, height: int, max_pixels: int) -> None:
    if width * height > max_pixels:
        raise _too_many_pixels(max_pixels)


def _too_many_pixels(max_pixels: int) -> ApiError:
    megapixels = f"{max_pixels / 1_000_000:.3g}"
    return ApiError(413, "attachment_too_many_pixels", {"max_megapixels": megapixels})

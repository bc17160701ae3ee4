"""Every uploaded picture goes through ``clean_image``: decoded in full, bounded in bytes
and pixels, re-encoded without its metadata (a phone's photo carries where it was taken),
and stored under a name and extension the server chooses. Whatever a file claims to be,
only a real picture, re-drawn by us, is ever stored or served."""

from __future__ import annotations

import io
import uuid

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from .errors import DomainError

MAX_PIXELS = 40_000_000  # about 40 megapixels: any phone photo, never a decompression bomb
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP"}
JPEG_QUALITY = 85


def _refuse(field: str, message: str, code: str) -> DomainError:
    return DomainError(message, code=code, fields={field: [message]})


def clean_image(upload, *, field: str = "photo", max_bytes: int = 8 * 1024 * 1024
                ) -> ContentFile:
    """The upload as a new JPEG (or PNG when it has transparency) with a random name, or a
    ``DomainError`` that says what is wrong, in the user's language."""
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise _refuse(field, _("The photo is too large (at most %(mb)s MB).")
                      % {"mb": max_bytes // (1024 * 1024)}, "photo_too_large")
    data = upload.read()
    if hasattr(upload, "seek"):
        upload.seek(0)
    if len(data) > max_bytes:
        raise _refuse(field, _("The photo is too large (at most %(mb)s MB).")
                      % {"mb": max_bytes // (1024 * 1024)}, "photo_too_large")
    bad_type = _("The photo must be a JPEG, PNG or WebP image.")
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in ACCEPTED_FORMATS:
                raise _refuse(field, bad_type, "photo_bad_type")
            if probe.width * probe.height > MAX_PIXELS:
                raise _refuse(field, _("The photo has too many pixels (at most %(mp)s "
                                       "megapixels).") % {"mp": MAX_PIXELS // 1_000_000},
                              "photo_too_many_pixels")
            probe.verify()
        with Image.open(io.BytesIO(data)) as picture:
            picture.load()
            keep_alpha = picture.mode in ("RGBA", "LA") or "transparency" in picture.info
            picture = picture.convert("RGBA" if keep_alpha else "RGB")
            out = io.BytesIO()
            if keep_alpha:
                picture.save(out, format="PNG", optimize=True)
                extension = "png"
            else:
                picture.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
                extension = "jpg"
    except DomainError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise _refuse(field, bad_type, "photo_bad_type") from None
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.{extension}")

"""Photos of activities: checked by their content (not their name), size-limited, guarded
against decompression bombs, turned upright, resized and re-encoded without any metadata
(EXIF, GPS position, comments), so what is stored is a plain JPEG of at most
:data:`MAX_SIDE` pixels a side."""

from __future__ import annotations

import io
import uuid
import warnings

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from .workflow.errors import Invalid

MAX_BYTES = 10 * 1024 * 1024  # a phone photo is 2–6 MB
MAX_PIXELS = 40_000_000  # 48 MP phones bin to 12 MP; more is a bomb, not a photo
MAX_SIDE = 1600
MAX_PHOTOS = 9
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "MPO"}  # MPO: some phones' JPEGs
JPEG_QUALITY = 85


def prepare_photo(upload) -> ContentFile:
    """The stored form of an uploaded photo, or :class:`Invalid` with a message for the user."""
    name = getattr(upload, "name", "") or ""
    if upload.size > MAX_BYTES:
        raise Invalid(
            _("The photo “%(name)s” is too large (at most %(mb)s MB).") % {"name": name, "mb": MAX_BYTES // 2**20}
        )
    upload.seek(0)
    data = upload.read()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                image_format = probe.format
                width, height = probe.size
                if image_format not in ACCEPTED_FORMATS:
                    raise Invalid(_("“%(name)s” is not a photo (JPEG, PNG or WebP).") % {"name": name})
                if width * height > MAX_PIXELS:
                    raise Invalid(_("The photo “%(name)s” has too many pixels.") % {"name": name})
                probe.verify()
            with Image.open(io.BytesIO(data)) as image:
                image.load()
                image = ImageOps.exif_transpose(image)
                image = image.convert("RGB")
                image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
                out = io.BytesIO()
                # A new image carries no info dict: EXIF, GPS, XMP and comments stay behind.
                clean = Image.new("RGB", image.size)
                clean.paste(image)
                clean.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise Invalid(_("The photo “%(name)s” has too many pixels.") % {"name": name}) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise Invalid(_("“%(name)s” is not a photo (JPEG, PNG or WebP).") % {"name": name}) from error
    photo = ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.jpg")
    photo.image_size = clean.size
    return photo

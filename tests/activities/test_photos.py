"""Photos are checked by content, size-limited, guarded against decompression bombs,
resized, and stored without EXIF (GPS position included)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from activities import photos
from activities.workflow import Invalid


def jpeg_with_gps(size=(3000, 2000)) -> bytes:
    image = Image.new("RGB", size, (200, 120, 40))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0112] = 1  # Orientation
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (30.0, 42.0, 12.5)
    gps[3] = "E"
    gps[4] = (111.0, 17.0, 8.25)
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


def upload(data: bytes, name="photo.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def test_exif_and_gps_are_stripped_and_photo_resized():
    original = jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)  # the test photo has a position
    prepared = photos.prepare_photo(upload(original))
    stored = Image.open(io.BytesIO(prepared.read()))
    assert stored.format == "JPEG"
    assert max(stored.size) == photos.MAX_SIDE
    assert prepared.image_size == stored.size
    assert len(stored.getexif()) == 0
    assert not stored.getexif().get_ifd(0x8825)
    assert "exif" not in stored.info
    assert prepared.name.endswith(".jpg") and "photo" not in prepared.name


def test_png_is_accepted_and_turned_into_jpeg():
    out = io.BytesIO()
    Image.new("RGBA", (300, 200), (0, 0, 255, 128)).save(out, format="PNG")
    prepared = photos.prepare_photo(upload(out.getvalue(), "a.png", "image/png"))
    stored = Image.open(io.BytesIO(prepared.read()))
    assert stored.format == "JPEG" and stored.size == (300, 200)


@pytest.mark.parametrize(
    "data",
    [
        b"<html><script>alert(1)</script></html>",
        b"%PDF-1.4 not a photo",
        b"\xff\xd8\xff\xe0 truncated jpeg",
    ],
)
def test_wrong_content_is_refused_whatever_the_name(data):
    with pytest.raises(Invalid):
        photos.prepare_photo(upload(data, "photo.jpg"))


def test_gif_is_refused():
    out = io.BytesIO()
    Image.new("P", (10, 10)).save(out, format="GIF")
    with pytest.raises(Invalid):
        photos.prepare_photo(upload(out.getvalue(), "photo.jpg"))


def test_oversize_file_is_refused(monkeypatch):
    monkeypatch.setattr(photos, "MAX_BYTES", 1000)
    with pytest.raises(Invalid, match=r"MB"):
        photos.prepare_photo(upload(jpeg_with_gps((200, 200)) + b"\0" * 2000))


def test_decompression_bomb_is_refused():
    # 20000 × 20000 one-bit pixels: a few kB on disk, 400 megapixels once decoded.
    out = io.BytesIO()
    Image.new("1", (20000, 20000)).save(out, format="PNG", optimize=True)
    assert len(out.getvalue()) < 200_000
    with pytest.raises(Invalid):
        photos.prepare_photo(upload(out.getvalue(), "bomb.png", "image/png"))

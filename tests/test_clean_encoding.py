import codecs
import gzip
import io
import zipfile

import pytest

from kelisim.clean import BinaryInputError, CleaningError, Decoded, EncodingError, decode
if __package__:  # tests/ is a package
    from tests.shared_data import read_seed, shared_path
else:
    from shared_data import read_seed, shared_path

SENTENCE = "Президент отметил важность межэтнического диалога."
KAZAKH = "Қазақстан халқы Ассамблеясының сессиясы Астанада өтті."


def factru_text(name: str = "book_100.txt") -> str:
    return shared_path("data", "factru-dev", name).read_text(encoding="utf-8")


def test_utf8_seed_is_read_as_utf8():
    text = read_seed("002")
    assert decode(text.encode("utf-8")) == Decoded(text, "utf-8")


@pytest.mark.parametrize("encoding", ["cp1251", "koi8-r"])
def test_long_russian_text_in_legacy_code_pages(encoding):
    text = read_seed("000").replace("«", '"').replace("»", '"').replace("—", "-")
    assert decode(text.encode(encoding)) == Decoded(text, encoding)


@pytest.mark.parametrize("encoding", ["cp1251", "koi8-r"])
@pytest.mark.parametrize("text", [SENTENCE, "Ассамблея народа Казахстана", "ВЧЕРА В ТАРАЗЕ", "Да."])
def test_short_russian_text_is_not_confused(encoding, text):
    assert decode(text.encode(encoding)).text == text


@pytest.mark.parametrize("encoding", ["cp1251", "koi8-r", "cp866"])
def test_every_factru_opening_in_every_code_page(encoding):
    wrong = []
    for path in sorted(shared_path("data", "factru-dev").glob("*.txt"))[:60]:
        text = path.read_text(encoding="utf-8")[:300]
        data = text.encode(encoding, errors="replace")
        if decode(data).text != data.decode(encoding):
            wrong.append(path.name)
    assert wrong == []


def test_kazakh_text_in_kz1048():
    assert decode(KAZAKH.encode("kz1048")) == Decoded(KAZAKH, "kz1048")


@pytest.mark.parametrize("bom_encoding", ["utf-8-sig", "utf-16", "utf-32"])
def test_byte_order_marks(bom_encoding):
    decoded = decode(SENTENCE.encode(bom_encoding))
    assert decoded.text == SENTENCE
    assert "\ufeff" not in decoded.text


def test_utf8_with_one_broken_byte_stays_utf8():
    data = factru_text().encode("utf-8")
    decoded = decode(data[:200] + b"\xff" + data[200:])
    assert decoded.encoding == "utf-8"
    assert decoded.text.count("\ufffd") == 1


def test_plain_ascii():
    assert decode(b"Hello, Astana!") == Decoded("Hello, Astana!", "utf-8")


def _zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.txt", SENTENCE)
    return buffer.getvalue()


@pytest.mark.parametrize("data, kind", [
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
    (_zip_bytes(), "ZIP"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG"),
    # mtime=0: no clock in the test's id, which every xdist worker must collect alike
    (gzip.compress(SENTENCE.encode(), mtime=0), "gzip"),
])
def test_known_binary_formats(data, kind):
    with pytest.raises(BinaryInputError, match=kind):
        decode(data)


def test_nul_bytes_are_binary():
    with pytest.raises(BinaryInputError, match="NUL"):
        decode(SENTENCE.encode("cp1251") + b"\x00\x01\x02")


def test_control_bytes_are_binary():
    with pytest.raises(BinaryInputError, match="control"):
        decode(bytes([1, 2, 3, 4, 5, 6, 7, 8]) * 50 + b"text")


def test_random_high_bytes_are_not_text():
    import random
    rng = random.Random(7)
    data = bytes(rng.randrange(0x80, 0x100) for _ in range(400))
    with pytest.raises(EncodingError, match="gibberish"):
        decode(data)


def test_broken_utf16_after_bom():
    with pytest.raises(EncodingError, match="utf-16"):
        decode(codecs.BOM_UTF16_LE + b"\x00\xd8")


def test_errors_are_value_errors_with_reasons():
    assert issubclass(BinaryInputError, CleaningError)
    assert issubclass(EncodingError, CleaningError)
    assert issubclass(CleaningError, ValueError)
    assert BinaryInputError.reason == "binary" and EncodingError.reason == "encoding"

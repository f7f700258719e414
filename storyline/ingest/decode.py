"""Bytes to text: BOMs, UTF-8, legacy encodings; binary files refused with a code."""
from __future__ import annotations

import codecs

from ..errors import Codes, InputError

_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
]
# Share of control characters (other than tab/newline/CR/FF) above which decoded text is
# treated as binary. Text files here have none; PDFs, images and archives decoded as
# latin-1 have 10-30%. 2% leaves room for a stray control byte in a real report.
MAX_CONTROL_SHARE = 0.02


def decode_bytes(data: bytes, where: str = "") -> tuple[str, str]:
    """Return (text, encoding) or raise InputError E102/E103/E104."""
    if not data.strip():
        raise InputError(Codes.E102, where=where)
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError as exc:
                raise InputError(Codes.E104, f"bad {enc} after byte-order mark ({exc.reason})",
                                 where=where) from None
    utf16 = _utf16_without_bom(data)
    if utf16:
        try:
            return _checked(data.decode(utf16), where), utf16
        except UnicodeDecodeError:
            pass  # not UTF-16 after all: the NULs make it binary below
    if b"\x00" in data:
        raise InputError(Codes.E103, "contains NUL bytes", where=where)
    try:
        text, enc = data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        text = _mostly_utf8(data)
        enc = "utf-8"
        if text is None:
            text, enc = _guess_legacy(data, where)
    return _checked(text, where), enc


def _checked(text: str, where: str) -> str:
    if _control_share(text) > MAX_CONTROL_SHARE:
        raise InputError(Codes.E103, "control characters", where=where)
    return text


# UTF-16 without a byte-order mark: in Latin-script text every other byte is NUL. Share of
# the sampled byte pairs that must look like that (a binary file's NULs are not that regular).
UTF16_PAIR_SHARE = 0.9


def _utf16_without_bom(data: bytes) -> str:
    """'utf-16-le' or 'utf-16-be' when the bytes look like BOM-less UTF-16, else ''."""
    sample = data[:8192]
    pairs = len(sample) // 2
    if pairs < 2 or b"\x00" not in sample:
        return ""
    even_nul = sum(1 for i in range(0, pairs * 2, 2) if sample[i] == 0 and sample[i + 1] != 0)
    odd_nul = sum(1 for i in range(0, pairs * 2, 2) if sample[i + 1] == 0 and sample[i] != 0)
    if odd_nul >= UTF16_PAIR_SHARE * pairs:
        return "utf-16-le"
    if even_nul >= UTF16_PAIR_SHARE * pairs:
        return "utf-16-be"
    return ""


# A UTF-8 file with a few stray bytes (a cut multi-byte character, one cp1252 dash pasted in)
# is still UTF-8: replace the stray bytes rather than read the whole text in a legacy code
# page. It counts as UTF-8 when its valid multi-byte characters are at least as many as the
# invalid bytes (legacy text has none: "Ã©" pairs are themselves mojibake) and the invalid
# bytes are few.
MAX_STRAY_SHARE = 0.001


def _mostly_utf8(data: bytes):
    text = data.decode("utf-8", "replace")
    bad = text.count("\ufffd") - data.count("\ufffd".encode("utf-8"))
    good = sum(1 for c in text if ord(c) > 0x7F and c != "\ufffd")
    if good >= bad and bad <= max(3, MAX_STRAY_SHARE * len(text)):
        return text
    return None


LATIN_SINGLE_BYTE = {
    "cp1250", "cp1252", "cp1254", "cp1257", "latin_1", "iso8859_1", "iso8859_2", "iso8859_3",
    "iso8859_4", "iso8859_9", "iso8859_10", "iso8859_13", "iso8859_14", "iso8859_15",
    "iso8859_16", "mac_roman", "mac_latin2", "mac_iceland", "mac_turkish",
}


def _guess_legacy(data: bytes, where: str) -> tuple[str, str]:
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    if best is None or best.encoding is None:
        raise InputError(Codes.E104, "not UTF-8 and no other encoding fits", where=where)
    if best.encoding in LATIN_SINGLE_BYTE:
        # Among Latin single-byte code pages a short text rarely tells them apart (the
        # detector picks cp1250 for "São" as readily as cp1252); Western European text is by
        # far the commonest in English-language news, so cp1252 wins where it decodes.
        try:
            return data.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            pass
    try:
        return data.decode(best.encoding), best.encoding
    except (UnicodeDecodeError, LookupError):
        raise InputError(Codes.E104, f"not valid {best.encoding}", where=where) from None


def _control_share(text: str) -> float:
    sample = text[:20000]
    if not sample:
        return 0.0
    bad = sum(1 for c in sample if (ord(c) < 32 and c not in "\t\n\r\f") or 0x7F <= ord(c) < 0xA0)
    return bad / len(sample)


# --- streamed inputs (JSONL): the encoding is chosen once from the first bytes, each line is
# decoded on its own, so memory holds one line whatever the file size.

# Bytes of a streamed input looked at to choose its encoding (BOM, UTF-16 without one, UTF-8,
# else a legacy code page) and to refuse a binary file: 64 kB is a dozen typical records,
# more than the 8 kB that `_utf16_without_bom` samples and the 20k characters that
# `_control_share` samples.
HEAD_BYTES = 65_536


def stream_encoding(head: bytes, where: str = "") -> tuple[str, int]:
    """(encoding, bytes to skip) of a streamed text input from its first bytes; raises
    InputError E103 (binary) or E104 (no encoding fits). UTF-16 and UTF-32 (not
    ASCII-compatible) are read in text mode by the caller; every other encoding is read line
    by line as bytes. An input whose first bytes are blank is taken as UTF-8: whether it
    holds anything at all is known only at its end."""
    if not head.strip():
        return "utf-8", 0
    for bom, enc in _BOMS:
        if head.startswith(bom):
            if enc == "utf-8-sig":
                return "utf-8", len(bom)
            _head_text(head, enc, where, f"bad {enc} after byte-order mark")
            return enc, 0
    utf16 = _utf16_without_bom(head)
    if utf16:
        try:
            _head_text(head, utf16, where, "")
            return utf16, 0
        except InputError:
            pass  # not UTF-16 after all: the NULs make it binary below
    if b"\x00" in head:
        raise InputError(Codes.E103, "contains NUL bytes", where=where)
    try:
        _head_text(head, "utf-8", where, "")
        return "utf-8", 0
    except InputError:
        pass
    text = _mostly_utf8(head)
    if text is not None:
        _checked(text, where)
        return "utf-8", 0
    text, enc = _guess_legacy(head, where)
    _checked(text, where)
    return enc, 0


def _head_text(head: bytes, enc: str, where: str, why: str) -> str:
    """The first bytes decoded strictly (a character cut at their end is fine) and checked
    for control characters."""
    try:
        text = codecs.getincrementaldecoder(enc)().decode(head, final=False)
    except UnicodeDecodeError as exc:
        raise InputError(Codes.E104, f"{why} ({exc.reason})" if why else exc.reason, where=where) from None
    return _checked(text, where)


def decode_line(raw: bytes, enc: str, where: str = "") -> str:
    """One line of a streamed input in the encoding its first bytes chose; a line that is
    not valid in it is read as UTF-8 (strict, then with a few stray bytes replaced), then in
    the legacy code page that fits it best, else E104 for that line only."""
    for e in (enc, "utf-8") if enc != "utf-8" else ("utf-8",):
        try:
            return raw.decode(e)
        except UnicodeDecodeError:
            continue
    text = _mostly_utf8(raw)
    if text is not None:
        return text
    return _guess_legacy(raw, where)[0]

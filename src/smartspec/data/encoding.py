"""Decode the bytes of a text file with the encoding it is written in, never guessing silently.

The rules, per file:

1. a byte-order mark names the encoding (UTF-8, UTF-16 LE/BE, UTF-32 LE/BE);
2. without one, a file whose bytes are mostly NUL at every other position is UTF-16 (LE or BE);
3. otherwise the file must be valid UTF-8 (strict). A file that holds UTF-8 sequences *and* a
   byte that is not UTF-8 is an error naming the first bad line and byte: decoding it whole as
   Latin-1 would turn ``Köln`` into ``KÃ¶ln`` and make ``Café`` and ``CafÃ©`` two names;
4. a file with no UTF-8 sequence at all but some bytes >= 0x80 is a legacy 8-bit file: it is
   an error too, naming the line, with the fix of passing its encoding (``latin-1``, ``cp1252``).

An explicit ``encoding`` is decoded strictly, with the same kind of error when it does not fit.

References
----------
The Unicode Standard, section 3.9 (UTF-8 well-formed byte sequences); RFC 2781 (UTF-16).
"""
from __future__ import annotations

import codecs
import re

from smartspec.errors import InputError

_BOMS = [  # longest first: the UTF-32 LE mark starts with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
]
#: A well-formed UTF-8 multi-byte sequence (lead byte and continuation bytes).
_UTF8_SEQ = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def detect_encoding(raw: bytes) -> str | None:
    """The encoding a byte-order mark or the NUL pattern of UTF-16 gives, else ``None``."""
    for bom, name in _BOMS:
        if raw.startswith(bom):
            return name
    head = raw[:4096]
    if len(head) >= 4:
        even, odd = head[0::2], head[1::2]
        # ASCII text in UTF-16 has a NUL in every other byte
        if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.1 * len(even):
            return "utf-16-le"
        if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.1 * len(odd):
            return "utf-16-be"
    return None


def _position(raw: bytes, offset: int) -> tuple[int, int]:
    """1-based line and column (in bytes) of ``offset``."""
    start = raw.rfind(b"\n", 0, offset) + 1
    return raw.count(b"\n", 0, offset) + 1, offset - start + 1


def decode_text(raw: bytes, where: str, encoding: str | None = None) -> tuple[str, str]:
    """Decode ``raw`` (see the module docstring); returns ``(text, encoding used)``.

    Parameters
    ----------
    raw : bytes
        The file's bytes (already decompressed).
    where : str
        The file name, for error messages.
    encoding : str, optional
        The encoding to use instead of detecting one (``latin-1``, ``cp1252``, ``utf-16``...).

    Raises
    ------
    InputError
        The bytes are not valid in the encoding given or detected; the message names the first
        bad line and byte and the fix.
    """
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise InputError(f"unknown encoding {encoding!r}", where=where,
                             fix="use a Python codec name such as utf-8, latin-1, cp1252 or utf-16") from None
        name = "utf-8-sig" if encoding.lower().replace("_", "-") in ("utf-8", "utf8") else encoding
    else:
        name = detect_encoding(raw) or "utf-8"
    try:
        return raw.decode(name), name
    except UnicodeDecodeError as exc:
        line, col = _position(raw, exc.start)
        byte = raw[exc.start:exc.start + 1].hex().upper()
        if name.startswith("utf-8") and encoding is None:
            if _UTF8_SEQ.search(raw):
                problem = (f"line {line}, byte {col} (0x{byte}): not valid UTF-8, although the rest of the file "
                           "is UTF-8 (a file with mixed encodings, often one pasted value)")
                fix = (f"correct line {line} and save the file as UTF-8; nothing was re-decoded, because "
                       "reading the whole file as Latin-1 would garble its UTF-8 text")
            else:
                problem = (f"line {line}, byte {col} (0x{byte}): not UTF-8; the file looks like a legacy 8-bit "
                           "encoding (no UTF-8 sequence in it)")
                fix = ("save the file as UTF-8, or name its encoding: encoding='latin-1' or 'cp1252' "
                       "(CLI: --encoding latin-1)")
        else:
            problem = f"line {line}, byte {col} (0x{byte}): not valid {name} text"
            fix = "name the file's real encoding (CLI: --encoding), or save it as UTF-8"
        raise InputError(problem, where=where, fix=fix) from None

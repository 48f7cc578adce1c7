"""A real XLSX decompression bomb, built in a second: small on disk, huge when unpacked.

The sheet holds one cell of `size` bytes of "A". Its deflate stream is made of one
compressed megabyte repeated: after a full flush a deflate compressor starts afresh, so the
same input block always compresses to the same bytes.
"""

from __future__ import annotations

import struct
import zlib

MEGABYTE = 1 << 20
_SMALL_PARTS = {
    "[Content_Types].xml":
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Default Extension="rels" ContentType="application/'
        'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
        '"application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName='
        '"/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.worksheet+xml"/></Types>',
    "_rels/.rels":
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
        'schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target='
        '"xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml":
        '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.'
        'org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships"><sheets><sheet name="Blad1" sheetId="1" r:id='
        '"rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels":
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
        'schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target='
        '"worksheets/sheet1.xml"/></Relationships>',
}
_SHEET_HEAD = (b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
               b'openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" '
               b't="inlineStr"><is><t>observed_on</t></is></c></row><row r="2"><c r="A2" '
               b't="inlineStr"><is><t>')
_SHEET_TAIL = b"</t></is></c></row></sheetData></worksheet>"


def _deflate_parts(megabytes: int) -> tuple[bytes, int, int]:
    """Raw deflate data, CRC-32 and uncompressed size of the bomb sheet."""
    block = b"A" * MEGABYTE
    fresh = zlib.compressobj(9, zlib.DEFLATED, -15)
    repeated = fresh.compress(block) + fresh.flush(zlib.Z_FULL_FLUSH)
    head = zlib.compressobj(9, zlib.DEFLATED, -15)
    start = head.compress(_SHEET_HEAD) + head.flush(zlib.Z_FULL_FLUSH)
    tail = zlib.compressobj(9, zlib.DEFLATED, -15)
    end = tail.compress(_SHEET_TAIL) + tail.flush(zlib.Z_FINISH)
    crc = zlib.crc32(_SHEET_HEAD)
    for _ in range(megabytes):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(_SHEET_TAIL, crc)
    size = len(_SHEET_HEAD) + megabytes * MEGABYTE + len(_SHEET_TAIL)
    return start + repeated * megabytes + end, crc, size


def _entry(name: bytes, data: bytes, crc: int, size: int, offset: int) -> tuple[bytes, bytes]:
    local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(data), size,
                        len(name), 0) + name + data
    central = struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0, crc,
                          len(data), size, len(name), 0, 0, 0, 0, 0, offset) + name
    return local, central


def bomb_xlsx(megabytes: int = 1024) -> bytes:
    """An XLSX whose sheet unpacks to `megabytes` MB (one giant cell in row 2)."""
    parts: list[tuple[bytes, bytes, int, int]] = []
    for name, text in _SMALL_PARTS.items():
        raw = text.encode()
        packer = zlib.compressobj(9, zlib.DEFLATED, -15)
        parts.append((name.encode(), packer.compress(raw) + packer.flush(), zlib.crc32(raw),
                      len(raw)))
    data, crc, size = _deflate_parts(megabytes)
    parts.append((b"xl/worksheets/sheet1.xml", data, crc, size))
    body, directory = b"", b""
    for name, packed, checksum, length in parts:
        local, central = _entry(name, packed, checksum, length, len(body))
        body += local
        directory += central
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(parts), len(parts), len(directory),
                      len(body), 0)
    return body + directory + end

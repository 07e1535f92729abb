# SPDX-License-Identifier: MIT
# Binary content of the demo data, made on demand and deterministic: WAV audio
# and MP3 silence that can be read at any offset without building the whole
# file, real PDFs, and text. A Blob has a length and a read(offset, size).

import functools
import math
import random
import struct

RATE = 8000             # 8 kHz mono 16-bit PCM
SEG = 2000              # samples per segment: 0.25 s
SEG_BYTES = SEG * 2
HEADER = 44


class Blob:
    def __init__(self, content_type, data):
        self.content_type = content_type
        self.data = data
        self.length = len(data)

    def read(self, offset, size):
        return self.data[offset:offset + size]


@functools.lru_cache(maxsize=None)
def _palette():
    """Segments of 0.25 s: silence and soft tones/chords whose periods divide the
    segment, so every segment is a whole number of periods (no clicks)."""
    tones = [(), (400,), (500,), (320,), (800,), (400, 500), (320, 400), (200, 800),
             (500, 1000), (160,), (250,), (400, 1000), (200,), (320, 500)]
    segs = []
    for freqs in tones:
        buf = bytearray()
        for i in range(SEG):
            fade = min(1.0, i / 160.0, (SEG - 1 - i) / 160.0)
            v = 0.0
            for f in freqs:
                v += math.sin(2 * math.pi * f * i / RATE)
            if freqs:
                v = v / len(freqs) * 9000 * fade
            buf += struct.pack("<h", int(v))
        segs.append(bytes(buf))
    return segs


class Wav:
    """Deterministic WAV of `seconds` seconds; segments picked by a seeded RNG."""
    content_type = "audio/x-wav"

    def __init__(self, key, seconds):
        self.key = key
        self.seconds = max(1, int(seconds))
        self.nseg = self.seconds * RATE // SEG
        self.data_len = self.nseg * SEG_BYTES
        self.length = HEADER + self.data_len
        self._seq = None

    def header(self):
        return (b"RIFF" + struct.pack("<I", 36 + self.data_len) + b"WAVE"
                + b"fmt " + struct.pack("<IHHIIHH", 16, 1, 1, RATE, RATE * 2, 2, 16)
                + b"data" + struct.pack("<I", self.data_len))

    def seq(self):
        if self._seq is None:
            rng = random.Random("wav:%s" % self.key)
            n = len(_palette())
            # a little melody: runs of the same segment, pauses between
            out = []
            while len(out) < self.nseg:
                s = rng.randrange(n)
                out.extend([s] * rng.choice((1, 2, 2, 3, 4)))
            self._seq = out[:self.nseg]
        return self._seq

    def read(self, offset, size):
        end = min(self.length, offset + size)
        out = bytearray()
        if offset < HEADER:
            out += self.header()[offset:min(end, HEADER)]
            offset = HEADER
        pal = _palette()
        seq = self.seq()
        while offset < end:
            rel = offset - HEADER
            k, inner = divmod(rel, SEG_BYTES)
            take = min(SEG_BYTES - inner, end - offset)
            out += pal[seq[k]][inner:inner + take]
            offset += take
        return bytes(out)


# MPEG-2 Layer III, 16 kHz mono, 32 kbit/s, no CRC: every frame 144 bytes, 576
# samples (36 ms). A frame whose side information is all zero holds no audio
# data: decoders play it as silence.
MP3_HEADER = bytes((0xFF, 0xF3, 0x48, 0xC4))
MP3_FRAME = MP3_HEADER + bytes(140)
MP3_FRAME_SECONDS = 576 / 16000


class Mp3:
    """A valid MP3 of `seconds` seconds of silence (frames made on demand)."""
    content_type = "audio/mpeg"

    def __init__(self, seconds):
        self.frames = max(1, math.ceil(max(1, int(seconds)) / MP3_FRAME_SECONDS))
        self.length = self.frames * len(MP3_FRAME)

    def read(self, offset, size):
        end = min(self.length, offset + size)
        out = bytearray()
        while offset < end:
            inner = offset % len(MP3_FRAME)
            take = min(len(MP3_FRAME) - inner, end - offset)
            out += MP3_FRAME[inner:inner + take]
            offset += take
        return bytes(out)


def text_blob(text):
    return Blob("text/plain", text.encode("utf-8"))


def _pdf_escape(s):
    s = s.encode("latin-1", "replace").decode("latin-1")
    return s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def make_pdf(pages, title):
    """A real PDF (correct xref) of `pages` Letter pages; pages: list of line lists."""
    objs = []                                  # object bodies, 1-based numbering
    n = len(pages)
    font_id = 3
    first_page_id = 4
    kids = []
    page_objs = []
    for i, lines in enumerate(pages):
        pid = first_page_id + 2 * i
        cid = pid + 1
        kids.append("%d 0 R" % pid)
        stream = ["BT", "/F1 20 Tf", "72 720 Td", "24 TL"]
        for j, line in enumerate(lines):
            if j == 1:
                stream.append("/F1 12 Tf")
                stream.append("18 TL")
            stream.append("(%s) Tj T*" % _pdf_escape(line))
        stream.append("ET")
        body = "\n".join(stream).encode("latin-1")
        page_objs.append((pid, ("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
                                "/Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>"
                                % (font_id, cid)).encode()))
        page_objs.append((cid, b"<< /Length %d >>\nstream\n" % len(body) + body
                          + b"\nendstream"))
    objs.append((1, b"<< /Type /Catalog /Pages 2 0 R >>"))
    objs.append((2, ("<< /Type /Pages /Kids [%s] /Count %d >>" % (" ".join(kids), n)).encode()))
    objs.append((3, b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"))
    objs.extend(page_objs)
    info_id = first_page_id + 2 * n
    objs.append((info_id, ("<< /Title (%s) /Producer (ringfs simulator) >>"
                           % _pdf_escape(title)).encode("latin-1")))
    objs.sort()
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for oid, body in objs:
        offsets[oid] = len(out)
        out += b"%d 0 obj\n" % oid + body + b"\nendobj\n"
    xref = len(out)
    count = info_id + 1
    out += b"xref\n0 %d\n" % count
    out += b"0000000000 65535 f \n"
    for oid in range(1, count):
        out += b"%010d 00000 n \n" % offsets[oid]
    out += (b"trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n"
            % (count, info_id, xref))
    return Blob("application/pdf", bytes(out))

# SPDX-License-Identifier: MIT
# multipart/form-data and multipart/mixed request bodies (fax, greetings), and the
# request-log summary of a body.

import re

_PARAM = re.compile(r';\s*([A-Za-z0-9_*.-]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*)')


def header_params(value):
    """('main/value', {param: value}) of a header such as Content-Type."""
    value = value or ""
    main = value.split(";", 1)[0].strip().lower()
    params = {}
    for k, v in _PARAM.findall(value):
        v = v.strip()
        if len(v) >= 2 and v[0] == v[-1] == '"':
            v = re.sub(r'\\(.)', r'\1', v[1:-1])
        params[k.lower()] = v
    return main, params


class Part:
    def __init__(self, headers, data):
        self.headers = headers                      # lower-case names
        self.data = data
        disp, dp = header_params(headers.get("content-disposition"))
        self.disposition = disp
        self.name = dp.get("name")
        self.filename = dp.get("filename")
        self.content_type, self.type_params = header_params(headers.get("content-type"))

    def text(self):
        return self.data.decode(self.type_params.get("charset") or "utf-8", "replace")

    @property
    def is_file(self):
        return self.filename is not None


def is_multipart(content_type):
    return header_params(content_type)[0].startswith("multipart/")


def parse(content_type, body):
    """The parts of a multipart body; ValueError when it is not one."""
    main, params = header_params(content_type)
    if not main.startswith("multipart/"):
        raise ValueError("not multipart")
    boundary = params.get("boundary")
    if not boundary:
        raise ValueError("no boundary")
    delim = b"--" + boundary.encode("latin-1")
    chunks = body.split(delim)
    if len(chunks) < 3:
        raise ValueError("no parts")
    parts = []
    for chunk in chunks[1:]:
        if chunk.startswith(b"--"):
            break                                   # closing delimiter
        if chunk.startswith(b"\r\n"):
            chunk = chunk[2:]
        elif chunk.startswith(b"\n"):
            chunk = chunk[1:]
        if chunk.endswith(b"\r\n"):
            chunk = chunk[:-2]
        elif chunk.endswith(b"\n"):
            chunk = chunk[:-1]
        sep = chunk.find(b"\r\n\r\n")
        if sep >= 0:
            head, data = chunk[:sep], chunk[sep + 4:]
        else:
            sep = chunk.find(b"\n\n")
            if sep >= 0:
                head, data = chunk[:sep], chunk[sep + 2:]
            elif chunk.startswith(b"\r\n") or not chunk.strip():
                head, data = b"", chunk[2:]
            else:
                raise ValueError("part without header end")
        headers = {}
        for line in head.decode("latin-1").splitlines():
            if ":" in line:
                k, v = line.split(":", 1)
                headers[k.strip().lower()] = v.strip()
        parts.append(Part(headers, data))
    else:
        raise ValueError("no closing delimiter")
    return parts


def summary(content_type, body):
    """The request log's `body`: text for textual bodies, a part list for multipart,
    {contentType, size} for other binary bodies."""
    if is_multipart(content_type):
        try:
            parts = parse(content_type, body)
        except ValueError:
            return {"contentType": header_params(content_type)[0], "size": len(body),
                    "error": "unparsable multipart"}
        out = []
        for p in parts:
            d = {"name": p.name, "filename": p.filename, "contentType": p.content_type or None,
                 "size": len(p.data)}
            textual = (p.content_type in ("", "text/plain", "application/json")
                       or p.content_type.endswith("+json"))
            if textual and (not p.is_file or p.content_type == "application/json") \
                    and len(p.data) <= 65536:
                d["text"] = p.text()
            out.append(d)
        return out
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return {"contentType": header_params(content_type)[0] or None, "size": len(body)}

"""One download helper: every file a page hands out goes through `file_response`, so the
Content-Disposition header is built in one place (RFC 6266: a quoted ASCII filename, or
`filename*=utf-8''…` when the name has other characters)."""

from __future__ import annotations

from typing import BinaryIO

from django.http import FileResponse, HttpResponse
from django.utils.http import content_disposition_header

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"
PDF = "application/pdf"


def file_response(
    content: bytes | str | BinaryIO, filename: str, content_type: str
) -> HttpResponse:
    """An attachment named `filename`: built bytes or text, or an open binary file that is
    streamed (and closed) by Django."""
    if hasattr(content, "read"):
        response: HttpResponse = FileResponse(content, content_type=content_type)
    else:
        response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response

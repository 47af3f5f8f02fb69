"""What every shopper-facing page shares: the language, the HTML frame, the response headers.

Pages are rendered with Jinja2 (autoescaped) into `templates/base.html`. Every response:
- is not stored (`Cache-Control: no-store`): a tracking page is reached with a secret token;
- sends no Referer onwards (`Referrer-Policy: no-referrer`), so the token never leaves in one;
- runs no script and loads nothing from elsewhere (Content-Security-Policy), may not be framed,
  and asks search engines to keep out (`X-Robots-Tag`).
The language is `?lang=zh|en` when given, else the browser's Accept-Language, else Chinese.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

__all__ = ["HEADERS", "Lang", "pick_language", "render"]

Lang = Literal["zh", "en"]

HEADERS: Mapping[str, str] = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex, nofollow",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
        "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    ),
}

_TEMPLATES = Path(__file__).with_name("templates")
_ENV = Environment(
    loader=FileSystemLoader(_TEMPLATES),
    autoescape=select_autoescape(default=True, default_for_string=True),
    undefined=StrictUndefined,  # a missing value is a bug, not an empty string on a phone
    trim_blocks=True,
    lstrip_blocks=True,
)


def pick_language(request: Request) -> Lang:
    """`?lang=` if it names one we have, else the first of Accept-Language we have, else zh."""
    asked = request.query_params.get("lang", "").lower()
    if asked in ("zh", "en"):
        return asked  # type: ignore[return-value]  # narrowed by the test above
    for part in request.headers.get("accept-language", "").split(","):
        tag = part.split(";")[0].strip().lower()
        if tag.startswith("zh"):
            return "zh"
        if tag.startswith("en"):
            return "en"
    return "zh"


def render(
    request: Request, template: str, lang: Lang, status: int = 200, **values: Any
) -> HTMLResponse:
    """`template` (extending base.html) rendered in `lang`, with the headers above. The footer's
    link to the other language keeps the page's query (a tracking page's token)."""
    other = "en" if lang == "zh" else "zh"
    query = urlencode(
        [*((k, v) for k, v in request.query_params.multi_items() if k != "lang"), ("lang", other)]
    )
    html = _ENV.get_template(template).render(lang=lang, other_query=query, **values)
    return HTMLResponse(html, status_code=status, headers=dict(HEADERS))

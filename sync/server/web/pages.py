"""What every shopper-facing page shares: the language, the HTML frame, the response headers.

Pages are rendered with Jinja2 (autoescaped) into `templates/base.html`. Every response:
- is not stored (`Cache-Control: no-store`): a tracking page is reached with a secret token;
- sends no Referer onwards (`Referrer-Policy: no-referrer`), so the token never leaves in one;
- runs no script and loads nothing from elsewhere (Content-Security-Policy), may not be framed,
  and asks search engines to keep out (`X-Robots-Tag`).
The language is `?lang=zh|en` when given, else the browser's Accept-Language, else Chinese.
Pages answer GET and HEAD (and their own forms' POST); a catch-all route under a page's path
(`catch_all`) answers anything else with a page too, never with the API's JSON.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

__all__ = [
    "HEADERS",
    "PAGE_METHODS",
    "Lang",
    "app_path",
    "catch_all",
    "not_allowed",
    "pick_language",
    "render",
]

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
PAGE_METHODS = ("GET", "HEAD")
"""What a page's address answers (a form's POST aside)."""
_ANY_METHOD = [*PAGE_METHODS, "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]

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


def app_path(request: Request, path: str) -> str:
    """`path` (from the app's root) under the app's root path, as a link on a page (behind a
    proxy that serves the app under a prefix)."""
    return f"{request.scope.get('root_path', '')}{path}"


def catch_all(router: APIRouter, path: str, endpoint: Callable[..., Any]) -> None:
    """Send `path` and everything under it, by any method, to `endpoint` when no route added
    to `router` before takes it: a link cut short, or another method, gets a page that says so
    (`not_allowed`), not the API's JSON 404 or 405. The endpoint finds the rest of the path in
    `request.path_params.get("rest", "")`."""
    for pattern in (path, path + "/{rest:path}"):
        router.add_api_route(pattern, endpoint, methods=_ANY_METHOD)


def not_allowed(response: HTMLResponse) -> HTMLResponse:
    """`response`, the page answering a method a page does not take (405), with the Allow
    header that says which it does."""
    response.headers["Allow"] = ", ".join(PAGE_METHODS)
    return response

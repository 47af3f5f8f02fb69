"""The ticket tracking page: what a receipt's QR code (`<base>/<TICKET>?t=<token>`) opens.

    GET  /T/<ticket>?t=<token>           the ticket: status, what happens next, history, forms
    GET  /T/<ticket>/withdraw?t=<token>  asks to confirm a withdrawal
    POST /T/<ticket>/withdraw            t, confirm=yes: withdraws, then 303 back to the page
    POST /T/<ticket>/rating              t, rating (1-5), comment: rates, then 303 back

The ticket number is read in any case; `?lang=zh|en` picks the language (`pages`). A GET never
changes anything (mail scanners and link previews follow links): only a form the shopper sends
does, with the token in its body, and its answer redirects back to the page (POST, redirect,
GET), which then says what happened (`&done=`).

An unknown ticket and a wrong or missing token get the same "not found" page (404), after the
same work (`followup`). Such misses are counted per client address (an IPv6 client by its /64):
after MISS_LIMIT within MISS_WINDOW_S seconds, a miss from there gets a "too many tries" page
(429, Retry-After; the same page for either kind of miss) instead, until the oldest counted miss
leaves the window. Only misses are refused: the ticket is always looked up first, and its right
token is always served, so shoppers sharing an address (a mall's Wi-Fi, a carrier's NAT) are not
locked out by someone else's guesses. Successes are not counted. The address is the one uvicorn
reports: behind a reverse proxy, `mall-central serve --forwarded-allow-ips` must name the proxy,
or every shopper counts as the proxy.

Every answer is an HTML page, errors included: nothing here reaches the API's JSON error
handlers, and no traceback is ever shown (a bug is logged with it and answered with a calm page).
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import TypeVar
from urllib.parse import parse_qsl, quote, urlencode

import anyio.to_thread
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.exc import SQLAlchemyError

from sync.server.db import Database
from sync.server.followup import (
    MAX_COMMENT,
    FollowUp,
    Tickets,
    TicketView,
    clean_comment,
    normal_ticket,
)
from sync.server.ratelimit import FailureWindow
from sync.server.web import tracking_words as words
from sync.server.web.pages import (
    HEADERS,
    PAGE_METHODS,
    Lang,
    app_path,
    catch_all,
    not_allowed,
    pick_language,
    render,
)

__all__ = ["MAX_FORM_BYTES", "MISS_LIMIT", "MISS_WINDOW_S", "TRACKING_PATH", "tracking_pages"]

log = logging.getLogger(__name__)
_T = TypeVar("_T")

TRACKING_PATH = "/T"
MISS_LIMIT = 30
MISS_WINDOW_S = 600
MAX_FORM_BYTES = 64 * 1024
"""A larger form is no form of ours (a comment of MAX_COMMENT characters is far smaller)."""
_DONE = {"rated": "done_rated", "withdrawn": "done_withdrawn"}


class _UnreadableFormError(Exception):
    """A form body that is not ours: too large, not UTF-8, or too many fields."""


# An answer to a request, given the page's language and the client's key (see _client).
_Answer = Callable[[Request, Lang, str, str], Awaitable[Response]]


def tracking_pages(db: Database, *, misses: FailureWindow | None = None) -> APIRouter:
    """The tracking pages on `db`; `misses` counts failed look-ups per client (default:
    MISS_LIMIT per MISS_WINDOW_S)."""
    router = APIRouter(include_in_schema=False)
    pages = _Pages(Tickets(db), misses or FailureWindow(MISS_LIMIT, MISS_WINDOW_S))

    @router.api_route(TRACKING_PATH + "/{ticket}", methods=list(PAGE_METHODS))
    async def page(request: Request, ticket: str) -> Response:
        return await pages.guarded(request, pages.page, ticket)

    @router.get(TRACKING_PATH + "/{ticket}/withdraw")
    async def confirm_withdrawal(request: Request, ticket: str) -> Response:
        return await pages.guarded(request, pages.confirm, ticket)

    @router.post(TRACKING_PATH + "/{ticket}/withdraw")
    async def withdraw(request: Request, ticket: str) -> Response:
        return await pages.guarded(request, pages.withdraw, ticket)

    @router.post(TRACKING_PATH + "/{ticket}/rating")
    async def rate(request: Request, ticket: str) -> Response:
        return await pages.guarded(request, pages.rate, ticket)

    async def elsewhere(request: Request) -> Response:
        return await pages.guarded(request, pages.elsewhere, "")

    catch_all(router, TRACKING_PATH, elsewhere)
    return router


class _Pages:
    """The answers of the tracking pages; each runs inside `guarded`."""

    def __init__(self, tickets: Tickets, misses: FailureWindow) -> None:
        self.tickets = tickets
        self.misses = misses

    async def guarded(self, request: Request, answer: _Answer, ticket: str) -> Response:
        """`answer`, with every failure a page."""
        lang = pick_language(request)
        client = _client(request)
        try:
            return await answer(request, lang, client, ticket)
        except _UnreadableFormError:
            return _message(request, lang, "unreadable", 400)
        except SQLAlchemyError:
            log.exception("tracking page for %s: database error", ticket)
            return _message(request, lang, "unavailable", 503)
        except Exception:
            # A bug: logged with its traceback, answered with a page instead of the API's JSON.
            log.exception("tracking page for %s failed", ticket)
            return _message(request, lang, "unavailable", 500)

    async def page(self, request: Request, lang: Lang, client: str, ticket: str) -> Response:
        token = request.query_params.get("t", "")
        view = await _in_thread(lambda: self.tickets.find(ticket, token))
        if view is None:
            return await self.not_found(request, lang, client)
        done = _DONE.get(request.query_params.get("done", ""))
        notice = (words.UI[done].text(lang), "ok") if done else None
        return _ticket_page(request, lang, view, token, notice=notice)

    async def confirm(self, request: Request, lang: Lang, client: str, ticket: str) -> Response:
        token = request.query_params.get("t", "")
        view = await _in_thread(lambda: self.tickets.find(ticket, token))
        if view is None:
            return await self.not_found(request, lang, client)
        return _confirm_or_refuse(request, lang, view, token)

    async def withdraw(self, request: Request, lang: Lang, client: str, ticket: str) -> Response:
        form = await _form(request)
        token = form.get("t", "")
        if form.get("confirm") != "yes":
            view = await _in_thread(lambda: self.tickets.find(ticket, token))
            if view is None:
                return await self.not_found(request, lang, client)
            return _confirm_or_refuse(request, lang, view, token)
        outcome = await _in_thread(lambda: self.tickets.withdraw(ticket, token))
        if outcome is FollowUp.NOT_FOUND:
            return await self.not_found(request, lang, client)
        if outcome is FollowUp.DONE:
            return _back(request, ticket, token, lang, "withdrawn")
        notice = (words.UI["withdraw_not_now"].text(lang), "warn")
        return await self.again(request, lang, client, ticket, token, notice=notice)

    async def rate(self, request: Request, lang: Lang, client: str, ticket: str) -> Response:
        form = await _form(request)
        token = form.get("t", "")
        rating = form.get("rating", "").strip()
        comment = clean_comment(form.get("comment", ""))
        chosen = int(rating) if rating in ("1", "2", "3", "4", "5") else None
        if chosen is None:
            error = words.UI["rating_missing"].text(lang)
        elif len(comment) > MAX_COMMENT:
            error = words.UI["comment_too_long"].text(lang)
            error = error.format(max=MAX_COMMENT, length=len(comment))
        else:
            outcome = await _in_thread(
                lambda: self.tickets.rate(ticket, token, chosen, comment or None)
            )
            if outcome is FollowUp.DONE:
                return _back(request, ticket, token, lang, "rated")
            if outcome is FollowUp.NOT_FOUND:
                return await self.not_found(request, lang, client)
            key = "already_rated" if outcome is FollowUp.ALREADY else "rate_not_now"
            notice = (words.UI[key].text(lang), "warn")
            return await self.again(request, lang, client, ticket, token, notice=notice)
        return await self.again(
            request, lang, client, ticket, token, error=error, form=(chosen, comment)
        )

    async def again(
        self,
        request: Request,
        lang: Lang,
        client: str,
        ticket: str,
        token: str,
        *,
        notice: tuple[str, str] | None = None,
        error: str | None = None,
        form: tuple[int | None, str] = (None, ""),
    ) -> Response:
        """The ticket's page again, after a form that did not go through: 400 for what the
        shopper can correct (`error`), 409 for what the ticket's state refused (`notice`)."""
        view = await _in_thread(lambda: self.tickets.find(ticket, token))
        if view is None:
            return await self.not_found(request, lang, client)
        status = 400 if error is not None else 409
        return _ticket_page(
            request, lang, view, token, status=status, notice=notice, error=error, form=form
        )

    async def elsewhere(self, request: Request, lang: Lang, _client: str, _path: str) -> Response:
        names = await _in_thread(self.tickets.mall_names)
        if request.method in PAGE_METHODS:
            return _message(request, lang, "not_found", 404, mall=names)
        return not_allowed(_message(request, lang, "not_allowed", 405, mall=names))

    async def not_found(self, request: Request, lang: Lang, client: str) -> HTMLResponse:
        """The same page for an unknown ticket and a wrong token, counted as a miss; from a
        client over its misses, the "too many tries" page instead (not counted, so that its
        Retry-After holds)."""
        wait = self.misses.wait(client)
        if wait:
            return _message(request, lang, "too_many", 429, minutes=-(-wait // 60), wait=wait)
        self.misses.fail(client)
        names = await _in_thread(self.tickets.mall_names)
        return _message(request, lang, "not_found", 404, mall=names)


async def _in_thread(work: Callable[[], _T]) -> _T:
    """Database work off the event loop, on the server's thread pool."""
    return await anyio.to_thread.run_sync(work)


# --- requests ---------------------------------------------------------------------------------


def _client(request: Request) -> str:
    """Whose misses a request counts toward: its address, an IPv6 address by its /64 (one
    household or phone gets a whole /64)."""
    host = request.client.host if request.client is not None else ""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)


async def _form(request: Request) -> Mapping[str, str]:
    """The fields of a form sent as application/x-www-form-urlencoded (the first of each)."""
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_FORM_BYTES:
            raise _UnreadableFormError
    try:
        pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True, max_num_fields=10)
    except (UnicodeDecodeError, ValueError):
        raise _UnreadableFormError from None
    form: dict[str, str] = {}
    for key, value in pairs:
        form.setdefault(key, value)
    return form


def _path(request: Request, ticket_no: str, action: str = "") -> str:
    """The path of a ticket's page or action, as a link."""
    return app_path(request, f"{TRACKING_PATH}/{quote(ticket_no, safe='')}{action}")


def _page_url(
    request: Request, ticket_no: str, token: str, lang: Lang, done: str | None = None
) -> str:
    query = [("t", token), ("lang", lang), *((("done", done),) if done else ())]
    return f"{_path(request, ticket_no)}?{urlencode(query)}"


def _back(request: Request, ticket: str, token: str, lang: Lang, done: str) -> Response:
    """303 to the ticket's page after a form did what it asked (POST, redirect, GET)."""
    ticket_no = normal_ticket(ticket) or ticket
    url = _page_url(request, ticket_no, token, lang, done)
    return RedirectResponse(url, status_code=303, headers=dict(HEADERS))


# --- pages ------------------------------------------------------------------------------------


def _ui(lang: Lang) -> dict[str, str]:
    return {key: line.text(lang) for key, line in words.UI.items()}


def _mall(view: TicketView, lang: Lang) -> str:
    return view.venue.name_zh if lang == "zh" else view.venue.name_en


def _other(lang: Lang) -> Lang:
    return "en" if lang == "zh" else "zh"


def _ticket_page(
    request: Request,
    lang: Lang,
    view: TicketView,
    token: str,
    *,
    status: int = 200,
    notice: tuple[str, str] | None = None,
    error: str | None = None,
    form: tuple[int | None, str] = (None, ""),
) -> HTMLResponse:
    ui = _ui(lang)
    ui["comment"] = ui["comment"].format(max=MAX_COMMENT)
    zone = view.venue.zone
    history = [
        {
            "when": words.local_time(event.at, zone),
            "what": words.status_name(event.status).text(lang),
            "tone": words.status_tone(event.status),
            "note": ui["by_you"] if event.by_shopper and not event.note else event.note,
        }
        for event in reversed(view.events)
    ]
    history.append(
        {
            "when": words.local_time(view.created_at, zone),
            "what": ui["filed_at_kiosk"].format(kiosk=view.kiosk_code),
            "tone": "",
            "note": None,
        }
    )
    return render(
        request,
        "tracking.html",
        lang,
        status,
        w=ui,
        mall=_mall(view, lang),
        title=words.title(view).text(lang),
        ticket_no=view.ticket_no,
        kind=words.kind_name(view).text(lang),
        store=view.store_name,
        filed=words.local_time(view.created_at, zone),
        status_text=words.status_name(view.status).text(lang),
        status_tone=words.status_tone(view.status),
        next_steps=words.next_steps(view, lang),
        events=history,
        rating=view.rating or 0,
        rated=ui["rated"].format(rating=view.rating) if view.rating is not None else None,
        can_rate=view.can_rate,
        can_withdraw=view.can_withdraw,
        scale=[(n, line.text(lang)) for n, line in enumerate(words.RATING_LABELS, start=1)],
        max_comment=MAX_COMMENT,
        token=token,
        rate_action=f"{_path(request, view.ticket_no, '/rating')}?lang={lang}",
        withdraw_action=_path(request, view.ticket_no, "/withdraw"),
        notice=notice[0] if notice else None,
        notice_tone=notice[1] if notice else "",
        error=error,
        chosen=form[0],
        comment=form[1],
        switch_href=_page_url(request, view.ticket_no, token, _other(lang)),
    )


def _confirm_or_refuse(request: Request, lang: Lang, view: TicketView, token: str) -> Response:
    """The withdrawal's confirmation page, or the ticket's page saying it cannot be withdrawn."""
    if not view.can_withdraw:
        notice = (words.UI["withdraw_not_now"].text(lang), "warn")
        return _ticket_page(request, lang, view, token, notice=notice)
    ui = _ui(lang)
    before, _, after = ui["confirm_text"].partition("{ticket}")
    withdraw_path = _path(request, view.ticket_no, "/withdraw")
    return render(
        request,
        "tracking_withdraw.html",
        lang,
        w=ui,
        mall=_mall(view, lang),
        ticket_no=view.ticket_no,
        confirm_before=before,
        confirm_after=after,
        token=token,
        withdraw_action=f"{withdraw_path}?lang={lang}",
        back=_page_url(request, view.ticket_no, token, lang),
        switch_href=f"{withdraw_path}?{urlencode([('t', token), ('lang', _other(lang))])}",
    )


def _message(
    request: Request,
    lang: Lang,
    what: str,
    status: int,
    *,
    mall: tuple[str, str] | None = None,
    minutes: int = 0,
    wait: int | None = None,
) -> HTMLResponse:
    """A page that only says something: the same for every request of its kind (a "not found"
    page never tells whether the ticket exists; nothing of the request is repeated on it)."""
    ui = _ui(lang)
    heading, text = ui[f"{what}_title"], ui[f"{what}_text"]
    response = render(
        request,
        "tracking_message.html",
        lang,
        status,
        w=ui,
        mall=(mall[0] if lang == "zh" else mall[1]) if mall else ui["service"],
        heading=heading,
        text=text.format(minutes=minutes),
        switch_href=f"?lang={_other(lang)}",
    )
    if wait is not None:
        response.headers["Retry-After"] = str(wait)
    return response

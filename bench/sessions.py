"""Session benchmark: the real kiosk, offscreen, through thousands of shoppers' sessions.

The kiosk is built in-process by the composition root (`kiosk.app.build`) on the embedded demo
mall with a temporary data directory, and without a central service (offline, as a kiosk may
well be). Each session does what a shopper does, through the slots the QML calls and taps and
key presses on the real screens: leave the attract screen; search (pinyin initials or an English
name typed on a hardware keyboard, or full pinyin on the on-screen keyboard, picking the Chinese
candidate; or a floor's list); open a store; "Take me there"; the step-free route too; a step of
the directions and the QR code; home; the complaint or the return form with a little typed;
the member screen (offline message); home; and the idle countdown running out (the timer's
timeout is triggered rather than waited for), which wipes the session back to the attract
screen. Stores, floors, languages and accessibility mode vary from session to session.

Figures (JSON on stdout; progress on stderr):
- memory: RSS (VmRSS of /proc/self/status, MB = 10^6 bytes, after gc.collect()) after the
  warm-up, every --sample-every sessions and at the end; the peak (VmHWM); growth after the
  warm-up. Budget: <= 300 MB after 10 000 sessions, growth <= 5 %. With --tracemalloc, the
  Python allocations still alive at the end that were made after the warm-up, by line.
- screen change: milliseconds from the navigation request (the slot the QML calls: a tile's
  `nav.push`, Back, Home, "Take me there", the idle wipe) to the window's next frameSwapped,
  p50/p95/max per screen. Budget: <= 100 ms to the first frame (p95 of every screen).
Exits 1 when a budget is missed.

    python bench/sessions.py [--sessions 10000] [--warmup 500] [--sample-every 500]
"""

from __future__ import annotations

import argparse
import ctypes
import faulthandler
import gc
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
import weakref
from array import array
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

# Before Qt is imported: render offscreen, with the real on-screen keyboard, as the e2e tests do.
os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ["QT_IM_MODULE"] = "qtvirtualkeyboard"
os.environ.setdefault("QT_QUICK_CONTROLS_STYLE", "Basic")

# `python bench/sessions.py` puts bench/ first on sys.path (bench/sync.py would hide the `sync`
# package); keep the packages it measures first.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]

from PySide6.QtCore import (  # noqa: E402
    QCoreApplication,
    QEvent,
    QEventLoop,
    QMessageLogContext,
    QPointF,
    Qt,
    QTimer,
    QtMsgType,
    qInstallMessageHandler,
)
from PySide6.QtGui import QGuiApplication  # noqa: E402
from PySide6.QtQml import QQmlEngine, QQmlExpression  # noqa: E402
from PySide6.QtQuick import QQuickItem  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402

from kiosk.app import Kiosk, build  # noqa: E402
from kiosk.config import load_config  # noqa: E402
from kiosk.domain.search import initials, reading  # noqa: E402
from kiosk.main import isolate_user_config  # noqa: E402
from kiosk.viewmodels.route import StepListModel  # noqa: E402

RSS_BUDGET_MB = 300.0
GROWTH_BUDGET_PCT = 5.0
SCREEN_CHANGE_BUDGET_MS = 100.0
FRAME_TIMEOUT_MS = 2000
# Waiting for the frame of a change that may have changed nothing on screen.
IDLE_FRAME_MS = 100
# Qt's own noise (as tests/conftest.py filters it), not problems of the kiosk's QML or Python;
# and the Pinyin engine saying it made its dictionary directory in the session's scratch.
QT_NOISE_CATEGORIES = ("qt.multimedia.", "qt.qml.propertyCache.", "qt.virtualkeyboard.pinyin")


# --- measuring ------------------------------------------------------------------------------
def proc_status_mb(key: str) -> float:
    """A size from /proc/self/status (VmRSS, VmHWM), in MB."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(key + ":"):
                return int(line.split()[1]) * 1024 / 1e6
    raise RuntimeError(f"{key} not in /proc/self/status (this benchmark needs Linux)")


class _MallInfo2(ctypes.Structure):
    _fields_ = [
        (name, ctypes.c_size_t)
        for name in (
            "arena",
            "ordblks",
            "smblks",
            "hblks",
            "hblkhd",
            "usmblks",
            "fsmblks",
            "uordblks",
            "fordblks",
            "keepcost",
        )
    ]


def malloc_mb() -> dict[str, float]:
    """The C heap (Qt, the bindings, Python's objects above 512 bytes) as glibc sees it: in use,
    and free but kept. Empty where there is no mallinfo2 (glibc < 2.33, musl)."""
    try:
        mallinfo2 = ctypes.CDLL(None).mallinfo2
    except (OSError, AttributeError):
        return {}
    mallinfo2.restype = _MallInfo2
    info = mallinfo2()
    return {
        "malloc_in_use_mb": round((info.uordblks + info.hblkhd) / 1e6, 1),
        "malloc_free_mb": round(info.fordblks / 1e6, 1),
    }


def percentile(samples: Sequence[float], pct: int) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[pct - 1]


def source_version() -> str:
    """The commit measured (`git describe --always --dirty`), or "" outside a git checkout."""
    try:
        done = subprocess.run(
            ["git", "-C", str(_HERE.parent), "describe", "--always", "--dirty"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except OSError:
        return ""
    return done.stdout.strip()


def trend(samples: list[dict[str, Any]]) -> dict[str, float]:
    """Least-squares slope of RSS (and of its anonymous and file parts) over sessions."""
    if len(samples) < 3:
        return {}
    x = [float(s["sessions"]) for s in samples]
    return {
        key: round(statistics.linear_regression(x, [s[key] for s in samples]).slope * 1000, 2)
        for key in ("rss_mb", "anon_mb", "file_mb")
    }


def figures(samples: Sequence[float]) -> dict[str, float]:
    if len(samples) < 2:
        return {"count": len(samples)}
    return {
        "count": len(samples),
        "p50_ms": round(statistics.median(samples), 1),
        "p95_ms": round(percentile(samples, 95), 1),
        "max_ms": round(max(samples), 1),
    }


class Frames:
    """Counts the window's frames and notes when the first one after `arm()` was swapped.

    The software backend renders on the GUI thread, so frameSwapped arrives here in order."""

    def __init__(self, kiosk: Kiosk) -> None:
        self.count = 0
        self.first_at: float | None = None
        self._loop: QEventLoop | None = None
        kiosk.window.frameSwapped.connect(self._swapped)

    def _swapped(self) -> None:
        self.count += 1
        if self.first_at is None:
            self.first_at = time.perf_counter()
            if self._loop is not None:
                self._loop.quit()

    def arm(self) -> None:
        self.first_at = None

    def wait(self, timeout_ms: int = FRAME_TIMEOUT_MS) -> float | None:
        """When the first frame since `arm()` was swapped (perf_counter), or None on timeout."""
        if self.first_at is None:
            self._loop = QEventLoop()
            timer = QTimer(singleShot=True, interval=timeout_ms)
            timer.timeout.connect(self._loop.quit)
            timer.start()
            self._loop.exec()
            timer.stop()
            self._loop = None
        return self.first_at


def pump(ms: int) -> None:
    """Run the event loop for `ms`, then deliver what a running kiosk's loop would have: the
    benchmark drives the kiosk from outside any event loop, so deferred deletes posted at this
    level are sent explicitly (as QTest.qWait does)."""
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()
    QCoreApplication.processEvents()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)


def pump_until(done: Callable[[], bool], timeout_ms: int = 3000) -> bool:
    deadline = time.perf_counter() + timeout_ms / 1000
    while not done():
        if time.perf_counter() > deadline:
            return False
        pump(5)
    return True


def all_items(root: QQuickItem) -> Iterator[QQuickItem]:
    yield root
    for child in root.childItems():
        yield from all_items(child)


class QtWarnings:
    """Qt warnings and errors while the benchmark ran (less Qt's own noise), counted by what the
    shopper was doing; the first few are kept for the report and every one goes to stderr."""

    def __init__(self) -> None:
        self.count = 0
        self.first: list[str] = []
        self.by_step: Counter[str] = Counter()
        self.doing: Callable[[], str] = lambda: "start-up"

    def __call__(self, kind: QtMsgType, context: QMessageLogContext, text: str) -> None:
        category = str(context.category or "")
        if kind in (QtMsgType.QtDebugMsg, QtMsgType.QtInfoMsg):
            return
        print(f"{category}: {text}" if category else text, file=sys.stderr)
        if not category.startswith(QT_NOISE_CATEGORIES):
            self.count += 1
            self.by_step[self.doing()] += 1
            if len(self.first) < 10:
                self.first.append(f"{text} (while: {self.doing()})")


# --- the shopper -------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Target:
    id: str
    name_zh: str
    name_en: str
    level_id: str
    level: str
    syllables: tuple[str, ...]


@dataclass
class Tally:
    # Plain doubles, not float objects: the benchmark's own growth stays small (0.8 MB).
    screen_ms: dict[str, array[float]] = field(default_factory=dict)
    missed_frames: Counter[str] = field(default_factory=Counter)
    trouble: Counter[str] = field(default_factory=Counter)
    found_target: int = 0
    routes: Counter[str] = field(default_factory=Counter)
    qr_shown: int = 0
    offline_message: int = 0
    idle_prompt: int = 0


class Shopper:
    """Drives the kiosk as a shopper would, timing each screen change to its first frame."""

    def __init__(self, kiosk: Kiosk, targets: list[Target], record: bool) -> None:
        self.kiosk = kiosk
        self.targets = targets
        self.frames = Frames(kiosk)
        self.tally = Tally()
        self.record = record
        self.doing = "start-up"
        self.recent_ms: list[float] = []  # every screen change since the last memory sample
        content = kiosk.window.contentItem()
        self.root = content.parentItem() or content  # popups live beside the content item
        stack = self.find("screenStack")
        if stack is None:
            raise RuntimeError("no screenStack in Main.qml")
        self.stack = stack
        context = QQmlEngine.contextForObject(kiosk.window)
        if context is None:
            raise RuntimeError("the kiosk window has no QML context")
        self.context = context

    # --- the scene ------------------------------------------------------------------------
    def find(self, name: str) -> QQuickItem | None:
        """The visible item called `name` (a page under the current one may have one too)."""
        found = [i for i in all_items(self.root) if i.objectName() == name]
        return next((i for i in found if i.isVisible()), found[0] if found else None)

    def shows(self, name: str) -> bool:
        item = self.find(name)
        return item is not None and item.isVisible()

    def settle(self) -> None:
        """Until the screen's transition has run, as a shopper waits to see the new screen (a
        StackView also ignores taps while it is busy)."""
        if not pump_until(lambda: not self.stack.property("busy")):
            self.tally.trouble["transition did not end"] += 1

    def frame(self) -> None:
        """Let the change just made reach the screen (no frame comes when nothing changed)."""
        self.frames.arm()
        self.kiosk.window.requestUpdate()
        self.frames.wait(IDLE_FRAME_MS)

    def navigate(self, screen: str, request: Callable[[], None]) -> None:
        """Make the navigation request, time it to the next frame, then let it settle."""
        self.doing = f"navigating to {screen}"
        self.frames.arm()
        started = time.perf_counter()
        request()
        swapped = self.frames.wait()
        if self.kiosk.nav.current_screen() != screen:
            self.tally.trouble[f"expected {screen}, got {self.kiosk.nav.current_screen()}"] += 1
        if swapped is None:
            self.tally.missed_frames[screen] += 1
        elif self.record:
            self.tally.screen_ms.setdefault(screen, array("d")).append((swapped - started) * 1000)
            self.recent_ms.append((swapped - started) * 1000)
        self.settle()

    def tap(self, name: str) -> bool:
        """A finger on the item's centre; False when it is not on screen."""
        item = self.find(name)
        if item is None or not item.isVisible() or not item.isEnabled():
            self.tally.trouble[f"cannot tap {name}"] += 1
            return False
        centre = item.mapToScene(QPointF(item.width() / 2, item.height() / 2)).toPoint()
        window = self.kiosk.window
        if not (0 <= centre.x() < window.width() and 0 <= centre.y() < window.height()):
            # Scrolled out of view below the on-screen keyboard: the shopper scrolls to it.
            item.forceActiveFocus()
            pump(0)
            return True
        QTest.mouseClick(
            self.kiosk.window, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, centre
        )
        pump(0)
        return True

    def type_keys(self, text: str) -> None:
        """A hardware keyboard or a barcode scanner (keyboard wedge), a frame per key."""
        for char in text:
            # The char overload, as the e2e tests type (missing from PySide6's stubs).
            QTest.keyClick(self.kiosk.window, char)  # type: ignore[call-overload]
            self.frame()

    def type_pinyin(self, syllables: tuple[str, ...], want: str) -> None:
        """Full pinyin on the on-screen keyboard (its Pinyin engine), then the candidate that
        reads `want`, or the first one."""
        for char in "".join(syllables):
            self._js(f"InputContext.inputEngine.virtualKeyClick({ord(char.upper())}, '{char}', 0)")
            self.frame()
        candidates = int(self._js("InputContext.inputEngine.wordCandidateListModel.count") or 0)
        pick = 0
        for i in range(min(candidates, 20)):
            word = self._js(f"InputContext.inputEngine.wordCandidateListModel.dataAt({i}, 0)")
            if word == want:
                pick = i
                break
        if candidates:
            self._js(f"InputContext.inputEngine.wordCandidateListModel.selectItem({pick})")
        else:
            self.tally.trouble["no pinyin candidates"] += 1
        self.frame()

    def _js(self, code: str) -> Any:
        """Evaluate `code` in Main.qml's context (its imports include the keyboard's)."""
        expression = QQmlExpression(self.context, self.kiosk.window, code)
        value, _undefined = expression.evaluate()
        if expression.hasError():
            raise RuntimeError(f"{code}: {expression.error().toString()}")
        return value

    # --- one session ----------------------------------------------------------------------
    def session(self, number: int, rng: random.Random) -> None:
        k = self.kiosk
        target = rng.choice(self.targets)
        way = number % 4  # how this shopper looks for the store (see `search`)
        english = way == 1  # who types the English name reads the screens in English
        accessible = number % 5 == 4

        self.navigate("home", k.shell.start)  # the attract screen's "touch to start"
        if english:
            self.doing = "switching to English"
            k.shell.toggleLanguage()
            self.frame()
        if accessible:
            self.doing = "switching accessibility mode on"
            k.shell.setAccessibilityMode(True)
            self.frame()

        self.navigate("wayfinding", lambda: k.nav.push("wayfinding"))
        chosen = self.search(way, target)
        self.navigate("place", lambda: self.open_place(chosen))
        self.navigate("route", lambda: self.take_me_there(chosen, step_free=accessible))
        self.directions(chosen, step_free=not accessible)

        self.navigate("home", k.nav.home)
        if number % 2 == 0:
            self.navigate("complaints", lambda: k.nav.push("complaints"))
            self.complaint(rng)
        else:
            self.navigate("returns", lambda: k.nav.push("returns"))
            self.return_request(rng)
        self.navigate("home", k.nav.back)

        self.navigate("member", lambda: k.nav.push("member"))
        if self.shows("memberUnavailable"):
            self.tally.offline_message += 1
        self.navigate("home", k.nav.home)

        # Walking away: what the quiet timer's timeout does (the prompt), then what the
        # countdown's last tick does (expired: the shell wipes the session).
        self.doing = "idle prompt"
        k.idle.prompt_now()
        self.frame()
        if self.shows("continueButton"):
            self.tally.idle_prompt += 1
        self.navigate("attract", k.idle.expired.emit)

    def search(self, way: int, target: Target) -> str:
        """Find `target` by pinyin initials (0), English name (1), full pinyin on the on-screen
        keyboard (2) or the list of its floor (3); the place id chosen from what is shown."""
        k = self.kiosk
        self.doing = f"searching ({('initials', 'English name', 'pinyin keyboard', 'floor')[way]})"
        if way == 3:  # browse the floor's stores
            self.tap(f"floor_{target.level}")
        else:
            self.tap("searchField")
            if way == 0 and len(target.syllables) >= 2:
                self.type_keys(initials(target.syllables)[:4])
            elif way == 1 or not target.syllables:
                self.type_keys(target.name_en.lower()[:5])
            else:
                self.type_pinyin(target.syllables[:2], target.name_zh[:2])
        self.frame()
        rows = k.wayfinding.result_rows()
        if any(r.id == target.id for r in rows):
            self.tally.found_target += 1
            return target.id
        return rows[0].id if rows else target.id

    def open_place(self, place_id: str) -> None:
        """What a result row's tap does (WayfindingScreen.open)."""
        self.kiosk.wayfinding.select(place_id)
        self.kiosk.nav.push("place")

    def take_me_there(self, place_id: str, *, step_free: bool) -> None:
        """What "Take me there" does (PlaceScreen)."""
        self.kiosk.route.routeTo(place_id, step_free)
        self.kiosk.nav.push("route")

    def directions(self, place_id: str, *, step_free: bool) -> None:
        """The other kind of route, a tap on a step of the directions, and the QR code."""
        k = self.kiosk
        self.doing = "switching route kind, directions, QR"
        self.count_route()
        k.route.setStepFree(step_free)
        self.frame()
        self.count_route()
        steps = cast("StepListModel", k.route.steps).rows()
        if steps:
            k.map.showLevel(steps[-1].level_id)
            self.frame()
        qr = self.find("routeQr")
        if qr is not None and qr.isVisible() and qr.property("paintedWidth") > 0:
            self.tally.qr_shown += 1

    def count_route(self) -> None:
        route = self.kiosk.route
        kind = "step_free" if route.property("stepFree") else "walking"
        self.tally.routes[kind if route.property("hasRoute") else f"no {kind} route"] += 1

    def complaint(self, rng: random.Random) -> None:
        self.doing = "typing in the complaint form"
        kind = rng.choice(["complaint", "suggestion", "praise", "consultation"])
        if self.tap(f"type_{kind}"):
            pump_until(lambda: self.kiosk.complaint.property("step") == 1)
            self.frame()
        other = rng.choice(self.targets)
        if other.syllables and self.tap("complaintStoreSearch"):
            self.type_keys(initials(other.syllables)[:3])
        self.frame()

    def return_request(self, rng: random.Random) -> None:
        self.doing = "typing in the return form"
        if self.tap("returnSlip"):
            self.type_keys(f"{rng.randrange(10**9, 10**10)}")
        other = rng.choice(self.targets)
        if self.tap("returnStoreSearch"):
            self.type_keys(other.name_en.lower()[:3])
        self.frame()


def targets_of(kiosk: Kiosk) -> list[Target]:
    """Every store of the venue, with what a shopper would type to find it."""
    snapshot = kiosk.wayfinding_service.snapshot()
    levels = {lv.id: lv.short_name.en for lv in kiosk.wayfinding_service.levels()}
    found = []
    for store_id in sorted(snapshot.stores):
        store = snapshot.stores[store_id]
        level_id = snapshot.store_level(store).id
        hanzi = [s for s in reading(store.name.zh) if s.isascii() and s.isalpha()]
        found.append(
            Target(
                store_id,
                store.name.zh,
                store.name.en,
                level_id,
                levels[level_id],
                tuple(hanzi),
            )
        )
    return found


# --- memory -------------------------------------------------------------------------------------
def memory_sample(kiosk: Kiosk, sessions: int, *, census: bool = True) -> dict[str, Any]:
    """RSS (anonymous memory and mapped files apart), and (census) how many Python objects
    and Quick items there are.

    No census while the kiosk's warm-up thread may still run: gc.get_objects() can see a tuple
    that thread is still building, and CPython then fails it with SystemError. (QObject counts
    are left out: findChildren() keeps a Python wrapper of every child alive in the parent's
    wrapper, which would be the benchmark's own growth.)"""
    gc.collect()
    rss = {
        "sessions": sessions,
        "rss_mb": round(proc_status_mb("VmRSS"), 1),
        "anon_mb": round(proc_status_mb("RssAnon"), 1),
        "file_mb": round(proc_status_mb("RssFile"), 1),
        "file_mappings": sum(mapped_files().values()),
        "open_fds": len(os.listdir("/proc/self/fd")),
        **malloc_mb(),
        # Python's small objects live in its own arenas, not in the C heap.
        "python_blocks": sys.getallocatedblocks(),
    }
    if not census:
        return rss
    return {
        **rss,
        "python_objects": len(gc.get_objects()),
        "quick_items": sum(1 for _ in all_items(kiosk.window.contentItem())),
    }


def mapped_files() -> Counter[str]:
    """How many mappings of each file the process has (a file mapped again and again, and never
    unmapped, is memory kept for nothing); per-session paths are told apart by name only."""
    found: Counter[str] = Counter()
    with open("/proc/self/maps", encoding="utf-8", errors="replace") as maps:
        for line in maps:
            fields = line.split(maxsplit=5)
            if len(fields) == 6 and fields[5].startswith("/"):
                found[Path(fields[5].strip()).name] += 1
    return found


def type_name(obj: object) -> str:
    name = f"{type(obj).__module__}.{type(obj).__qualname__}"
    if isinstance(obj, weakref.ref):
        return f"{name} to {type_name(obj())}"
    return name


def type_counts() -> Counter[str]:
    """Python objects the collector tracks, by type (weak references by their referent's)."""
    gc.collect()
    return Counter(type_name(o) for o in gc.get_objects())


class Census:
    """What the process holds after the warm-up, to tell at the end what grew since: Python
    objects by type, file mappings by file name and, with `trace_frames`, Python allocations
    by line (tracemalloc, started here so the warm-up runs at full speed)."""

    def __init__(self, trace_frames: int) -> None:
        self.types = type_counts()
        self.maps = mapped_files()
        self.traced: tracemalloc.Snapshot | None = None
        if trace_frames:
            tracemalloc.start(trace_frames)
            self.traced = tracemalloc.take_snapshot()

    def grown(self) -> dict[str, Any]:
        found: dict[str, Any] = {
            "python_types_grown_after_warmup": dict((type_counts() - self.types).most_common(10)),
            "file_mappings_grown_after_warmup": dict((mapped_files() - self.maps).most_common(10)),
        }
        if self.traced is not None:
            now = tracemalloc.take_snapshot().filter_traces(
                [tracemalloc.Filter(False, tracemalloc.__file__)]
            )
            tracemalloc.stop()
            found["python_allocations_alive_since_warmup"] = [
                {
                    "where": str(stat.traceback[0]),
                    "size_kb": round(stat.size_diff / 1024, 1),
                    "blocks": stat.count_diff,
                    "traceback": [str(frame) for frame in stat.traceback][-6:],
                }
                for stat in now.compare_to(self.traced, "traceback")[:15]
            ]
        return found


class UnexpectedErrors:
    """sys.excepthook that counts what reaches the kiosk's own hook (a bug in a slot)."""

    def __init__(self) -> None:
        self.seen: Counter[str] = Counter()
        self._kiosk_hook = sys.excepthook
        sys.excepthook = self

    def __call__(self, kind: type[BaseException], exc: BaseException, tb: Any) -> None:
        self.seen[f"{kind.__name__}: {exc}"] += 1
        self._kiosk_hook(kind, exc, tb)


# --- the run ------------------------------------------------------------------------------------
def make_kiosk(app: QGuiApplication, data_dir: Path) -> Kiosk:
    device = data_dir.parent / "device.toml"
    device.write_text(f'[paths]\ndata_dir = "{data_dir.as_posix()}"\n', encoding="utf-8")
    kiosk = build(load_config(device, env={}), app, windowed=True)
    # The attract screen's first frame; the search index and route graph are built behind it
    # while the first sessions run, as on a kiosk just switched on.
    pump_until(kiosk.window.isExposed)
    return kiosk


def run(args: argparse.Namespace) -> dict[str, Any]:
    commit = source_version()  # what the kiosk is about to import
    isolate_user_config()  # the Pinyin engine's learning stays out of the home directory
    warnings = QtWarnings()
    qInstallMessageHandler(warnings)
    app = QGuiApplication([sys.argv[0]])
    app.setApplicationName("MallKiosk")
    app.setOrganizationName("MallKiosk")
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp) / "data"
        data_dir.mkdir()
        started = time.perf_counter()
        kiosk = make_kiosk(app, data_dir)
        renderer = kiosk.window.rendererInterface()
        backend = renderer.graphicsApi().name if renderer is not None else "unknown"
        unexpected = UnexpectedErrors()
        shopper = Shopper(kiosk, targets_of(kiosk), record=False)
        warnings.doing = lambda: shopper.doing
        samples = [memory_sample(kiosk, 0, census=False)]
        census: Census | None = None
        for number in range(1, args.sessions + 1):
            shopper.session(number, rng)
            shopper.doing = "attract screen"
            pump(10)  # the attract screen, before the next shopper
            if number == args.warmup:
                shopper.record = True
                samples.append(memory_sample(kiosk, number))
                census = Census(args.tracemalloc)
            elif number % args.sample_every == 0 or number == args.sessions:
                samples.append(memory_sample(kiosk, number))
                # Screen changes since the last sample: does the kiosk slow down as it runs?
                samples[-1]["screen_change_p95_ms"] = figures(shopper.recent_ms).get("p95_ms")
                shopper.recent_ms.clear()
            if number % args.sample_every == 0 or number == args.warmup:
                print(
                    f"{number} sessions, {time.perf_counter() - started:.0f} s, "
                    f"RSS {samples[-1]['rss_mb']} MB",
                    file=sys.stderr,
                    flush=True,
                )
        elapsed = time.perf_counter() - started
        peak = proc_status_mb("VmHWM")
        grown = census.grown() if census is not None else {}
        kiosk.close()
    return {
        "commit": commit,
        "samples": samples,
        "after_warmup": next(s for s in samples if s["sessions"] == args.warmup),
        "final": samples[-1],
        "peak_mb": round(peak, 1),
        "grown": grown,
        "elapsed_s": round(elapsed, 1),
        "frames": shopper.frames.count,
        "backend": backend,
        "tally": shopper.tally,
        "qt_warnings": warnings,
        "unexpected": unexpected.seen,
    }


def report(args: argparse.Namespace, r: dict[str, Any]) -> dict[str, Any]:
    warm, final, tally = r["after_warmup"], r["final"], r["tally"]
    growth = (final["rss_mb"] - warm["rss_mb"]) / warm["rss_mb"] * 100
    after = [x for x in r["samples"] if x["sessions"] >= args.warmup]
    memory_ok = final["rss_mb"] <= RSS_BUDGET_MB and growth <= GROWTH_BUDGET_PCT
    per_screen = {screen: figures(ms) for screen, ms in sorted(tally.screen_ms.items())}
    for screen, missed in tally.missed_frames.items():
        per_screen.setdefault(screen, {"count": 0})["missed_frames"] = missed
    every = [ms for samples in tally.screen_ms.values() for ms in samples]
    screens_ok = not tally.missed_frames and all(
        f.get("p95_ms", 0.0) <= SCREEN_CHANGE_BUDGET_MS for f in per_screen.values()
    )
    measured = args.sessions - args.warmup
    return {
        "benchmark": "kiosk_sessions",
        "commit": r["commit"],
        "sessions": args.sessions,
        "warmup_sessions": args.warmup,
        "seconds": r["elapsed_s"],
        "seconds_per_session": round(r["elapsed_s"] / args.sessions, 3),
        "renderer": f"offscreen, {r['backend']}",
        "note": "no central service (offline); the offscreen platform draws every frame with "
        "Qt Quick's software renderer on the CPU, 1080 x 1920, which a kiosk's GPU does faster",
        "frames": r["frames"],
        "memory": {
            "rss_after_warmup_mb": warm["rss_mb"],
            "rss_final_mb": final["rss_mb"],
            "rss_peak_mb": r["peak_mb"],
            "growth_after_warmup_pct": round(growth, 2),
            # One sample to the next varies by some MB (when the QML engine's collector ran):
            # the slope over every sample after the warm-up tells growth from noise.
            "trend_mb_per_1000_sessions": trend(after),
            "budget_rss_mb": RSS_BUDGET_MB,
            "budget_growth_pct": GROWTH_BUDGET_PCT,
            "within_budget": memory_ok,
            "samples": r["samples"],
            **r["grown"],
        },
        "screen_change": {
            "what": "navigation request (the slot the QML calls) to the next frameSwapped",
            "sessions_measured": measured,
            "per_screen": per_screen,
            "overall": figures(every),
            "budget_p95_ms": SCREEN_CHANGE_BUDGET_MS,
            "over_budget": sum(1 for ms in every if ms > SCREEN_CHANGE_BUDGET_MS),
            "within_budget": screens_ok,
        },
        "shopper": {
            "target_in_results": tally.found_target,
            "routes": dict(tally.routes),
            "route_qr_shown": tally.qr_shown,
            "member_offline_message": tally.offline_message,
            "idle_prompt_shown": tally.idle_prompt,
            "trouble": dict(tally.trouble),
        },
        "qt_warnings": {
            "count": r["qt_warnings"].count,
            "while": dict(r["qt_warnings"].by_step),
            "first": r["qt_warnings"].first,
        },
        "unexpected_errors": dict(r["unexpected"]),
        "within_budget": memory_ok and screens_ok,
        "cpus": os.cpu_count(),
    }


def main() -> int:
    faulthandler.enable()  # a crash in Qt or the bindings still says where Python was
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sessions", type=int, default=10_000)
    parser.add_argument("--warmup", type=int, default=500)
    parser.add_argument("--sample-every", type=int, default=500, metavar="N")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--tracemalloc",
        type=int,
        default=0,
        metavar="FRAMES",
        help="trace Python allocations after the warm-up (FRAMES deep) and report what is "
        "still alive at the end (slows the run and adds to RSS: for finding a leak)",
    )
    args = parser.parse_args()
    if not 0 < args.warmup < args.sessions:
        parser.error("--warmup must be at least 1 and fewer than --sessions")
    result = report(args, run(args))
    print(json.dumps(result, indent=2, ensure_ascii=False))
    return 0 if result["within_budget"] else 1


if __name__ == "__main__":
    sys.exit(main())

"""Live language switching: swap the installed translator and re-evaluate every qsTr binding."""

from __future__ import annotations

import logging
from importlib import resources
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator
from PySide6.QtQml import QQmlEngine

log = logging.getLogger(__name__)

# Source strings are English; Chinese comes from the compiled catalogue.
LANGUAGES = ("zh_CN", "en")


def translations_dir() -> Path:
    return Path(str(resources.files("kiosk") / "resources" / "i18n"))


class Localizer:
    """Owns the application's translator for the current language."""

    def __init__(self, app: QCoreApplication, engine: QQmlEngine | None = None) -> None:
        self._app = app
        self._engine = engine
        self._translator: QTranslator | None = None

    def attach(self, engine: QQmlEngine) -> None:
        self._engine = engine

    def detach(self) -> None:
        """Remove this localizer's translator from the application."""
        if self._translator is not None:
            self._app.removeTranslator(self._translator)
            self._translator = None
        self._engine = None

    def apply(self, language: str) -> None:
        if language not in LANGUAGES:
            raise ValueError(f"unsupported language {language!r}")
        if self._translator is not None:
            self._app.removeTranslator(self._translator)
            self._translator = None
        if language != "en":
            translator = QTranslator(self._app)
            qm = translations_dir() / f"kiosk_{language}.qm"
            if translator.load(str(qm)):
                self._app.installTranslator(translator)
                self._translator = translator
            else:
                log.error("translation catalogue %s could not be loaded", qm)
        QLocale.setDefault(QLocale(language))
        if self._engine is not None:
            self._engine.retranslate()

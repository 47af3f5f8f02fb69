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
        # One translator per language, loaded once: a kiosk switches language every session,
        # and a translator made per switch (each mapping its catalogue) would never be freed.
        self._loaded: dict[str, QTranslator] = {}

    def attach(self, engine: QQmlEngine) -> None:
        self._engine = engine

    def detach(self) -> None:
        """Remove this localizer's translator from the application."""
        if self._translator is not None:
            self._app.removeTranslator(self._translator)
            self._translator = None
        for translator in self._loaded.values():
            translator.deleteLater()
        self._loaded.clear()
        self._engine = None

    def apply(self, language: str) -> None:
        if language not in LANGUAGES:
            raise ValueError(f"unsupported language {language!r}")
        if self._translator is not None:
            self._app.removeTranslator(self._translator)
            self._translator = None
        if language != "en":
            translator = self._catalogue(language)
            if translator is not None:
                self._app.installTranslator(translator)
                self._translator = translator
        QLocale.setDefault(QLocale(language))
        if self._engine is not None:
            self._engine.retranslate()

    def _catalogue(self, language: str) -> QTranslator | None:
        """The translator of `language`, loaded the first time it is asked for."""
        if language not in self._loaded:
            translator = QTranslator(self._app)
            qm = translations_dir() / f"kiosk_{language}.qm"
            if not translator.load(str(qm)):
                log.error("translation catalogue %s could not be loaded", qm)
                translator.deleteLater()
                return None
            self._loaded[language] = translator
        return self._loaded[language]

"""`image://qr/<percent-encoded text>`: QR codes drawn for QML from the text they carry."""

from __future__ import annotations

from urllib.parse import unquote

from PySide6.QtCore import QSize
from PySide6.QtGui import QImage
from PySide6.QtQuick import QQuickImageProvider

from kiosk.domain.routelink import make_qr_png


class QrImageProvider(QQuickImageProvider):
    def __init__(self) -> None:
        super().__init__(QQuickImageProvider.ImageType.Image)

    def requestImage(self, image_id: str, size: QSize, requested_size: QSize) -> QImage:
        image = QImage.fromData(make_qr_png(unquote(image_id), box_size=8, border=4))
        if requested_size.isValid() and requested_size.width() > 0:
            image = image.scaledToWidth(requested_size.width())
        size.setWidth(image.width())
        size.setHeight(image.height())
        return image

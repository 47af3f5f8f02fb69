"""QObject view models exposed to QML under the import name `MallKiosk`."""

QML_IMPORT_NAME = "MallKiosk"
QML_IMPORT_MAJOR_VERSION = 1

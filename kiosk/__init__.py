"""MallKiosk: the self-service touchscreen terminal of a shopping mall."""

from importlib import metadata


def app_version() -> str:
    try:
        return metadata.version("mall-kiosk")
    except metadata.PackageNotFoundError:
        return "0+unknown"

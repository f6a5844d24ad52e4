"""PARTAGES core: the thin package behind every work-package notebook, the CLI and the site."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("partages-core")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.1.0"

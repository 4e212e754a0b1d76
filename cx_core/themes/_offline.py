"""The offline theme engine: :func:`extract_offline` runs the steps of :mod:`._steps` in order
(:mod:`._pipeline`); its settings are :class:`OfflineSettings`."""

from __future__ import annotations

from ._labels import labels_in_language
from ._pipeline import extract_offline
from ._steps.data import OfflineSettings

__all__ = ["OfflineSettings", "extract_offline", "labels_in_language"]

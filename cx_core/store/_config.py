"""Where the store keeps things: read from the environment, with a no-setup default."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import StoreError

#: the data folder when ``CX_DATA_DIR`` is not set (created on first use)
DEFAULT_DATA_DIR = Path("~/.cx-explorer")


@dataclass(frozen=True)
class StoreConfig:
    """Where the state (a SQLAlchemy URL) and the data sets (a folder or fsspec URL) live.

    - ``CX_DATA_DIR``: the data folder of the embedded default (``~/.cx-explorer``): the SQLite
      file ``state.sqlite3`` and the folder ``datasets/``.
    - ``CX_DATABASE_URL``: the state in PostgreSQL instead (``postgresql://user:pass@host/db``).
    - ``CX_DATASETS_URL``: the data sets in another folder or an object store (``s3://bucket/cx``);
      ``CX_DATASETS_OPTIONS``: JSON options for that file system (e.g. an S3 ``endpoint_url``).
    """

    data_dir: Path
    database_url: str
    datasets_url: str
    datasets_options: dict = field(default_factory=dict)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> StoreConfig:
        env = os.environ if environ is None else environ
        data_dir = Path(env.get("CX_DATA_DIR") or DEFAULT_DATA_DIR).expanduser()
        database_url = env.get("CX_DATABASE_URL") or ""
        datasets_url = env.get("CX_DATASETS_URL") or ""
        options_text = env.get("CX_DATASETS_OPTIONS") or ""
        try:
            options = json.loads(options_text) if options_text else {}
        except ValueError:
            raise StoreError("error.datasets_options_json") from None
        if not isinstance(options, dict):
            raise StoreError("error.datasets_options_object")
        return cls.build(data_dir, database_url=database_url, datasets_url=datasets_url, datasets_options=options)

    @classmethod
    def build(
        cls,
        data_dir: Path | str,
        *,
        database_url: str = "",
        datasets_url: str = "",
        datasets_options: dict | None = None,
    ) -> StoreConfig:
        data_dir = Path(data_dir).expanduser()
        return cls(
            data_dir=data_dir,
            database_url=sqlalchemy_url(database_url) if database_url else f"sqlite:///{data_dir / 'state.sqlite3'}",
            datasets_url=datasets_url.rstrip("/") if datasets_url else str(data_dir / "datasets"),
            datasets_options=dict(datasets_options or {}),
        )

    @property
    def embedded(self) -> bool:
        return self.database_url.startswith("sqlite")

    def describe(self) -> dict:
        """Where things are, without any password (for the CLI and logs)."""
        from sqlalchemy.engine import make_url

        return {
            "state": make_url(self.database_url).render_as_string(hide_password=True),
            "datasets": self.datasets_url,
        }


def sqlalchemy_url(url: str) -> str:
    """``postgresql://`` (what people write) -> the psycopg 3 driver SQLAlchemy should use."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url

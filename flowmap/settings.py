"""Runtime settings: every knob is a ``FLOWMAP_*`` variable (or a line in ``.env``).

Secrets (the Neo4j password) only ever come from the environment; they are ``SecretStr`` so
they never print in reprs, logs or error messages.
"""

from __future__ import annotations

from enum import StrEnum
from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class StoreKind(StrEnum):
    EMBEDDED = "embedded"
    NEO4J = "neo4j"


class LogFormat(StrEnum):
    JSON = "json"  # one JSON object per line, for log shippers
    TEXT = "text"  # for a person at a terminal


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="FLOWMAP_", env_file=".env", extra="ignore")

    store: StoreKind = StoreKind.EMBEDDED
    data_dir: Path = Field(default=Path(".flowmap"), description="Holds the embedded database file.")
    seeds_dir: Path = Field(default=PROJECT_ROOT / "seeds", description="Seed map YAML files.")

    neo4j_uri: str | None = None
    neo4j_user: str = "neo4j"
    neo4j_password: SecretStr = SecretStr("")
    neo4j_database: str = "neo4j"

    max_depth: int = Field(default=8, ge=1, le=64, description="Longest processor chain followed.")

    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)

    api_tokens: SecretStr = Field(
        default=SecretStr(""),
        description="Bearer tokens as 'name:role:token' entries, comma-separated; role is viewer, editor or "
        "procurement. Without any, only a loopback-bound server starts, open to its one local user.",
    )
    frontend_dir: Path = Field(
        default=PROJECT_ROOT / "frontend" / "dist", description="The built dashboard, served at /."
    )
    graphiql: bool = Field(default=True, description="Serve GraphiQL at /graphql to browsers (development).")
    introspection: bool = Field(default=True, description="Allow schema introspection (turn off in production).")
    max_query_depth: int = Field(default=12, ge=2, le=50)
    max_query_tokens: int = Field(default=4000, ge=100)
    max_aliases: int = Field(default=30, ge=1)
    max_page_size: int = Field(default=100, ge=1, le=10_000)
    max_body_bytes: int = Field(default=4 * 1024 * 1024, ge=1024, description="Largest GraphQL request body.")
    cors_origins: str = Field(
        default="",
        description="Browser origins allowed to call the API from another site, comma-separated (e.g. "
        "'https://privacy.example.org'). Empty (the default): no cross-origin access; the dashboard is same-origin.",
    )

    @property
    def cors_allow_list(self) -> list[str]:
        """The configured origins, as browsers send them (no trailing slash)."""
        return [o.strip().rstrip("/") for o in self.cors_origins.split(",") if o.strip()]

    log_format: LogFormat = Field(default=LogFormat.JSON, description="`flowmap serve`'s log lines: json or text.")
    log_level: str = Field(default="INFO", pattern=r"^(?i:debug|info|warning|error|critical)$")
    shutdown_grace_seconds: float = Field(
        default=30.0, ge=0, description="On SIGTERM/SIGINT, how long in-flight requests may take to finish."
    )

    @property
    def embedded_path(self) -> Path:
        """The LadybugDB database file. Its format is tied to the pinned engine version (see pyproject)."""
        return self.data_dir / "flowmap.lbug"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()

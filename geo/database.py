"""The catalogue database: where it is, its tables, and its schema brought up to date by Alembic.

By default an SQLite file in the data folder (``data/catalogue.sqlite``), created on first use; with
``CARTE_DATABASE_URL`` (or Streamlit's ``[connections.sql] url`` secret, read by ``ui.data``) any database
SQLAlchemy reaches — PostgreSQL through psycopg 3 (``postgresql+psycopg://user:pass@host/base``) when
several app servers share one catalogue.
"""

from __future__ import annotations

from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from geo import logs, settings
from geo.catalogue import COLUMNS
from geo.files import REPO_DIR

DATABASE_FILE = "catalogue.sqlite"
MIGRATIONS = Path(__file__).with_name("migrations")
LOG = logs.get("base")

metadata = sa.MetaData()

# The live catalogue: one row per initiative, its catalogue fields (``geo.catalogue.COLUMNS``, text), the
# revision it is at (conflict detection), and where it was located (what the public layer draws).
initiatives = sa.Table(
    "initiatives", metadata,
    sa.Column("id", sa.String(200), primary_key=True),
    *(sa.Column(name, sa.Text, nullable=False, server_default="") for name in COLUMNS[1:]),
    sa.Column("revision", sa.Integer, nullable=False),
    sa.Column("area_insee", sa.String(5), nullable=False),
    sa.Column("conseil_de_territoire", sa.Text, nullable=False),
    sa.Column("lat", sa.Float, nullable=False),
    sa.Column("lon", sa.Float, nullable=False),
    sa.Column("precision", sa.String(20), nullable=False),
    sa.Column("provider", sa.String(40), nullable=False),
    sa.Column("position_label", sa.Text, nullable=False, server_default=""),
    sa.Column("position_score", sa.Float),
    sa.Column("position_date", sa.String(10), nullable=False, server_default=""),
    sa.Column("version", sa.Integer, nullable=False, server_default="0", index=True),
)
# Positions corrected by hand, kept over geocoding.
manual_positions = sa.Table(
    "manual_positions", metadata,
    sa.Column("id", sa.String(200), primary_key=True),
    sa.Column("lat", sa.Float, nullable=False),
    sa.Column("lon", sa.Float, nullable=False),
    sa.Column("date", sa.String(10), nullable=False),
)
# Answers of online geocoders, keyed by the normalised query (``geo.position.Query.key``).
geocode_cache = sa.Table(
    "geocode_cache", metadata,
    sa.Column("key", sa.Text, primary_key=True),
    sa.Column("entry", sa.Text, nullable=False),
)
# Every change: who, when, what (a JSON list of {"kind", "id", "before", "after"}).
revisions = sa.Table(
    "revisions", metadata,
    sa.Column("number", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("author", sa.Text, nullable=False),
    sa.Column("action", sa.String(20), nullable=False),
    sa.Column("summary", sa.Text, nullable=False),
    sa.Column("changes", sa.Text, nullable=False),
)
# The layer of each open-data source (GeoJSON text as its connector writes it), and its digest.
source_layers = sa.Table(
    "source_layers", metadata,
    sa.Column("dataset", sa.String(40), primary_key=True),
    sa.Column("digest", sa.String(64), nullable=False),
    sa.Column("built_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("layer", sa.Text, nullable=False),
)
# One row: the published version (the number of the last revision), locked by every save.
catalogue_state = sa.Table(
    "catalogue_state", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("version", sa.Integer, nullable=False),
)


def insert_rows(connection: sa.Connection, table: sa.Table, records: list[dict]) -> None:
    """``records``, each with the same columns of ``table``, in one executemany of the driver. SQLAlchemy's own
    executemany processes every row's parameters in Python (``construct_params``): 3 s of the 30 s a new
    database took to fill at 220,000 initiatives. Only for columns that need no conversion on the way in:
    text and numbers, as the catalogue's are."""
    if not records:
        return
    compiled = sa.insert(table).compile(dialect=connection.dialect, column_keys=list(records[0]))
    if compiled.positional:  # SQLite's « ? »: each row as a tuple in the statement's order
        keys = compiled.positiontup or []
        parameters: list = list(map(itemgetter(*keys), records)) if len(keys) > 1 else [(r[keys[0]],) for r in records]
    else:
        parameters = records
    connection.exec_driver_sql(compiled.string, parameters)


def database_url(folder: Path) -> str:
    """``CARTE_DATABASE_URL`` when set, else the SQLite file of the data folder."""
    return settings.current().database_url or f"sqlite:///{Path(folder).resolve() / DATABASE_FILE}"


@dataclass(frozen=True)
class Storage:
    """Where the live catalogue is kept, in words for staff, and whether edits made here would last."""

    text: str
    lasting: bool


def storage(url: sa.URL | str, repo: Path = REPO_DIR) -> Storage:
    """An SQLite file lives on this server's disk: it lasts on a server with a persistent disk (back it up with
    ``python -m geo backup``) and is wiped at every restart of an ephemeral one — Streamlit Community Cloud runs
    apps from /mount/src, and ``CARTE_EPHEMERAL_DISK=1`` says so of any other host."""
    url = sa.make_url(url)
    if url.get_backend_name() != "sqlite":
        return Storage(f"Catalogue dans la base {url.get_backend_name()} {url.host or ''}/{url.database or ''}, "
                       "partagée par tous les serveurs de l'application.", True)
    if settings.current().ephemeral_disk or str(repo).startswith("/mount/src/"):
        return Storage("Ce serveur efface son disque à chaque redémarrage : un catalogue enregistré dans un fichier "
                       "SQLite y serait perdu. L'édition est désactivée tant qu'une base PostgreSQL n'est pas "
                       "configurée (`[connections.sql] url` dans les secrets, ou `CARTE_DATABASE_URL`).", False)
    return Storage(f"Catalogue dans le fichier `{url.database}` de ce serveur (sauvegarde : "
                   "`python -m geo backup fichier.sqlite`). Pour plusieurs serveurs, configurez PostgreSQL.", True)


# How long a visitor's page may wait on the database (connecting, a pool slot, a statement) before the page
# goes on without it.
DATABASE_WAIT_SECONDS = 5


def engine_options(url: str) -> dict:
    """Bounds on every wait on a PostgreSQL server: connecting (libpq's connect_timeout covers a server that
    accepts the connection and never answers), a pool slot, a statement and a lock. SQLite waits on its own
    busy timeout."""
    if url.startswith("sqlite"):
        return {}
    wait_ms = DATABASE_WAIT_SECONDS * 1000
    given = sa.engine.make_url(url).query.get("options", "")  # a search_path, say: kept, not replaced
    given = " ".join(given) if isinstance(given, tuple) else given
    options = f"{given} -c statement_timeout={6 * wait_ms} -c lock_timeout={6 * wait_ms}".strip()
    return {"pool_pre_ping": True, "pool_timeout": DATABASE_WAIT_SECONDS,
            "connect_args": {"connect_timeout": DATABASE_WAIT_SECONDS, "options": options}}


def make_engine(url: str) -> sa.Engine:
    engine = sa.create_engine(url, **engine_options(url))
    configure(engine)
    return engine


def configure(engine: sa.Engine) -> sa.Engine:
    """SQLite as a shared catalogue needs: WAL (readers never wait for a save), a busy timeout, and
    ``BEGIN IMMEDIATE`` for saves so two of them queue instead of failing half-way. Once per engine."""
    if engine.dialect.name != "sqlite" or getattr(engine, "_carte_configured", False):
        return engine

    @sa.event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself, below
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA busy_timeout = 30000")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE" if connection.get_execution_options().get("write")
                                   else "BEGIN")

    engine._carte_configured = True  # type: ignore[attr-defined]  # a mark on the engine, once
    return engine


def _alembic(connection: sa.Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def head() -> str:
    current = ScriptDirectory(str(MIGRATIONS)).get_current_head()
    assert current, "the migrations have one head"
    return current


class UnknownSchema(ValueError):
    """The database's schema is at a revision this code does not know: a newer release migrated it (a rolling
    upgrade, or a rollback of this server). Nothing is changed; public pages go on without the database."""

    def __init__(self, revision: str):
        self.revision = revision
        super().__init__(f"La base du catalogue est à une version de schéma que ce serveur ne connaît pas "
                         f"(« {revision} », la sienne est « {head()} ») : elle a sans doute été mise à jour par "
                         "une version plus récente de l'application. Mettez ce serveur à jour ; rien n'a été "
                         "modifié, et les pages publiques montrent en attendant les couches livrées.")


def known_revisions() -> set[str]:
    return {script.revision for script in ScriptDirectory(str(MIGRATIONS)).walk_revisions()}


def current(engine: sa.Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def found_empty(engine: sa.Engine) -> str:
    """Why an SQLite database file that exists holds no catalogue ('' when it is absent, or holds one): a file
    of 0 bytes, or one without tables — what a copy of the .sqlite file alone gives when its last changes were
    still in the -wal file beside it. Seeding it anew must be said: the staff's changes may be lost."""
    if engine.dialect.name != "sqlite" or not engine.url.database or engine.url.database == ":memory:":
        return ""
    path = Path(engine.url.database)
    if not path.exists():
        return ""
    if path.stat().st_size == 0:
        return "fichier de 0 octet"
    with engine.connect() as connection:
        if sa.inspect(connection).get_table_names():
            return ""
    wal = path.with_name(path.name + "-wal")
    return "fichier sans tables" + ("" if wal.exists() else " ni fichier -wal à côté")


def migrate(engine: sa.Engine) -> None:
    """Bring the schema to the last migration (nothing to do when it is there). Several processes may
    start at once: the upgrade runs in one write transaction, so the second finds the work done."""
    revision = current(engine)
    if revision == head():
        return
    if revision is not None and revision not in known_revisions():
        raise UnknownSchema(revision)  # never "downgrade" what a newer release wrote, never a traceback
    with engine.connect().execution_options(write=True) as connection, connection.begin():
        if connection.dialect.name == "postgresql":  # SQLite's BEGIN IMMEDIATE already lets one through
            connection.execute(sa.text("SELECT pg_advisory_xact_lock(4242)"))
        if MigrationContext.configure(connection).get_current_revision() != head():
            LOG.info("schéma de la base mis à jour vers %s", head())
            command.upgrade(_alembic(connection), "head")

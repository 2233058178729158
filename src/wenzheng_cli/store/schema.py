"""The ledger's schema: its numbered migrations, registered here in the order they apply, and the upgrade that
applies those a ledger has not had. Never edit a shipped migration: add the next (``store.migrations_009``, or a
module of its own once that one is full) and its line at the end of ``MIGRATIONS``; its name, once shipped, is
what ledgers record it by.

``PRAGMA user_version`` mirrors the number of migrations so that opening an up-to-date ledger costs one pragma
read. The migrations are collected here without importing sqlite-utils, which only loads when a ledger is upgraded:
a clerk's command on a current ledger does not pay for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from wenzheng_cli.store import migrations_001, migrations_009
from wenzheng_cli.store.migration_script import Migration, run_script
from wenzheng_cli.store.migrations_001 import PHONE_KEY_SQL
from wenzheng_cli.store.migrations_009 import SEARCH_BODY_SQL, SEARCH_FIELDS, SEARCH_HASH_BYTES

if TYPE_CHECKING:
    from sqlite_utils import Database

__all__ = [
    "MIGRATIONS",
    "PHONE_KEY_SQL",
    "SEARCH_BODY_SQL",
    "SEARCH_FIELDS",
    "SEARCH_HASH_BYTES",
    "Migration",
    "latest",
    "run_script",
    "upgrade",
]

# (the name a ledger records it by, the migration), in the order they apply
MIGRATIONS: list[tuple[str, Migration]] = [
    ("m001_initial", migrations_001.m001_initial),
    ("m002_duplicate_flags", migrations_001.m002_duplicate_flags),
    ("m003_report_indexes", migrations_001.m003_report_indexes),
    ("m004_flag_same_key", migrations_001.m004_flag_same_key),
    ("m005_phone_key", migrations_001.m005_phone_key),
    ("m006_suggest_model", migrations_001.m006_suggest_model),
    ("m007_repeats_found_in_memory", migrations_001.m007_repeats_found_in_memory),
    ("m008_corrections", migrations_001.m008_corrections),
    ("m009_search_index", migrations_009.m009_search_index),
    ("m010_report_figures", migrations_009.m010_report_figures),
    ("m011_search_hash_size", migrations_009.m011_search_hash_size),
    ("m012_history", migrations_009.m012_history),
    ("m013_ledger_identity", migrations_009.m013_ledger_identity),
    ("m014_reply_flags", migrations_009.m014_reply_flags),
    ("m015_serve", migrations_009.m015_serve),
    ("m016_rollup_file_stats", migrations_009.m016_rollup_file_stats),
    ("m017_office_values", migrations_009.m017_office_values),
    ("m018_activity_offices", migrations_009.m018_activity_offices),
]
if len({name for name, _ in MIGRATIONS}) != len(MIGRATIONS):
    raise ValueError("a migration is registered twice")


def upgrade(db: Database) -> None:
    """Apply pending migrations; the caller holds the write lock."""
    # sqlite-utils is slow to load: only a ledger being made or upgraded needs it
    from sqlite_utils.migrations import Migrations

    chain = Migrations("wenzheng")
    for name, fn in MIGRATIONS:
        chain(name=name)(fn)
    chain.apply(db)
    db.execute(f"PRAGMA user_version = {latest()}")


def latest() -> int:
    return len(MIGRATIONS)


def version_after(name: str) -> int:
    """The version (``user_version``) of a ledger once the migration ``name`` has been applied."""
    return 1 + [known for known, _ in MIGRATIONS].index(name)

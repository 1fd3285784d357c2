import importlib.util
from pathlib import Path

from odoo.tests import TransactionCase

MIGRATIONS = Path(__file__).parents[1] / "migrations"


class TestIndexes(TransactionCase):
    """Each index of the add-on's tables is there once: every insert writes them all."""

    def _repeated(self):
        """(table, [index names]) of plain indexes on the same columns of a table."""
        self.env.cr.execute(
            r"""
            SELECT t.relname, array_agg(x.relname::text ORDER BY x.relname)
              FROM pg_index i
              JOIN pg_class t ON t.oid = i.indrelid
              JOIN pg_class x ON x.oid = i.indexrelid
             WHERE t.relname LIKE 'di\_%' AND i.indpred IS NULL AND i.indexprs IS NULL
             GROUP BY t.relname, i.indkey::text, i.indclass::text
            HAVING count(*) > 1
             ORDER BY 1
            """
        )
        return self.env.cr.fetchall()

    def _led(self):
        """(table, index, wider index) where a plain, non-unique index's columns lead a wider
        index's, in the same order and with the same operator classes: the wider one serves
        every lookup the narrower does."""
        self.env.cr.execute(
            r"""
            SELECT t.relname, x.relname, y.relname
              FROM pg_index i
              JOIN pg_class t ON t.oid = i.indrelid
              JOIN pg_class x ON x.oid = i.indexrelid
              JOIN pg_index j ON j.indrelid = i.indrelid AND j.indexrelid <> i.indexrelid
              JOIN pg_class y ON y.oid = j.indexrelid
             WHERE t.relname LIKE 'di\_%' AND NOT i.indisunique
               AND i.indpred IS NULL AND i.indexprs IS NULL
               AND j.indpred IS NULL AND j.indexprs IS NULL
               AND j.indkey::text LIKE i.indkey::text || ' %'
               AND j.indclass::text LIKE i.indclass::text || ' %'
             ORDER BY 1, 2
            """
        )
        return self.env.cr.fetchall()

    def _migration(self, version: str):
        path = MIGRATIONS / version / "post-migrate.py"
        spec = importlib.util.spec_from_file_location(f"post_migrate_{version}", path)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        return migration

    def test_no_columns_are_indexed_twice(self):
        self.assertEqual(self._repeated(), [])

    def test_no_index_leads_another(self):
        self.assertEqual(self._led(), [])

    def _assert_migration_drops(self, version: str, previous: str, listed: str, found):
        """The indexes a migration lists, made as ``previous`` made them, are what ``found``
        finds; after the migration it finds none."""
        migration = self._migration(version)
        indexes = getattr(migration, listed)
        for table, column in indexes.items():
            self.env.cr.execute(f'CREATE INDEX "{table}__{column}_index" ON "{table}" ("{column}")')
        self.assertEqual(len(found()), len(indexes))
        migration.migrate(self.env.cr, previous)
        self.assertEqual(found(), [])

    def test_the_migration_drops_the_indexes_repeating_a_unique_constraint(self):
        self._assert_migration_drops("18.0.1.4.0", "18.0.1.3.0", "REPEATED", self._repeated)

    def test_the_migration_drops_the_indexes_leading_a_wider_one(self):
        self._assert_migration_drops("18.0.1.5.0", "18.0.1.4.0", "LEADING", self._led)

import importlib.util
from pathlib import Path

from odoo.tests import TransactionCase

MIGRATION = Path(__file__).parents[1] / "migrations" / "18.0.1.4.0" / "post-migrate.py"


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

    def _migration(self):
        spec = importlib.util.spec_from_file_location("post_migrate_18_0_1_4_0", MIGRATION)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        return migration

    def test_no_columns_are_indexed_twice(self):
        self.assertEqual(self._repeated(), [])

    def test_the_migration_drops_the_indexes_repeating_a_unique_constraint(self):
        migration = self._migration()
        for table, column in migration.REPEATED.items():  # as 18.0.1.3.0 made them
            self.env.cr.execute(f'CREATE INDEX "{table}__{column}_index" ON "{table}" ("{column}")')
        self.assertEqual(len(self._repeated()), len(migration.REPEATED))
        migration.migrate(self.env.cr, "18.0.1.3.0")
        self.assertEqual(self._repeated(), [])

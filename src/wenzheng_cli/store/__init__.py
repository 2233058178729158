"""The only place with SQL: opening the ledger, migrations, and the queries."""

"""The database and the files beside it: connection and migrations, named queries, backup, audit log, accounts,
the SQL console and its sandbox."""

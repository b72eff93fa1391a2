"""Loading: files in data/raw (or uploaded) -> read -> validate -> normalise -> one DuckDB transaction.

Each source has one module (papi, pci, national, frameworks, units) whose readers return a `Batch`;
`etl.db` is the only place that writes to the database. Run `python -m etl --help`.
"""

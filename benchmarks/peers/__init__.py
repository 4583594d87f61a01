"""Yardsticks for ``benchmarks.run``: the same monthly aggregation in DuckDB and in polars.

They run in their own virtual environment (``benchmarks/data/peers-venv``, made by ``run.py``
with ``pip install duckdb polars``): neither is a dependency of roicli.
"""

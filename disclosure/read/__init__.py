"""Bytes in, tables and report text out: CSV and spreadsheets, Word, web pages, text, PDF, and the report reader.
No DuckDB, no Streamlit: a reader runs on bytes alone, in a child process for a user's file."""

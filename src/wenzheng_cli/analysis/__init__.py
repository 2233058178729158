"""Analyses of the ledger: hotspots (共性问题) and suggestions learned from its own cases."""

"""Core functions: each command's work, as one transaction over the store, returning result objects."""

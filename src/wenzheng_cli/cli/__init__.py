"""The thin command line: every command parses, calls one core function and renders the result."""

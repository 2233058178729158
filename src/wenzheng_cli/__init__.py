"""wenzheng (问政): the closed loop of residents' requests, as a command-line ledger."""

__version__ = "0.1.0"

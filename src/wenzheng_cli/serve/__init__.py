"""The server front end: ``wenzheng serve`` runs the command line's commands for clerks on other PCs, one at a
time over the one ledger it holds, and serves read-only pages for leaders."""

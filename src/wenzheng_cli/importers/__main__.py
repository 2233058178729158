"""``python -m wenzheng_cli.importers``: print the README's table of the headers each import field is read from
(section 表头怎么对应), made from the one table of import fields."""

from __future__ import annotations

import sys

from wenzheng_cli.importers.headers import synonym_table

sys.stdout.write(synonym_table())

"""Writers for people and programs: Rich tables, JSON, CSV, XLSX, Markdown. No business logic here."""

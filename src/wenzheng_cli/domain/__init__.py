"""Pure domain: models, the state machine, deadlines, dates and metric formulas. No I/O here."""

"""The weekly 台账 and the monthly 通报 as data (dataclasses); the renderers turn them into tables and files."""

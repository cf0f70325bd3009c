"""ICS workforce planning optimiser: workbook → validated data → LP → plan."""

__version__ = "0.1.0"

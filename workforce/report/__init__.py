"""Excel output: the ICS plan workbook (and shared table helpers)."""

"""Web portal: ICS leads upload workbooks and download plans; the national team runs roll-ups."""

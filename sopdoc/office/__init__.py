"""Facts every office writer shares: paper, fonts, text measurement, spreadsheet cells."""

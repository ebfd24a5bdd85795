"""SOPs as an Excel workbook (the "lembar isian"): write a unit's workbook, read one back."""

"""Exchange: paper import/export, CSV answers, posters and QR codes."""

"""Organization: the unit directory, touchpoints (QR codes, kiosks) and accounts."""

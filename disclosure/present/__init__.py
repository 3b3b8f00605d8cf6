"""Frames into what people see and take away: charts, tables, briefings, peer comparisons, exports and bundles."""

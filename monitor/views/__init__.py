"""Presentation: text, tables and pages built from store reads. Nothing here writes."""

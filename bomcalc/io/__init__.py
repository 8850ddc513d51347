"""Readers and writers: files into tables, tables into files (I/O layer)."""

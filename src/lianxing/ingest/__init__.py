"""Importers: read a platform's file, check it, and hand rows to the store layer.

An import either writes everything or nothing; every problem names file, line and
column. `detect` picks the importer from a file's header.
"""

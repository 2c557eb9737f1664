"""Yrkesvux Dalarna: the static site generator behind yrkesvuxdalarna.se.

The build is one pipeline, one module per stage:

    load → validate → normalise → render → write

`pipeline.py` strings the stages together; `cli.py` is the command line.
"""

#!/usr/bin/env python3
"""Build the Yrkesvux Dalarna site: `python build.py [build|check|serve] [options]`."""
import sys

from dalawux_site.cli import main

if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Build the Yrkesvux Dalarna site: `python build.py [build|check|serve] [options]`."""
import gc
import sys

from dalawux_site.cli import main

if __name__ == "__main__":
    status = main()
    # The process ends here: the system takes back its memory at once, so the objects are left
    # out of the cycle collector's last pass.
    gc.freeze()
    sys.exit(status)

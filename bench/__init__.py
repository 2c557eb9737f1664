"""The benchmark of issue #7: synthetic catalogues, build timing and the Hugo comparison (`make bench`)."""

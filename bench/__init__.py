"""The benchmark: synthetic catalogues, build timing and the Hugo comparison (`make bench`)."""

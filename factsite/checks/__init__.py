"""The arithmetic of fact-checks and the matching of quotes: plain values in, results out.

Nothing here knows about claims.yaml; the project's model takes the kinds of check, and their
parameters, from `kinds.KINDS`.
"""

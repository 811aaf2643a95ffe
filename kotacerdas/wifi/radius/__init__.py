"""RADIUS accounting (§4): FreeRADIUS posts each Accounting-Request here through rlm_rest,
an existing radacct table can be imported, and the worker rolls sessions up per day.

User names and client MACs never reach the database or the logs in the clear: see hashing.py.
"""

"""The password hashing cost of the test suite, shared by pytest and the browser tests' server."""

from __future__ import annotations

from argon2 import Parameters, Type

# The cheapest argon2id that argon2-cffi accepts: a login costs microseconds, not 0.3 s.
TEST_PASSWORD_PARAMETERS = Parameters(type=Type.ID, version=19, salt_len=16, hash_len=32,
                                      time_cost=1, memory_cost=8, parallelism=1)
